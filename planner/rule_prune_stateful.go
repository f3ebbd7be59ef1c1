package planner

// pruneAgg narrows an aggregation's input to the group, argument and
// FILTER columns. Every output column is kept (aggregates nobody reads
// are rare and cheap next to the state). An aggregation reading no column
// (COUNT(*) alone) keeps its input's first column so rows still count.
func (pr *pruner) pruneAgg(n *LogicalAgg) (Logical, []int) {
	need := make([]bool, n.Input.Schema().Len())
	for _, g := range n.GroupBy {
		need[g] = true
	}
	for _, a := range n.Aggs {
		if a.Arg >= 0 {
			need[a.Arg] = true
		}
		if a.Filter >= 0 {
			need[a.Filter] = true
		}
	}
	if len(need) > 0 && !anyTrue(need) {
		need[0] = true
	}
	in, m := pr.prune(n.Input, need)
	out := *n
	out.Input = in
	out.GroupBy = make([]int, len(n.GroupBy))
	for i, g := range n.GroupBy {
		out.GroupBy[i] = m[g]
	}
	out.Aggs = append([]AggCall(nil), n.Aggs...)
	for i := range out.Aggs {
		if a := &out.Aggs[i]; a.Arg >= 0 {
			a.Arg = m[a.Arg]
		}
		if a := &out.Aggs[i]; a.Filter >= 0 {
			a.Filter = m[a.Filter]
		}
	}
	return &out, identityMapping(len(n.Names))
}

// pruneJoin narrows both inputs to the columns read above the join and
// by its condition.
func (pr *pruner) pruneJoin(n *LogicalJoin, req []bool) (Logical, []int) {
	nl := n.Left.Schema().Len()
	need := append([]bool(nil), req...)
	if n.Cond != nil {
		usedColumns(n.Cond, need)
	}
	left, ml := pr.prune(n.Left, need[:nl])
	right, mr := pr.prune(n.Right, need[nl:])
	m, names := concatMapping(ml, mr, left.Schema().Len(), n.Names)
	out := *n
	out.Left, out.Right, out.Names = left, right, names
	if n.Cond != nil {
		out.Cond = remap(n.Cond, m)
	}
	return &out, m
}

// pruneLookupJoin narrows the input; the table's columns all stay (a
// lookup returns whole table rows).
func (pr *pruner) pruneLookupJoin(n *LogicalLookupJoin, req []bool) (Logical, []int) {
	ni := n.Input.Schema().Len()
	need := append([]bool(nil), req...)
	usedColumns(n.Cond, need)
	in, mi := pr.prune(n.Input, need[:ni])
	m, names := concatMapping(mi, identityMapping(n.Table.Schema.Len()), in.Schema().Len(), n.Names)
	out := *n
	out.Input, out.Names, out.Cond = in, names, remap(n.Cond, m)
	return &out, m
}

// concatMapping combines the mappings of a join's two inputs (the new
// left has nl columns) and keeps the names of the columns that remain
// (pruning only drops columns, so every new column has an old one).
func concatMapping(ml, mr []int, nl int, names []string) ([]int, []string) {
	m := make([]int, len(ml)+len(mr))
	out := make([]string, nl)
	for i, x := range ml {
		m[i] = x
		if x >= 0 {
			out[x] = names[i]
		}
	}
	for j, x := range mr {
		m[len(ml)+j] = -1
		if x >= 0 {
			m[len(ml)+j] = nl + x
			for len(out) <= nl+x {
				out = append(out, "")
			}
			out[nl+x] = names[len(ml)+j]
		}
	}
	return m, out
}

func anyTrue(bs []bool) bool {
	for _, b := range bs {
		if b {
			return true
		}
	}
	return false
}
