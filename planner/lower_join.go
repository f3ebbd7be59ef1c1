package planner

import (
	"github.com/sqlstream/sqlstream/catalog"
)

// lowerJoin lowers a regular join to a JoinNode: the condition's
// equalities between the sides become key pairs (computed keys are
// projected below the join and away above it), the rest the residual.
func lowerJoin(n *LogicalJoin) (Physical, error) {
	left, err := lower(n.Left)
	if err != nil {
		return nil, err
	}
	right, err := lower(n.Right)
	if err != nil {
		return nil, err
	}
	nl, nr := left.Props().Schema.Len(), right.Props().Schema.Len()
	lx, rx, residual := splitEquiKeys(n.Cond, nl)
	if len(lx) == 0 {
		return nil, &planError{pos: n.Pos, msg: "a streaming join needs an equality between its two sides (ON a.x = b.y); cross joins and non-equi joins are not supported"}
	}
	iv, residual, err := intervalBound(residual, nl, left.Props(), right.Props())
	if err != nil {
		return nil, &planError{pos: n.Pos, msg: err.Error()}
	}
	left, lk, la := withKeyColumns(left, lx)
	right, rk, ra := withKeyColumns(right, rx)
	if residual != nil && la > 0 {
		residual = remap(residual, joinMapping(nl, nr, la))
	}
	if iv != nil {
		j, err := timedJoin(n, left, right, lk, rk, iv, residual)
		if err != nil || la+ra == 0 {
			return j, err
		}
		return dropColumns(j, joinMapping(nl, nr, la), n.Schema()), nil
	}
	lp, rp := left.Props(), right.Props()
	schema := joinSchema(n.Schema(), nl, lp.Schema, rp.Schema)
	j := &JoinNode{
		P:          Props{Schema: schema, Mode: joinMode(n.Type, lp, rp), Key: joinKey(n.Type, lp, rp, lk, rk), Stateful: true},
		Left:       left,
		Right:      right,
		Type:       n.Type,
		LeftKeys:   lk,
		RightKeys:  rk,
		Residual:   residual,
		StateTTLMs: n.StateTTLMs,
		Pos:        n.Pos,
	}
	if la+ra == 0 {
		return j, nil
	}
	return dropColumns(j, joinMapping(nl, nr, la), n.Schema()), nil
}

// joinMapping maps left++right column i to its index in left'++right'
// where left' has la appended columns.
func joinMapping(nl, nr, la int) []int {
	m := make([]int, nl+nr)
	for i := range m {
		m[i] = i
		if i >= nl {
			m[i] = i + la
		}
	}
	return m
}

// joinSchema is the JoinNode's output: the logical join's columns with
// the appended key columns of each side after that side's columns.
func joinSchema(out catalog.Schema, nl int, l, r catalog.Schema) catalog.Schema {
	nr := out.Len() - nl
	cols := append([]catalog.Column(nil), out.Columns[:nl]...)
	cols = append(cols, l.Columns[nl:]...)
	cols = append(cols, out.Columns[nl:]...)
	cols = append(cols, r.Columns[nr:]...)
	return catalog.Schema{Columns: cols}
}

// joinMode: an inner join of append-only inputs appends; every other join
// retracts (outer joins retract their NULL-padded rows).
func joinMode(t JoinType, l, r *Props) catalog.ChangelogMode {
	if t == InnerJoin && l.Mode == catalog.AppendOnly && r.Mode == catalog.AppendOnly {
		return catalog.AppendOnly
	}
	return catalog.Retract
}

// joinKey derives the output's unique key (right columns shifted past the
// left's). When the right join keys cover the right input's key, each left
// row matches at most one right row, so the left key stays unique (inner
// and left joins); symmetrically for the right key (inner and right
// joins). Otherwise, when both inputs have keys, their union is a key (a
// NULL-padded row of an outer join has NULLs in the padded side's key
// columns; consumers compare keys NULL-safely). Else none.
func joinKey(t JoinType, l, r *Props, lk, rk []int) []int {
	nl := l.Schema.Len()
	var rkey []int
	if r.Key != nil {
		rkey = make([]int, len(r.Key))
		for i, k := range r.Key {
			rkey[i] = nl + k
		}
	}
	switch {
	case (t == InnerJoin || t == LeftJoin) && l.Key != nil && covers(rk, r.Key):
		return l.Key
	case (t == InnerJoin || t == RightJoin) && rkey != nil && covers(lk, l.Key):
		return rkey
	case l.Key != nil && rkey != nil:
		return append(append([]int{}, l.Key...), rkey...)
	}
	return nil
}
