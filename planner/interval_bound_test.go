package planner

import (
	"strings"
	"testing"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// The interval-join bound recognizer over a join of
// l(k, ts, ts2, v) and r(k, ts, other, w): l.ts, l.ts2 and r.ts are
// event-time columns, r.other is a TIMESTAMP that is not.
var (
	ivLeft = &Props{Schema: catalog.Schema{Columns: []catalog.Column{
		{Name: "k", Type: catalog.BigIntType}, {Name: "ts", Type: catalog.TimestampType},
		{Name: "ts2", Type: catalog.TimestampType}, {Name: "v", Type: catalog.BigIntType}}}, Time: []int{1, 2}}
	ivRight = &Props{Schema: catalog.Schema{Columns: []catalog.Column{
		{Name: "k", Type: catalog.BigIntType}, {Name: "ts", Type: catalog.TimestampType},
		{Name: "other", Type: catalog.TimestampType}, {Name: "w", Type: catalog.BigIntType}}}, Time: []int{1}}

	lTS    = &scalar.ColRef{Index: 1, Name: "l.ts", T: catalog.TimestampType}
	lTS2   = &scalar.ColRef{Index: 2, Name: "l.ts2", T: catalog.TimestampType}
	lV     = &scalar.ColRef{Index: 3, Name: "l.v", T: catalog.BigIntType}
	rTS    = &scalar.ColRef{Index: 5, Name: "r.ts", T: catalog.TimestampType}
	rOther = &scalar.ColRef{Index: 6, Name: "r.other", T: catalog.TimestampType}
	rW     = &scalar.ColRef{Index: 7, Name: "r.w", T: catalog.BigIntType}
)

const ivNL = 4

func ivPlus(e scalar.Expr, ms int64) scalar.Expr {
	return &scalar.Call{Func: scalar.FuncTimestampAdd, Args: []scalar.Expr{e, &scalar.Literal{Value: scalar.IntervalValue{Millis: ms}, T: catalog.IntervalType}}, T: catalog.TimestampType}
}

func ivMinus(e scalar.Expr, ms int64) scalar.Expr {
	return &scalar.Call{Func: scalar.FuncTimestampSub, Args: []scalar.Expr{e, &scalar.Literal{Value: scalar.IntervalValue{Millis: ms}, T: catalog.IntervalType}}, T: catalog.TimestampType}
}

func ivCmp(f scalar.Func, a, b scalar.Expr) scalar.Expr {
	return &scalar.Call{Func: f, Args: []scalar.Expr{a, b}, T: catalog.BooleanType}
}

func ivBetween(x, lo, hi scalar.Expr) scalar.Expr {
	return &scalar.Call{Func: scalar.FuncBetween, Args: []scalar.Expr{x, lo, hi}, T: catalog.BooleanType}
}

func TestIntervalBound(t *testing.T) {
	months := &scalar.Call{Func: scalar.FuncTimestampAdd, Args: []scalar.Expr{lTS,
		&scalar.Literal{Value: scalar.IntervalValue{Months: 1}, T: catalog.IntervalType}}, T: catalog.TimestampType}
	vLess := ivCmp(scalar.FuncLt, lV, rW)
	for _, tc := range []struct {
		name  string
		conds []scalar.Expr
		want  *IntervalBound // nil: no interval join
		rest  string         // the remaining condition, "" for none
		err   string         // a substring of the error
	}{
		{name: "between", conds: []scalar.Expr{ivBetween(rTS, ivMinus(lTS, 5000), ivPlus(lTS, 3600_000))},
			want: &IntervalBound{LeftTime: 1, RightTime: 1, Lower: -5000, Upper: 3600_000}},
		{name: "between with the left column inside", conds: []scalar.Expr{ivBetween(lTS, ivMinus(rTS, 3600_000), ivPlus(rTS, 5000))},
			want: &IntervalBound{LeftTime: 1, RightTime: 1, Lower: -5000, Upper: 3600_000}},
		{name: "strict bounds tighten by 1ms", conds: []scalar.Expr{ivCmp(scalar.FuncGt, rTS, lTS), ivCmp(scalar.FuncLt, rTS, ivPlus(lTS, 10_000))},
			want: &IntervalBound{LeftTime: 1, RightTime: 1, Lower: 1, Upper: 9_999}},
		{name: "left column first", conds: []scalar.Expr{ivCmp(scalar.FuncLt, lTS, ivPlus(rTS, 2000)), ivCmp(scalar.FuncGe, lTS, ivMinus(rTS, 3000))},
			want: &IntervalBound{LeftTime: 1, RightTime: 1, Lower: -1999, Upper: 3000}},
		{name: "offsets on both sides", conds: []scalar.Expr{ivCmp(scalar.FuncLe, ivPlus(rTS, 1000), ivPlus(lTS, 4000)), ivCmp(scalar.FuncGe, ivMinus(rTS, 1000), ivMinus(lTS, 3000))},
			want: &IntervalBound{LeftTime: 1, RightTime: 1, Lower: -2000, Upper: 3000}},
		{name: "several bounds intersect", conds: []scalar.Expr{
			ivBetween(rTS, ivMinus(lTS, 10_000), ivPlus(lTS, 10_000)), ivCmp(scalar.FuncGe, rTS, lTS), ivCmp(scalar.FuncLe, rTS, ivPlus(lTS, 3600_000))},
			want: &IntervalBound{LeftTime: 1, RightTime: 1, Lower: 0, Upper: 10_000}},
		{name: "nested intervals", conds: []scalar.Expr{ivBetween(rTS, lTS, ivMinus(ivPlus(lTS, 3600_000), 1800_000))},
			want: &IntervalBound{LeftTime: 1, RightTime: 1, Lower: 0, Upper: 1800_000}},
		{name: "equal bounds", conds: []scalar.Expr{ivBetween(rTS, ivPlus(lTS, 5000), ivPlus(lTS, 5000))},
			want: &IntervalBound{LeftTime: 1, RightTime: 1, Lower: 5000, Upper: 5000}},
		{name: "other conjuncts stay", conds: []scalar.Expr{vLess, ivBetween(rTS, ivMinus(lTS, 1000), ivPlus(lTS, 1000))},
			want: &IntervalBound{LeftTime: 1, RightTime: 1, Lower: -1000, Upper: 1000}, rest: "l.v < r.w"},
		{name: "half a between", conds: []scalar.Expr{ivCmp(scalar.FuncLe, rTS, ivPlus(lTS, 1000)), ivBetween(rTS, lTS, rOther)},
			want: &IntervalBound{LeftTime: 1, RightTime: 1, Lower: 0, Upper: 1000}, rest: "r.ts <= r.other"},
		{name: "second pair chosen, the first stays", conds: []scalar.Expr{ivCmp(scalar.FuncGe, rTS, lTS), ivBetween(rTS, lTS2, ivPlus(lTS2, 1000))},
			want: &IntervalBound{LeftTime: 2, RightTime: 1, Lower: 0, Upper: 1000}, rest: "r.ts >= l.ts"},
		{name: "non-event-time column: a regular join", conds: []scalar.Expr{ivBetween(rOther, ivMinus(lTS, 1000), ivPlus(lTS, 1000))},
			rest: "r.other BETWEEN (l.ts - INTERVAL 1s) AND (l.ts + INTERVAL 1s)"},
		{name: "same side: a regular join", conds: []scalar.Expr{ivCmp(scalar.FuncLt, lTS, lTS2), vLess}, rest: "(l.ts < l.ts2) AND (l.v < r.w)"},
		{name: "not between: a regular join", conds: []scalar.Expr{&scalar.Call{Func: scalar.FuncNot, Args: []scalar.Expr{
			ivBetween(rTS, lTS, ivPlus(lTS, 1000))}, T: catalog.BooleanType}},
			rest: "NOT (r.ts BETWEEN l.ts AND (l.ts + INTERVAL 1s))"},
		{name: "no condition"},
		{name: "lower bound only", conds: []scalar.Expr{ivCmp(scalar.FuncGe, rTS, ivMinus(lTS, 5000))},
			err: "needs both a lower and an upper bound on r.ts, but the condition bounds it only from below (r.ts >= l.ts - 5s); add an upper bound such as r.ts <= l.ts + INTERVAL n unit"},
		{name: "upper bound only", conds: []scalar.Expr{vLess, ivCmp(scalar.FuncLt, rTS, ivPlus(lTS, 3600_000))},
			err: "bounds it only from above (r.ts <= l.ts + 3599999ms); add a lower bound such as r.ts >= l.ts - INTERVAL n unit"},
		{name: "upper bound only, left column first", conds: []scalar.Expr{ivCmp(scalar.FuncGe, lTS, rTS)},
			err: "bounds it only from above (r.ts <= l.ts)"},
		{name: "empty interval", conds: []scalar.Expr{ivBetween(rTS, ivPlus(lTS, 10_000), ivPlus(lTS, 5000))},
			err: "bounds are empty: r.ts must be at least l.ts + 10s and at most l.ts + 5s"},
		{name: "strictly empty", conds: []scalar.Expr{ivCmp(scalar.FuncGt, rTS, lTS), ivCmp(scalar.FuncLt, rTS, ivPlus(lTS, 1))},
			err: "bounds are empty"},
		{name: "months", conds: []scalar.Expr{ivBetween(rTS, lTS, months)}, err: "INTERVAL of months or years"},
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
			switch {
			case tc.want == nil && iv != nil:
				t.Fatalf("bound %+v, want none", *iv)
			case tc.want != nil && iv == nil:
				t.Fatalf("no bound, want %+v", *tc.want)
			case tc.want != nil && *iv != *tc.want:
				t.Fatalf("bound %+v, want %+v", *iv, *tc.want)
			}
			got := ""
			if rest != nil {
				got = stripParens(exprString(rest))
			}
			if got != tc.rest {
				t.Fatalf("rest = %q, want %q", got, tc.rest)
			}
		})
	}
}

func TestOffsetText(t *testing.T) {
	for ms, want := range map[int64]string{0: "", 5000: " + 5s", -5000: " - 5s", 3600_000: " + 1h", -1: " - 1ms"} {
		if got := offsetText(ms); got != want {
			t.Errorf("offsetText(%d) = %q, want %q", ms, got, want)
		}
	}
}
