package planner

import (
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// rowBounded reports whether conds (conjuncts of a join condition over
// left++right, nl left columns, that are not event-time bounds) bound the
// event-time pair p in the direction p lacks by another TIMESTAMP column
// of a row: Nexmark's `B.date_time BETWEEN A.date_time AND A.expires`,
// where the lower bound is A's event time and the upper bound A's own
// expires column. Such a join is bounded per row, not by a constant
// interval, so it is not an interval join: it stays a regular join (as in
// Flink and RisingWave) whose condition is the residual, and its state
// keeps every row. Without such a bound, a one-sided interval is an error
// (boundPair.check).
//
// With p normalized to `right.ts >= left.ts + lower` (and/or <= upper), a
// missing upper bound is supplied by `right.ts <= left.c (± interval)` or
// `left.ts >= right.c`, a missing lower bound by `right.ts >= left.c` or
// `left.ts <= right.c`, strict comparisons alike, where c is any TIMESTAMP
// column of that side other than the pair's own time column.
func rowBounded(conds []scalar.Expr, nl int, p *boundPair) bool {
	for _, c := range comparisons(conds) {
		call, ok := c.(*scalar.Call)
		if !ok || len(call.Args) != 2 {
			continue
		}
		var upper bool // the comparison bounds x from above
		switch call.Func {
		case scalar.FuncLt, scalar.FuncLe:
			upper = true
		case scalar.FuncGt, scalar.FuncGe:
		default:
			continue
		}
		a, aOK, _ := timeTerm(call.Args[0])
		b, bOK, _ := timeTerm(call.Args[1])
		if !aOK || !bOK || (a.col < nl) == (b.col < nl) {
			continue // not a comparison of timestamps of both sides
		}
		if dir, ok := rowBoundDirection(a.col, b.col, nl, p, upper); ok && dir == !p.hasUpper {
			return true
		}
		if dir, ok := rowBoundDirection(b.col, a.col, nl, p, !upper); ok && dir == !p.hasUpper {
			return true
		}
	}
	return false
}

// rowBoundDirection reads `x op y` (op bounding x from above when upper)
// as a bound on the right time column of p: ok when x is one of p's time
// columns and y a column of the other side other than p's; dir is true
// for an upper bound on the right time column, false for a lower one.
func rowBoundDirection(x, y, nl int, p *boundPair, upper bool) (dir, ok bool) {
	switch {
	case x == nl+p.right && y < nl && y != p.left:
		return upper, true
	case x == p.left && y >= nl && y != nl+p.right:
		// The mirror image: left.ts >= right.c bounds the left row's time
		// from below by the right row, as right.ts <= left.c bounds the
		// right one's from above.
		return !upper, true
	}
	return false, false
}

// comparisons splits `x BETWEEN lo AND hi` into x >= lo and x <= hi.
func comparisons(conds []scalar.Expr) []scalar.Expr {
	var out []scalar.Expr
	for _, c := range conds {
		if call, ok := c.(*scalar.Call); ok && call.Func == scalar.FuncBetween && len(call.Args) == 3 {
			out = append(out,
				&scalar.Call{Func: scalar.FuncGe, Args: []scalar.Expr{call.Args[0], call.Args[1]}, T: catalog.BooleanType},
				&scalar.Call{Func: scalar.FuncLe, Args: []scalar.Expr{call.Args[0], call.Args[2]}, T: catalog.BooleanType})
			continue
		}
		out = append(out, c)
	}
	return out
}
