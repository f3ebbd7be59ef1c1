package planner

import (
	"fmt"
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
)

// OverFunc is the kind of an OVER window function.
type OverFunc uint8

const (
	OverRowNumber OverFunc = iota + 1 // ROW_NUMBER(): 1, 2, ... per partition
	OverLag                           // LAG(x, n, default): x of the n-th previous row
	OverLead                          // LEAD(x, n, default): x of the n-th next row
	OverAgg                           // a running aggregate (OverCall.Agg)
)

// OverCall is one window function of an OverNode. Arg and Default are
// columns of the node's input (the planner projects expressions below
// it).
//
// Rows are ordered by (partition, event time, arrival): rows of a
// partition with equal event times (peers) are numbered and LAG/LEAD-ed in
// the order they reached the operator. A running aggregate's frame is
// RANGE UNBOUNDED PRECEDING .. CURRENT ROW (the SQL default with ORDER
// BY: peers share the value that includes all of them, as DuckDB does)
// unless Rows is set (ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW:
// each row includes the peers that arrived before it).
//
// Result types: ROW_NUMBER → BIGINT NOT NULL; LAG/LEAD → the argument's
// type; aggregates as AggCall (COUNT → BIGINT NOT NULL).
type OverCall struct {
	Func OverFunc
	Agg  AggFunc // OverAgg: AggCountStar, AggCount, AggSum, AggAvg, AggMin, AggMax
	Arg  int     // input column; -1 for ROW_NUMBER and COUNT(*)
	// Offset is LAG/LEAD's n (>= 1).
	Offset int64
	// Default is the input column LAG/LEAD return when the partition has no
	// n-th previous/next row (it is cast to the argument's type); -1 is
	// NULL.
	Default int
	Rows    bool
	T       catalog.Type
}

// OverNode appends window function columns to its append-only input:
// output columns are the input's, then one per Calls. PARTITION BY is
// Partition (input columns, possibly none), ORDER BY is Order, an
// event-time column of the input, ascending.
//
// It emits each row (+I) once the watermark has passed its event time, so
// that no earlier row of its partition can still arrive; a row with LEAD
// also waits for its n-th next row (or the end of the input). Output rows
// are in event-time order per watermark; the output's event-time column is
// Order, and the forwarded watermark stays at or below every held row.
//
// State: the rows not yet emitted, plus per partition its row count, the
// running aggregates and the last rows LAG needs. Per-partition state
// grows with the number of partitions. Limit > 0 (Top-N, set by the
// topN rule when a filter above keeps only ROW_NUMBER <= Limit) emits only
// the first Limit rows of a partition: once a partition has emitted them
// it keeps only its counter, and its later rows are dropped on arrival.
type OverNode struct {
	P         Props
	Input     Physical
	Partition []int
	Order     int
	Calls     []OverCall
	Limit     int64
	// Pos is the file offset of the PARTITION BY (LogicalOver.PartitionPos).
	Pos int
}

// Kind implements Physical.
func (n *OverNode) Kind() PhysKind { return PhysOver }

// Props implements Physical.
func (n *OverNode) Props() *Props { return &n.P }

// Inputs implements Physical.
func (n *OverNode) Inputs() []Physical { return []Physical{n.Input} }

var _ explainer = (*OverNode)(nil)

// explainLine: `over partition=[k] order=ts calls=[row_number() AS rn]
// limit=3  emit=watermark-ordered  state=... key=none changelog=append-only`.
func (n *OverNode) explainLine() string {
	in := n.Input.Props().Schema
	names := in.Names()
	parts := make([]string, len(n.Partition))
	for i, c := range n.Partition {
		parts[i] = names[c]
	}
	calls := make([]string, len(n.Calls))
	for i, c := range n.Calls {
		calls[i] = overCallText(c, names)
		if name := n.P.Schema.Columns[in.Len()+i].Name; name != calls[i] {
			calls[i] += " AS " + quoteName(name)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "over partition=[%s] order=%s calls=[%s]", strings.Join(parts, ", "), names[n.Order], strings.Join(calls, ", "))
	if n.Limit > 0 {
		fmt.Fprintf(&b, "  limit=%d", n.Limit)
	}
	b.WriteString("  emit=watermark-ordered")
	b.WriteString(statefulProps(overStateText(n), &n.P, 0))
	return b.String()
}

// overStateText describes what the operator keeps.
func overStateText(n *OverNode) string {
	var per []string
	if n.Limit > 0 {
		return "rows-until-watermark+per-partition(counter)"
	}
	lag := int64(0)
	aggs := false
	for _, c := range n.Calls {
		switch c.Func {
		case OverLag:
			lag = max(lag, c.Offset)
		case OverAgg:
			aggs = true
		}
	}
	per = append(per, "counter")
	if aggs {
		per = append(per, "running-aggs")
	}
	if lag > 0 {
		per = append(per, fmt.Sprintf("last-%d-rows", lag))
	}
	return "rows-until-watermark+per-partition(" + strings.Join(per, ",") + ")"
}

// overCallText renders a call over its input's column names.
func overCallText(c OverCall, names []string) string {
	switch c.Func {
	case OverRowNumber:
		return "row_number()"
	case OverLag, OverLead:
		name := "lag"
		if c.Func == OverLead {
			name = "lead"
		}
		s := fmt.Sprintf("%s(%s, %d", name, names[c.Arg], c.Offset)
		if c.Default >= 0 {
			s += ", " + names[c.Default]
		}
		return s + ")"
	}
	s := c.Agg.String()
	if c.Agg != AggCountStar {
		s += "(" + names[c.Arg] + ")"
	}
	if c.Rows {
		s += " rows"
	}
	return s
}

// overCallType is the result type of a call over an input schema.
func overCallType(c OverCall, in catalog.Schema) (catalog.Type, error) {
	switch c.Func {
	case OverRowNumber:
		return catalog.BigIntType, nil
	case OverLag, OverLead:
		return in.Columns[c.Arg].Type, nil
	}
	if c.Agg == AggCountStar || c.Agg == AggCount {
		return catalog.BigIntType, nil
	}
	return aggType(c.Agg, in.Columns[c.Arg].Type)
}
