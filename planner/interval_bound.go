package planner

import (
	"fmt"
	"math"
	"slices"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// intervalBound finds the time bounds of an interval join in residual (the
// join condition without its equi-key pairs, over left++right with nl
// left columns): conjuncts comparing an event-time column of one side
// with an event-time column of the other plus or minus a constant
// interval. It returns nil when the condition bounds no event times (a
// regular join), and an error when it bounds only one direction (the
// state would grow without bound). rest is residual without the bounds.
//
// Recognized: `x BETWEEN lo AND hi` (both ends included) and `<`, `<=`,
// `>`, `>=` with either side first, where each operand is an event-time
// column (Props.Time of its side) shifted by constant fixed-length
// intervals (`ts ± INTERVAL n unit`, nested). A strict bound is one
// millisecond tighter; several bounds of one column pair intersect. When
// bounds name several column pairs, the first pair bounded in both
// directions is the interval join's; the others stay in rest (they still
// filter).
func intervalBound(residual scalar.Expr, nl int, left, right *Props) (iv *IntervalBound, rest scalar.Expr, err error) {
	var pairs []*boundPair
	var keep []scalar.Expr
	for _, c := range conjuncts(residual) {
		parts := []scalar.Expr{c}
		if call, ok := c.(*scalar.Call); ok && call.Func == scalar.FuncBetween && len(call.Args) == 3 {
			// x BETWEEN lo AND hi is TRUE exactly when x >= lo and x <= hi are.
			parts = []scalar.Expr{
				&scalar.Call{Func: scalar.FuncGe, Args: []scalar.Expr{call.Args[0], call.Args[1]}, T: catalog.BooleanType},
				&scalar.Call{Func: scalar.FuncLe, Args: []scalar.Expr{call.Args[0], call.Args[2]}, T: catalog.BooleanType},
			}
		}
		var unused []scalar.Expr
		for _, p := range parts {
			b, ok, err := timeComparison(p, nl, left, right)
			if err != nil {
				return nil, residual, err
			}
			if !ok {
				unused = append(unused, p)
				continue
			}
			pairFor(&pairs, b).add(b, p)
		}
		if len(unused) == len(parts) {
			keep = append(keep, c) // untouched: keep BETWEEN as written
		} else {
			keep = append(keep, unused...)
		}
	}
	if len(pairs) == 0 {
		return nil, residual, nil
	}
	chosen := pairs[0]
	for _, p := range pairs {
		if p.hasLower && p.hasUpper {
			chosen = p
			break
		}
	}
	if !(chosen.hasLower && chosen.hasUpper) && rowBounded(keep, nl, chosen) {
		return nil, residual, nil // bounded per row: a regular join (interval_row_bound.go)
	}
	if err := chosen.check(); err != nil {
		return nil, residual, err
	}
	for _, p := range pairs {
		if p != chosen {
			keep = append(keep, p.conds...)
		}
	}
	iv = &IntervalBound{LeftTime: chosen.left, RightTime: chosen.right, Lower: chosen.lower, Upper: chosen.upper}
	return iv, conjoin(keep), nil
}

// timeBound is one recognized comparison, normalized to
// `right.time op left.time + offset` with op one of >= (lower) or <=
// (upper), strict comparisons already tightened by a millisecond.
type timeBound struct {
	left, right         int // left and right input columns
	leftName, rightName string
	lower               bool // right >= left + offset; else right <= left + offset
	offset              int64
}

// boundPair collects the bounds of one (left time, right time) column
// pair.
type boundPair struct {
	left, right         int
	leftName, rightName string
	hasLower, hasUpper  bool
	lower, upper        int64
	conds               []scalar.Expr // the comparisons, for rest when not chosen
}

func pairFor(pairs *[]*boundPair, b timeBound) *boundPair {
	for _, p := range *pairs {
		if p.left == b.left && p.right == b.right {
			return p
		}
	}
	p := &boundPair{left: b.left, right: b.right, leftName: b.leftName, rightName: b.rightName,
		lower: math.MinInt64, upper: math.MaxInt64}
	*pairs = append(*pairs, p)
	return p
}

// add intersects b into the pair's bounds.
func (p *boundPair) add(b timeBound, cond scalar.Expr) {
	p.conds = append(p.conds, cond)
	if b.lower {
		p.hasLower, p.lower = true, max(p.lower, b.offset)
	} else {
		p.hasUpper, p.upper = true, min(p.upper, b.offset)
	}
}

// check reports a pair bounded in one direction only, or not at all
// satisfiable.
func (p *boundPair) check() error {
	example := fmt.Sprintf("%s BETWEEN %s - INTERVAL n unit AND %s + INTERVAL m unit", p.rightName, p.leftName, p.leftName)
	switch {
	case !p.hasUpper:
		return fmt.Errorf("an interval join needs both a lower and an upper bound on %s, but the condition bounds it only from below (%s >= %s%s); add an upper bound such as %s <= %s + INTERVAL n unit (or write %s), or it is a regular join whose state grows without bound",
			p.rightName, p.rightName, p.leftName, offsetText(p.lower), p.rightName, p.leftName, example)
	case !p.hasLower:
		return fmt.Errorf("an interval join needs both a lower and an upper bound on %s, but the condition bounds it only from above (%s <= %s%s); add a lower bound such as %s >= %s - INTERVAL n unit (or write %s), or it is a regular join whose state grows without bound",
			p.rightName, p.rightName, p.leftName, offsetText(p.upper), p.rightName, p.leftName, example)
	case p.lower > p.upper:
		return fmt.Errorf("the interval join bounds are empty: %s must be at least %s%s and at most %s%s, so no rows can ever match",
			p.rightName, p.leftName, offsetText(p.lower), p.leftName, offsetText(p.upper))
	}
	return nil
}

// offsetText renders an offset added to a time column: "", " + 5s", " - 1h".
func offsetText(ms int64) string {
	switch {
	case ms == 0:
		return ""
	case ms < 0 && ms != math.MinInt64:
		return " - " + formatMillis(-ms)
	case ms < 0:
		return " - " + formatMillis(math.MaxInt64)
	}
	return " + " + formatMillis(ms)
}

// timeComparison recognizes c as a comparison of an event-time column of
// one side with one of the other, each shifted by constant intervals. ok
// is false for anything else; err reports a comparison of event-time
// columns whose bound is not a fixed length (months) or overflows.
func timeComparison(c scalar.Expr, nl int, left, right *Props) (timeBound, bool, error) {
	call, isCall := c.(*scalar.Call)
	if !isCall || len(call.Args) != 2 {
		return timeBound{}, false, nil
	}
	switch call.Func {
	case scalar.FuncLt, scalar.FuncLe, scalar.FuncGt, scalar.FuncGe:
	default:
		return timeBound{}, false, nil
	}
	a, aOK, aMonths := timeTerm(call.Args[0])
	b, bOK, bMonths := timeTerm(call.Args[1])
	if !aOK || !bOK {
		return timeBound{}, false, nil
	}
	f := call.Func
	// Put the right side's column first: right.time f left.time + offset.
	if a.col < nl {
		a, b = b, a
		f = flip(f)
	}
	if a.col < nl || b.col >= nl || !slices.Contains(right.Time, a.col-nl) || !slices.Contains(left.Time, b.col) {
		return timeBound{}, false, nil // not an event-time column of each side
	}
	if aMonths || bMonths {
		return timeBound{}, false, fmt.Errorf("the interval join bound %s uses an INTERVAL of months or years, whose length varies; use a fixed interval (DAY, HOUR, MINUTE, SECOND)", stripParens(exprString(c)))
	}
	// a.col + a.off f b.col + b.off  ⇔  right f left + (b.off - a.off)
	off, ok := subChecked(b.off, a.off)
	if ok {
		switch f {
		case scalar.FuncGt:
			off, ok = addChecked(off, 1)
		case scalar.FuncLt:
			off, ok = addChecked(off, -1)
		}
	}
	if !ok {
		return timeBound{}, false, fmt.Errorf("the interval join bound %s is out of range", stripParens(exprString(c)))
	}
	return timeBound{left: b.col, right: a.col - nl, leftName: b.name, rightName: a.name,
		lower: f == scalar.FuncGt || f == scalar.FuncGe, offset: off}, true, nil
}

// flip mirrors a comparison: a < b ⇔ b > a.
func flip(f scalar.Func) scalar.Func {
	switch f {
	case scalar.FuncLt:
		return scalar.FuncGt
	case scalar.FuncLe:
		return scalar.FuncGe
	case scalar.FuncGt:
		return scalar.FuncLt
	case scalar.FuncGe:
		return scalar.FuncLe
	}
	return f
}

// shiftedCol is a TIMESTAMP column plus a constant offset (ms).
type shiftedCol struct {
	col  int
	name string
	off  int64
}

// timeTerm recognizes `col`, `col + INTERVAL ...` and `col - INTERVAL
// ...` (nested) over a TIMESTAMP column. months reports an interval with
// a calendar part; ok is false for other expressions or an overflow.
func timeTerm(e scalar.Expr) (t shiftedCol, ok, months bool) {
	switch e := e.(type) {
	case *scalar.ColRef:
		if e.T.ID != catalog.Timestamp {
			return shiftedCol{}, false, false
		}
		return shiftedCol{col: e.Index, name: e.Name}, true, false
	case *scalar.Call:
		if (e.Func != scalar.FuncTimestampAdd && e.Func != scalar.FuncTimestampSub) || len(e.Args) != 2 || e.T.ID != catalog.Timestamp {
			return shiftedCol{}, false, false
		}
		lit, isLit := e.Args[1].(*scalar.Literal)
		if !isLit {
			return shiftedCol{}, false, false
		}
		iv, isIv := lit.Value.(scalar.IntervalValue)
		if !isIv {
			return shiftedCol{}, false, false
		}
		t, ok, months = timeTerm(e.Args[0])
		if !ok {
			return shiftedCol{}, false, false
		}
		d := iv.Millis
		if e.Func == scalar.FuncTimestampSub {
			if d == math.MinInt64 {
				return shiftedCol{}, false, false
			}
			d = -d
		}
		if t.off, ok = addChecked(t.off, d); !ok {
			return shiftedCol{}, false, false
		}
		return t, true, months || iv.Months != 0
	}
	return shiftedCol{}, false, false
}

func addChecked(a, b int64) (int64, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, false
	}
	return s, true
}

func subChecked(a, b int64) (int64, bool) {
	if b == math.MinInt64 {
		if a >= 0 {
			return 0, false
		}
		return a - b, true
	}
	return addChecked(a, -b)
}
