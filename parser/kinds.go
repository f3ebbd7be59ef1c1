package parser

// String returns the SQL name of the window function, lower-cased.
func (k WindowKind) String() string {
	switch k {
	case Tumble:
		return "tumble"
	case Hop:
		return "hop"
	case Cumulate:
		return "cumulate"
	case Session:
		return "session"
	}
	return "window?"
}

// String returns "on-update" or "on-window-close".
func (m EmitMode) String() string {
	if m == EmitOnWindowClose {
		return "on-window-close"
	}
	return "on-update"
}

var (
	_ Statement = (*CreateSource)(nil)
	_ Statement = (*CreateTable)(nil)
	_ Statement = (*CreateView)(nil)
	_ Statement = (*CreateSink)(nil)
	_ Statement = (*Insert)(nil)
	_ Statement = (*Set)(nil)
)
