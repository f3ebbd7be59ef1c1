package planner

import (
	"fmt"
	"slices"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
)

// Names of the columns a window table function adds to its input.
const (
	WindowStartName = "window_start"
	WindowEndName   = "window_end"
)

// LogicalWindow is a window table function in FROM (TUMBLE, HOP, CUMULATE,
// SESSION): its input's columns, then window_start and window_end, both
// TIMESTAMP(3) NOT NULL. Windows are aligned to the epoch and half-open
// [start, end). TimeCol is the input's time column; Sizes are in
// milliseconds as parser.WindowTVF has them: TUMBLE [size], HOP [slide,
// size], CUMULATE [step, max], SESSION [gap]. Pos is the file offset of
// the function, where its errors point.
//
// A GROUP BY on its window columns lowers to a window aggregation
// (window_agg.go); otherwise TUMBLE, HOP and CUMULATE lower to a stateless
// WindowAssignNode (one row per window a row falls into) and SESSION is an
// error: sessions exist only under their aggregation.
type LogicalWindow struct {
	Input   Logical
	Kind    parser.WindowKind
	TimeCol int
	Sizes   []int64
	Pos     int
	// marks is set on a SESSION window under its window aggregation: it
	// lowers to a WindowAssignNode that only marks each row with its time
	// (window_start = window_end = the row's time) for the aggregation
	// above, which computes the sessions.
	marks bool
}

var (
	_ lowerer  = (*LogicalWindow)(nil)
	_ prunable = (*LogicalWindow)(nil)
)

// Schema is the input's columns followed by window_start and window_end.
func (n *LogicalWindow) Schema() catalog.Schema {
	in := n.Input.Schema()
	cols := make([]catalog.Column, 0, in.Len()+2)
	cols = append(cols, in.Columns...)
	cols = append(cols,
		catalog.Column{Name: WindowStartName, Type: catalog.TimestampType, NotNull: true},
		catalog.Column{Name: WindowEndName, Type: catalog.TimestampType, NotNull: true})
	return catalog.Schema{Columns: cols}
}

// Children returns the input.
func (n *LogicalWindow) Children() []Logical { return []Logical{n.Input} }

func (n *LogicalWindow) withChildren(c []Logical) Logical {
	out := *n
	out.Input = c[0]
	return &out
}

// name is the function's name, for messages and EXPLAIN.
func (n *LogicalWindow) name() string { return windowName(n.Kind) }

// startCol and endCol are the positions of window_start and window_end.
func (n *LogicalWindow) startCol() int { return n.Input.Schema().Len() }
func (n *LogicalWindow) endCol() int   { return n.Input.Schema().Len() + 1 }

// prune keeps the required input columns and the time column.
func (n *LogicalWindow) prune(pr *pruner, req []bool) (Logical, []int) {
	width := n.Input.Schema().Len()
	need := append([]bool(nil), req[:width]...)
	need[n.TimeCol] = true
	in, m := pr.prune(n.Input, need)
	newWidth := in.Schema().Len()
	mapping := append(append([]int(nil), m...), newWidth, newWidth+1)
	out := *n
	out.Input, out.TimeCol = in, m[n.TimeCol]
	return &out, mapping
}

// lower checks what windows need of their input (an event-time column,
// no upsert stream) and lowers to a WindowAssignNode. A SESSION window
// lowers only under its aggregation (marks set).
func (n *LogicalWindow) lower() (Physical, error) {
	in, err := lower(n.Input)
	if err != nil {
		return nil, err
	}
	ip := in.Props()
	col := ip.Schema.Columns[n.TimeCol].Name
	if !slices.Contains(ip.Time, n.TimeCol) {
		return nil, &planError{pos: n.Pos, msg: fmt.Sprintf(
			"the time column %s of %s is not an event-time column: declare WATERMARK FOR %s on its source", col, n.name(), col)}
	}
	if ip.Mode == catalog.Upsert {
		return nil, &planError{pos: n.Pos, msg: fmt.Sprintf("%s over an upsert stream is not supported yet", n.name())}
	}
	if n.Kind == parser.Session && !n.marks {
		return nil, &planError{pos: n.Pos, msg: "SESSION windows exist only under their aggregation: GROUP BY window_start and/or window_end " +
			"(and the session keys), selecting and grouping the window columns as they are"}
	}
	return newWindowAssign(n, in), nil
}

// windowName is the SQL name of a window kind.
func windowName(k parser.WindowKind) string {
	switch k {
	case parser.Tumble:
		return "TUMBLE"
	case parser.Hop:
		return "HOP"
	case parser.Cumulate:
		return "CUMULATE"
	case parser.Session:
		return "SESSION"
	}
	return "WINDOW?"
}

// windowLength is the longest window of a TUMBLE, HOP or CUMULATE: the
// time from a window's start to the end of the last window sharing that
// start. Zero for SESSION (sessions have no fixed length).
func windowLength(k parser.WindowKind, sizes []int64) int64 {
	switch k {
	case parser.Tumble:
		return sizes[0]
	case parser.Hop, parser.Cumulate:
		return sizes[1]
	}
	return 0
}

// windowText renders a window function for EXPLAIN:
// `HOP(date_time, slide=2s, size=10s)`.
func windowText(k parser.WindowKind, timeCol string, sizes []int64) string {
	var names []string
	switch k {
	case parser.Tumble:
		names = []string{"size"}
	case parser.Hop:
		names = []string{"slide", "size"}
	case parser.Cumulate:
		names = []string{"step", "max"}
	case parser.Session:
		names = []string{"gap"}
	}
	s := windowName(k) + "(" + timeCol
	for i, ms := range sizes {
		if i < len(names) {
			s += ", " + names[i] + "=" + formatMillis(ms)
		}
	}
	return s + ")"
}
