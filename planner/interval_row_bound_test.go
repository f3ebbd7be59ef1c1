package planner

import (
	"strings"
	"testing"

	"github.com/sqlstream/sqlstream/planner/scalar"
)

// TestRowBoundedJoin: a time bound in one direction plus a bound in the
// other by a TIMESTAMP column of a row (Nexmark's `b.ts BETWEEN a.ts AND
// a.expires`) is a regular join with the whole condition as residual;
// without the row bound, or with one in the same direction, it stays an
// error. The fixture is TestIntervalBound's: r.other is a TIMESTAMP that
// is not an event-time column.
func TestRowBoundedJoin(t *testing.T) {
	for _, tc := range []struct {
		name  string
		conds []scalar.Expr
		rest  string // the residual of the regular join
		err   string // a substring of the error
	}{
		{name: "upper bound by the right row's column", conds: []scalar.Expr{ivBetween(lTS, ivMinus(rTS, 1000), rOther)},
			rest: "l.ts BETWEEN (r.ts - INTERVAL 1s) AND r.other"},
		{name: "lower bound, then the row bound mirrored", conds: []scalar.Expr{ivCmp(scalar.FuncGe, rTS, lTS), ivCmp(scalar.FuncGt, lTS, ivPlus(rOther, 5))},
			rest: "(r.ts >= l.ts) AND (l.ts > (r.other + INTERVAL 5ms))"},
		{name: "row column first", conds: []scalar.Expr{ivCmp(scalar.FuncLe, rTS, lTS), ivCmp(scalar.FuncGe, rOther, lTS)},
			rest: "(r.ts <= l.ts) AND (r.other >= l.ts)"},
		{name: "row bound in the same direction", conds: []scalar.Expr{ivCmp(scalar.FuncGe, rTS, lTS), ivCmp(scalar.FuncLe, lTS, rOther)},
			err: "bounds it only from below (r.ts >= l.ts)"},
		{name: "a bound between columns of one side is no row bound", conds: []scalar.Expr{ivCmp(scalar.FuncGe, rTS, lTS), ivCmp(scalar.FuncLe, rTS, rOther)},
			err: "bounds it only from below (r.ts >= l.ts)"},
		{name: "both directions by event time stay an interval join", conds: []scalar.Expr{ivBetween(rTS, lTS, ivPlus(lTS, 1000)), ivCmp(scalar.FuncGe, lTS, rOther)},
			rest: "interval"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			iv, rest, err := intervalBound(conjoin(tc.conds), ivNL, ivLeft, ivRight)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.rest == "interval" {
				if iv == nil {
					t.Fatal("no interval bound, want one")
				}
				return
			}
			if iv != nil {
				t.Fatalf("bound %+v, want a regular join", *iv)
			}
			if got := stripParens(exprString(rest)); got != tc.rest {
				t.Fatalf("rest = %q, want %q", got, tc.rest)
			}
		})
	}
}
