package planner

import "github.com/sqlstream/sqlstream/planner/scalar"

// lowerUniqueJoin lowers a join bounded in event time whose sides are both
// unique on the join key into the unique-key join; ok is false when it
// does not apply.
//
// TODO(issue 4, unique-key join).
func lowerUniqueJoin(n *LogicalJoin, left, right Physical, lk, rk []int, iv *IntervalBound, residual scalar.Expr) (p Physical, ok bool, err error) {
	return nil, false, nil
}
