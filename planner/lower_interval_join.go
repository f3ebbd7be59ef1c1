package planner

import (
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// lowerIntervalJoin lowers a join bounded in event time into an
// IntervalJoinNode. left and right are the inputs after withKeyColumns
// (computed keys appended), lk and rk their key columns, iv the time
// bounds and residual the rest of the condition over left++right. Both
// inputs must be append-only: the operator drops rows once their
// interval closes, so it could not retract what they joined.
func lowerIntervalJoin(n *LogicalJoin, left, right Physical, lk, rk []int, iv *IntervalBound, residual scalar.Expr) (Physical, error) {
	lp, rp := left.Props(), right.Props()
	for _, in := range []struct {
		name string
		p    *Props
	}{{"left", lp}, {"right", rp}} {
		if in.p.Mode != catalog.AppendOnly {
			return nil, &planError{pos: n.Pos, msg: "an interval join needs append-only inputs, but its " + in.name +
				" input is a " + modeText(in.p) + " changelog; join changelogs with a regular join (without time bounds on event-time columns)"}
		}
	}
	nlw := lp.Schema.Len()
	schema := joinSchema(n.Schema(), n.Left.Schema().Len(), lp.Schema, rp.Schema)
	return &IntervalJoinNode{
		P: Props{
			Schema: schema, Mode: catalog.AppendOnly, Key: joinKey(n.Type, lp, rp, lk, rk), Stateful: true,
			Time: []int{iv.LeftTime, nlw + iv.RightTime},
		},
		Left: left, Right: right, Type: n.Type, LeftKeys: lk, RightKeys: rk, Bound: iv, Residual: residual,
	}, nil
}
