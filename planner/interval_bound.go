package planner

import "github.com/sqlstream/sqlstream/planner/scalar"

// intervalBound finds the time bounds of an interval join in residual (the
// join condition without its equi-key pairs, over left++right with nl
// left columns): conjuncts comparing an event-time column of one side
// with an event-time column of the other plus or minus a constant
// interval. It returns nil when the condition bounds no event times (a
// regular join), and an error when it bounds only one direction (the
// state would grow without bound). rest is residual without the bounds.
//
// TODO(issue 4, interval joins): recognize the bounds.
func intervalBound(residual scalar.Expr, nl int, left, right *Props) (iv *IntervalBound, rest scalar.Expr, err error) {
	return nil, residual, nil
}
