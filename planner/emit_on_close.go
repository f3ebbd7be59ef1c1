package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
)

// LogicalEmitOnClose is the aggregation of a query written with EMIT ON
// WINDOW CLOSE (Input is its *LogicalAgg): final results only. A window
// aggregation emits on close anyway; a plain GROUP BY whose keys include
// an event-time column lowers to an EmitOnCloseNode; anything else is an
// error at the EMIT clause (Pos).
type LogicalEmitOnClose struct {
	Input Logical
	Pos   int
}

var (
	_ lowerer  = (*LogicalEmitOnClose)(nil)
	_ prunable = (*LogicalEmitOnClose)(nil)
)

// emitOnClose wraps the aggregation of q when q says EMIT ON WINDOW CLOSE.
func (p *planner) emitOnClose(q *parser.Query, agg *LogicalAgg) Logical {
	if q.Emit != parser.EmitOnWindowClose {
		return agg
	}
	return &LogicalEmitOnClose{Input: agg, Pos: p.emitPos(q)}
}

// emitPos is the file offset of q's EMIT clause, which follows the text
// TiDB parsed; the query's start when it cannot be found.
func (p *planner) emitPos(q *parser.Query) int {
	from := q.Offset + len(q.Text)
	if from > len(p.file.Text) {
		return q.Offset
	}
	if i := strings.Index(strings.ToUpper(p.file.Text[from:]), "EMIT"); i >= 0 {
		return from + i
	}
	return q.Offset
}

// Schema is the aggregation's.
func (n *LogicalEmitOnClose) Schema() catalog.Schema { return n.Input.Schema() }

// Children returns the aggregation.
func (n *LogicalEmitOnClose) Children() []Logical { return []Logical{n.Input} }

func (n *LogicalEmitOnClose) withChildren(c []Logical) Logical {
	out := *n
	out.Input = c[0]
	return &out
}

// prune prunes the aggregation below.
func (n *LogicalEmitOnClose) prune(pr *pruner, req []bool) (Logical, []int) {
	in, m := pr.prune(n.Input, req)
	return &LogicalEmitOnClose{Input: in, Pos: n.Pos}, m
}

// lower picks the window aggregation when the aggregation is one, else
// an EmitOnCloseNode keyed on the first group column that is an event-time
// column of the lowered input.
func (n *LogicalEmitOnClose) lower() (Physical, error) {
	agg, ok := n.Input.(*LogicalAgg)
	if !ok {
		return nil, &planError{pos: n.Pos, msg: "EMIT ON WINDOW CLOSE applies to an aggregation"}
	}
	if p, ok, err := lowerWindowAgg(agg); ok || err != nil {
		return p, err
	}
	in, err := lower(agg.Input)
	if err != nil {
		return nil, err
	}
	ip := in.Props()
	timeKey := slices.IndexFunc(agg.GroupBy, func(g int) bool { return slices.Contains(ip.Time, g) })
	if timeKey < 0 {
		return nil, &planError{pos: n.Pos, msg: "EMIT ON WINDOW CLOSE needs a window aggregation (GROUP BY window_start and/or window_end " +
			"of TUMBLE, HOP, CUMULATE or SESSION) or a GROUP BY on an event-time column (a source's WATERMARK column)"}
	}
	if ip.Mode != catalog.AppendOnly {
		return nil, &planError{pos: n.Pos, msg: fmt.Sprintf(
			"EMIT ON WINDOW CLOSE over a changelog is not supported yet: the aggregation's input is a %s stream", modeText(ip))}
	}
	return &EmitOnCloseNode{
		P:       Props{Schema: agg.Schema(), Mode: catalog.AppendOnly, Key: identityMapping(len(agg.GroupBy)), Stateful: true, Time: []int{timeKey}},
		Input:   in,
		GroupBy: agg.GroupBy,
		Aggs:    agg.Aggs,
		TimeKey: timeKey,
	}, nil
}

// EmitOnCloseNode is a plain GROUP BY written with EMIT ON WINDOW CLOSE
// whose keys include an event-time column of its append-only input (at
// position TimeKey of GroupBy): it emits each group once, as +I, when the
// watermark passes the group's time (no row of that time can follow),
// then frees the group. Output columns are as HashAggNode's; the time
// column stays an event-time column.
type EmitOnCloseNode struct {
	P       Props
	Input   Physical
	GroupBy []int
	Aggs    []AggCall
	TimeKey int
}

// Kind implements Physical.
func (n *EmitOnCloseNode) Kind() PhysKind { return PhysEmitOnClose }

// Props implements Physical.
func (n *EmitOnCloseNode) Props() *Props { return &n.P }

// Inputs implements Physical.
func (n *EmitOnCloseNode) Inputs() []Physical { return []Physical{n.Input} }

// explainLine: `emit-on-close-agg group=[...] aggs=[...]  close=ts  state=groups ...`.
func (n *EmitOnCloseNode) explainLine() string {
	return "emit-on-close-agg " + groupAggText(n.Input, &n.P, n.GroupBy, n.Aggs) +
		"  emit=on-window-close close=" + n.P.Schema.Columns[n.TimeKey].Name + statefulProps("groups", &n.P, 0)
}
