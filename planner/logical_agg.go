package planner

import "github.com/sqlstream/sqlstream/catalog"

// LogicalAgg groups its input by the GroupBy columns and computes Aggs
// (arguments and FILTER conditions are input columns). Output columns are
// the group columns in order, then one per aggregate, named by Names. With
// no GroupBy it is a global aggregate: exactly one output row. Pos is the
// file offset of its GROUP BY keyword (the query's start without one),
// for the state-growth findings of check (state_bound.go).
type LogicalAgg struct {
	Input      Logical
	GroupBy    []int
	Aggs       []AggCall
	Names      []string
	StateTTLMs int64
	Pos        int
}

// Schema types the group columns as their input columns and each
// aggregate by AggCall.T; COUNT is NOT NULL.
func (n *LogicalAgg) Schema() catalog.Schema {
	in := n.Input.Schema()
	cols := make([]catalog.Column, 0, len(n.GroupBy)+len(n.Aggs))
	for _, g := range n.GroupBy {
		cols = append(cols, in.Columns[g])
	}
	for _, a := range n.Aggs {
		cols = append(cols, catalog.Column{Type: a.T, NotNull: a.Func == AggCount || a.Func == AggCountStar})
	}
	for i := range cols {
		cols[i].Name = n.Names[i]
	}
	return catalog.Schema{Columns: cols}
}

// Children returns the input.
func (n *LogicalAgg) Children() []Logical { return []Logical{n.Input} }

func (n *LogicalAgg) withChildren(c []Logical) Logical {
	out := *n
	out.Input = c[0]
	return &out
}
