package planner

import (
	"github.com/sqlstream/sqlstream/parser"
)

// PhysWindowAssign is the kind of a WindowAssignNode (outside the block
// eventtime.go reserves, which has no free kind).
const PhysWindowAssign PhysKind = 60

// WindowAssignNode is a window table function without its aggregation:
// stateless, it emits each input row once per window the row's TimeCol
// falls into (TUMBLE: one; HOP: size/slide; CUMULATE: the max/step windows
// of its cumulation that end after it), with the window's bounds appended
// as window_start and window_end, and the row's op. A row whose time is
// NULL falls into no window. Kind SESSION only marks rows for the session
// aggregation above (window_start = window_end = the row's time): sessions
// need state.
type WindowAssignNode struct {
	P       Props
	Input   Physical
	Window  parser.WindowKind
	TimeCol int
	Sizes   []int64
}

// Kind implements Physical.
func (n *WindowAssignNode) Kind() PhysKind { return PhysWindowAssign }

// Props implements Physical.
func (n *WindowAssignNode) Props() *Props { return &n.P }

// Inputs implements Physical.
func (n *WindowAssignNode) Inputs() []Physical { return []Physical{n.Input} }

// newWindowAssign derives the props of assigning windows to in. TUMBLE
// keeps the input's key (one window per row); HOP and CUMULATE extend it
// with window_end (a row is in one window per end). window_end is an
// event-time column: a window ends after every row in it, so after
// Watermark(w) no row follows with window_end <= w. window_start is not
// (a row at w may start its window before w).
func newWindowAssign(n *LogicalWindow, in Physical) *WindowAssignNode {
	ip := in.Props()
	end := ip.Schema.Len() + 1
	key := ip.Key
	if key != nil && n.Kind != parser.Tumble && !n.marks {
		key = append(append([]int(nil), key...), end)
	}
	time := append([]int(nil), ip.Time...)
	if !n.marks {
		time = append(time, end)
	}
	return &WindowAssignNode{
		P:       Props{Schema: n.Schema(), Mode: ip.Mode, Key: key, Time: time},
		Input:   in,
		Window:  n.Kind,
		TimeCol: n.TimeCol,
		Sizes:   n.Sizes,
	}
}

// explainLine: `window HOP(date_time, slide=2s, size=10s)`.
func (n *WindowAssignNode) explainLine() string {
	s := "window " + windowText(n.Window, n.Input.Props().Schema.Columns[n.TimeCol].Name, n.Sizes)
	if n.Window == parser.Session {
		s += "  marks rows for the session aggregation"
	}
	return s + changedProps(n)
}
