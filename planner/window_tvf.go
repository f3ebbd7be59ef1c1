package planner

import (
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
)

// windowTVF binds a window table function in FROM: TUMBLE, HOP, CUMULATE
// or SESSION over rel (named qual), adding window_start and window_end.
// It checks what binding can: the time column exists and is a TIMESTAMP,
// the sizes fit together, and the input has no window columns of its own.
// That the time column is an event-time column is checked when lowering
// (LogicalWindow.lower), where the input's watermark is known.
//
// As in Flink, a HOP's size must be a multiple of its slide (every row
// then falls into exactly size/slide windows) and a CUMULATE's max size a
// multiple of its step.
func (p *planner) windowTVF(q *parser.Query, w *parser.WindowTVF, rel Logical, qual string, pos int) (*fromItem, error) {
	name := windowName(w.Kind)
	in := rel.Schema()
	col := in.Index(w.TimeCol.Name)
	if col < 0 {
		return nil, p.errorf(w.TimeCol.Pos, "unknown column %s in %s%s", w.TimeCol.Name, w.Table.Name, didYouMean(w.TimeCol.Name, in.Names()))
	}
	if t := in.Columns[col].Type; t.ID != catalog.Timestamp {
		return nil, p.errorf(w.TimeCol.Pos, "the time column of %s must be a TIMESTAMP(3), but %s is %s", name, in.Columns[col].Name, t)
	}
	for _, c := range []string{WindowStartName, WindowEndName} {
		if in.Index(c) >= 0 {
			return nil, p.errorf(w.Pos, "%s adds the columns %s and %s, but %s already has a column %s; rename it in a view",
				name, WindowStartName, WindowEndName, w.Table.Name, c)
		}
	}
	if err := p.checkWindowSizes(w, name); err != nil {
		return nil, err
	}
	lw := &LogicalWindow{Input: rel, Kind: w.Kind, TimeCol: col, Sizes: append([]int64(nil), w.Sizes...), Pos: w.Pos}
	return &fromItem{plan: lw, scope: newRelScope(qual, lw.Schema()), pos: pos}, nil
}

// checkWindowSizes checks the number and sign of the sizes and that a
// HOP's size is a multiple of its slide, a CUMULATE's max of its step.
func (p *planner) checkWindowSizes(w *parser.WindowTVF, name string) error {
	want := 1
	if w.Kind == parser.Hop || w.Kind == parser.Cumulate {
		want = 2
	}
	if len(w.Sizes) != want {
		return p.errorf(w.Pos, "%s takes %d interval(s), found %d", name, want, len(w.Sizes))
	}
	for _, s := range w.Sizes {
		if s <= 0 {
			return p.errorf(w.Pos, "the intervals of %s must be positive, found %s", name, formatMillis(s))
		}
	}
	if want == 2 && w.Sizes[1]%w.Sizes[0] != 0 {
		what := [2]string{"size", "slide"}
		if w.Kind == parser.Cumulate {
			what = [2]string{"max size", "step"}
		}
		return p.errorf(w.Pos, "the %s of %s (%s) must be a multiple of its %s (%s)",
			what[0], name, formatMillis(w.Sizes[1]), what[1], formatMillis(w.Sizes[0]))
	}
	return nil
}
