package planner

import "github.com/sqlstream/sqlstream/catalog"

// lowerAgg lowers an aggregation to a HashAggNode. Its output is a retract
// stream (groups change) keyed by the group columns; a global aggregate
// has the empty key: it holds at most one row.
func lowerAgg(n *LogicalAgg) (Physical, error) {
	if p, ok, err := lowerWindowAgg(n); ok || err != nil {
		return p, err
	}
	in, err := lower(n.Input)
	if err != nil {
		return nil, err
	}
	key := make([]int, len(n.GroupBy))
	for i := range key {
		key[i] = i
	}
	return &HashAggNode{
		P:          Props{Schema: n.Schema(), Mode: catalog.Retract, Key: key, Stateful: true},
		Input:      in,
		GroupBy:    n.GroupBy,
		Aggs:       n.Aggs,
		StateTTLMs: n.StateTTLMs,
		Pos:        n.Pos,
	}, nil
}
