package planner

import (
	"fmt"
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// WindowAggNode is a GROUP BY over a window table function that includes
// window_start and/or window_end among its keys. It emits each group once,
// as +I, when the watermark closes its window, then frees the group's
// state (EMIT ON WINDOW CLOSE is its only mode): output is append-only,
// keyed by the group columns, and window_end (when grouped) is an
// event-time column of the output. Output columns are the GroupBy columns
// in order, then one per Aggs, as HashAggNode's.
//
// StartKey and EndKey are the positions in GroupBy of window_start and
// window_end (-1 when not grouped). For TUMBLE, HOP and CUMULATE the input
// carries the windows (a WindowAssignNode below) and a group closes when
// the watermark reaches the value of its CloseKey column plus CloseOffset:
// window_end, else window_start plus the window's length. For SESSION the
// input column at GroupBy[StartKey] (or EndKey) holds each row's time (the
// WindowAssignNode below only marks rows) and the operator computes the
// sessions itself: per the other group columns, rows at most Sizes[0]
// apart (inclusive) form one session [first row, last row + gap), closed
// once the watermark passes its end.
type WindowAggNode struct {
	P        Props
	Input    Physical
	Window   parser.WindowKind
	Sizes    []int64
	TimeName string // the window's time column, for EXPLAIN
	GroupBy  []int
	Aggs     []AggCall
	StartKey int
	EndKey   int
	// CloseKey and CloseOffset: see the type's doc (not SESSION).
	CloseKey    int
	CloseOffset int64
}

// Kind implements Physical.
func (n *WindowAggNode) Kind() PhysKind { return PhysWindowAgg }

// Props implements Physical.
func (n *WindowAggNode) Props() *Props { return &n.P }

// Inputs implements Physical.
func (n *WindowAggNode) Inputs() []Physical { return []Physical{n.Input} }

// TimeKey is the position in GroupBy of the column holding a SESSION row's
// time: window_start's, else window_end's (both carry it).
func (n *WindowAggNode) TimeKey() int {
	if n.StartKey >= 0 {
		return n.StartKey
	}
	return n.EndKey
}

// explainLine: `window-agg TUMBLE(ts, size=10s) group=[...] aggs=[...]
// emit=on-window-close  state=windows  key=[...]  changelog=append-only`.
func (n *WindowAggNode) explainLine() string {
	state := "windows"
	if n.Window == parser.Session {
		state = "sessions+pending-rows"
	}
	return "window-agg " + windowText(n.Window, n.TimeName, n.Sizes) + " " + groupAggText(n.Input, &n.P, n.GroupBy, n.Aggs) +
		"  emit=on-window-close" + statefulProps(state, &n.P, 0)
}

// groupAggText renders `group=[..] aggs=[..]` as hash-agg does.
func groupAggText(in Physical, p *Props, groupBy []int, aggs []AggCall) string {
	line := hashAggLine(&HashAggNode{P: *p, Input: in, GroupBy: groupBy, Aggs: aggs})
	body, _, _ := strings.Cut(strings.TrimPrefix(line, "hash-agg "), "  state=")
	return body
}

// lowerWindowAgg lowers an aggregation whose group keys include the
// window columns of a window table function below it (through
// projections and filters) to a WindowAggNode; ok is false when n is not
// such an aggregation.
func lowerWindowAgg(n *LogicalAgg) (Physical, bool, error) {
	win := windowBelow(n.Input)
	if win == nil {
		return nil, false, nil
	}
	start, end := -1, -1
	for i, g := range n.GroupBy {
		switch traceToWindow(n.Input, g, win) {
		case win.startCol():
			if start < 0 {
				start = i
			}
		case win.endCol():
			if end < 0 {
				end = i
			}
		}
	}
	if start < 0 && end < 0 {
		return nil, false, nil
	}
	input := n.Input
	if win.Kind == parser.Session {
		if err := checkSessionUses(n, win); err != nil {
			return nil, true, err
		}
		marked := *win
		marked.marks = true
		input = replaceWindow(n.Input, win, &marked)
	}
	in, err := lower(input)
	if err != nil {
		return nil, true, err
	}
	if ip := in.Props(); ip.Mode != catalog.AppendOnly {
		return nil, true, &planError{pos: win.Pos, msg: fmt.Sprintf(
			"window aggregation over a changelog is not supported yet: the input of %s is a %s stream", win.name(), modeText(ip))}
	}
	node := &WindowAggNode{
		P:        Props{Schema: n.Schema(), Mode: catalog.AppendOnly, Key: identityMapping(len(n.GroupBy)), Stateful: true},
		Input:    in,
		Window:   win.Kind,
		Sizes:    win.Sizes,
		TimeName: win.Input.Schema().Columns[win.TimeCol].Name,
		GroupBy:  n.GroupBy,
		Aggs:     n.Aggs,
		StartKey: start,
		EndKey:   end,
		CloseKey: end,
	}
	if end >= 0 {
		node.P.Time = []int{end}
	} else {
		node.CloseKey, node.CloseOffset = start, windowLength(win.Kind, win.Sizes)
	}
	return node, true, nil
}

// windowBelow follows projections and filters down from l to a window
// table function; nil when there is none.
func windowBelow(l Logical) *LogicalWindow {
	for {
		switch x := l.(type) {
		case *LogicalWindow:
			return x
		case *LogicalProject:
			l = x.Input
		case *LogicalFilter:
			l = x.Input
		default:
			return nil
		}
	}
}

// traceToWindow maps column c of l down through bare column references of
// projections, and through filters, to a column of win; -1 when the
// column is computed.
func traceToWindow(l Logical, c int, win *LogicalWindow) int {
	for {
		switch x := l.(type) {
		case *LogicalWindow:
			if x == win {
				return c
			}
			return -1
		case *LogicalProject:
			r, ok := x.Exprs[c].(*scalar.ColRef)
			if !ok {
				return -1
			}
			c, l = r.Index, x.Input
		case *LogicalFilter:
			l = x.Input
		default:
			return -1
		}
	}
}

// checkSessionUses rejects SESSION window columns used other than passed
// through to the group keys: the session aggregation computes them, so
// no row carries them below it.
func checkSessionUses(n *LogicalAgg, win *LogicalWindow) error {
	var chain []Logical
	for l := n.Input; l != Logical(win); l = l.Children()[0] {
		chain = append(chain, l)
	}
	isWin := make([]bool, win.Schema().Len())
	isWin[win.startCol()], isWin[win.endCol()] = true, true
	bad := &planError{pos: win.Pos, msg: "not supported yet: using window_start or window_end of SESSION other than " +
		"selecting and grouping them as they are (in WHERE, expressions or aggregate arguments)"}
	uses := func(e scalar.Expr) bool {
		used := make([]bool, len(isWin))
		usedColumns(e, used)
		for i, u := range used {
			if u && isWin[i] {
				return true
			}
		}
		return false
	}
	for i := len(chain) - 1; i >= 0; i-- {
		switch x := chain[i].(type) {
		case *LogicalFilter:
			if uses(x.Cond) {
				return bad
			}
		case *LogicalProject:
			next := make([]bool, len(x.Exprs))
			for j, e := range x.Exprs {
				if r, ok := e.(*scalar.ColRef); ok {
					next[j] = isWin[r.Index]
				} else if uses(e) {
					return bad
				}
			}
			isWin = next
		}
	}
	for _, a := range n.Aggs {
		if (a.Arg >= 0 && isWin[a.Arg]) || (a.Filter >= 0 && isWin[a.Filter]) {
			return bad
		}
	}
	return nil
}

// replaceWindow rebuilds the chain of projections and filters from l down
// to old over repl instead.
func replaceWindow(l Logical, old *LogicalWindow, repl Logical) Logical {
	if l == Logical(old) {
		return repl
	}
	return l.withChildren([]Logical{replaceWindow(l.Children()[0], old, repl)})
}
