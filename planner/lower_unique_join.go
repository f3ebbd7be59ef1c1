package planner

import (
	"slices"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// lowerUniqueJoin lowers a join bounded in event time whose sides are both
// unique on the join key into the unique-key join; ok is false when it
// does not apply: a RIGHT or FULL join, an input that is not append-only,
// a side whose unique key the join keys do not cover, or bound time
// columns that are not event times of their inputs. Then the interval
// join takes it.
//
// When the left input is itself a unique-key join (directly or under a
// projection that only picks columns, as lowerJoin adds for computed
// keys) and this join's left keys are that join's key — the columns of
// its first input, or of an input every output row has (INNER) — the two
// merge into one node with one more input: a ⋈ b ⋈ c on trace_id keeps
// one partial row per key, not one per join. (Such keys are unique even
// when they are not the left input's declared key: an INNER-joined
// input's key equals the first input's in every row.) The new input's bound is
// relative to whichever earlier input's time the ON clause names.
func lowerUniqueJoin(n *LogicalJoin, left, right Physical, lk, rk []int, iv *IntervalBound, residual scalar.Expr) (p Physical, ok bool, err error) {
	if iv == nil || (n.Type != InnerJoin && n.Type != LeftJoin) {
		return nil, false, nil
	}
	lp, rp := left.Props(), right.Props()
	if lp.Mode != catalog.AppendOnly || rp.Mode != catalog.AppendOnly || !covers(rk, rp.Key) {
		return nil, false, nil
	}
	if indexOf(lp.Time, iv.LeftTime) < 0 || indexOf(rp.Time, iv.RightTime) < 0 {
		return nil, false, nil
	}
	nl := lp.Schema.Len()
	schema := joinSchema(n.Schema(), nl, lp.Schema, rp.Schema)
	step := UniqueJoinStep{Type: n.Type, Lower: iv.Lower, Upper: iv.Upper, Residual: residual}
	if m, ok := mergeUniqueJoin(left, right, lk, rk, iv, step, schema); ok {
		return m, true, nil
	}
	if !covers(lk, lp.Key) {
		return nil, false, nil
	}
	j := &UniqueJoinNode{
		Ins:   []Physical{left, right},
		Keys:  [][]int{lk, rk},
		Times: []int{iv.LeftTime, iv.RightTime},
		Steps: []UniqueJoinStep{step},
	}
	j.P = uniqueJoinProps(j, schema)
	return j, true, nil
}

// mergeUniqueJoin adds right as one more input of the unique-key join
// under left (see lowerUniqueJoin); schema is the join's expected output
// (left's columns then right's), which a projection restores when left
// was a projection of the join.
func mergeUniqueJoin(left, right Physical, lk, rk []int, iv *IntervalBound, step UniqueJoinStep, schema catalog.Schema) (Physical, bool) {
	u, pick := underUniqueJoin(left)
	if u == nil || len(lk) != len(u.Keys[0]) {
		return nil, false
	}
	col := func(c int) int {
		if pick == nil {
			return c
		}
		return pick[c]
	}
	keys := make([]int, len(lk))
	seen := make([]bool, len(lk))
	for p, c := range lk {
		q := u.keyPosition(col(c))
		if q < 0 || seen[q] {
			return nil, false
		}
		seen[q], keys[q] = true, rk[p]
	}
	ref := u.timeInput(col(iv.LeftTime))
	if ref < 0 {
		return nil, false
	}
	nl, nu := left.Props().Schema.Len(), u.P.Schema.Len()
	mapping := make([]int, schema.Len())
	for i := range mapping {
		mapping[i] = nu + i - nl
		if i < nl {
			mapping[i] = col(i)
		}
	}
	step.Ref = ref
	if step.Residual != nil {
		step.Residual = remap(step.Residual, mapping)
	}
	m := &UniqueJoinNode{
		Ins:   append(slices.Clone(u.Ins), right),
		Keys:  append(slices.Clone(u.Keys), keys),
		Times: append(slices.Clone(u.Times), iv.RightTime),
		Steps: append(slices.Clone(u.Steps), step),
	}
	if pick == nil {
		m.P = uniqueJoinProps(m, schema)
		return m, true
	}
	cols := append(slices.Clone(u.P.Schema.Columns), schema.Columns[nl:]...)
	m.P = uniqueJoinProps(m, catalog.Schema{Columns: cols})
	return dropColumns(m, mapping, schema), true
}

// underUniqueJoin returns the unique-key join p is, or that p only picks
// columns of (pick[i] is the join column of p's column i).
func underUniqueJoin(p Physical) (*UniqueJoinNode, []int) {
	switch x := p.(type) {
	case *UniqueJoinNode:
		return x, nil
	case *ProjectNode:
		u, ok := x.Input.(*UniqueJoinNode)
		if !ok {
			return nil, nil
		}
		pick := make([]int, len(x.Exprs))
		for i, e := range x.Exprs {
			r, ok := e.(*scalar.ColRef)
			if !ok {
				return nil, nil
			}
			pick[i] = r.Index
		}
		return u, pick
	}
	return nil, nil
}

// keyPosition returns which key column (position in Keys) output column c
// is, counting only inputs present in every output row (the first and
// INNER-joined ones), or -1.
func (n *UniqueJoinNode) keyPosition(c int) int {
	for i := range n.Ins {
		if i > 0 && n.Steps[i-1].Type != InnerJoin {
			continue
		}
		off := n.Offset(i)
		for q, k := range n.Keys[i] {
			if off+k == c {
				return q
			}
		}
	}
	return -1
}

// timeInput returns the input whose event-time column is output column
// c, or -1.
func (n *UniqueJoinNode) timeInput(c int) int {
	for i := range n.Ins {
		if n.Offset(i)+n.Times[i] == c {
			return i
		}
	}
	return -1
}
