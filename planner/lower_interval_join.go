package planner

import "github.com/sqlstream/sqlstream/planner/scalar"

// lowerIntervalJoin lowers a join bounded in event time.
//
// TODO(issue 4, interval joins).
func lowerIntervalJoin(n *LogicalJoin, left, right Physical, lk, rk []int, iv *IntervalBound, residual scalar.Expr) (Physical, error) {
	return nil, &planError{pos: n.Pos, msg: "not supported yet: interval joins"}
}
