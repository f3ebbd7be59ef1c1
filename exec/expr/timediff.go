package expr

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/catalog/sqlval"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// timeDiffKernel evaluates TIMESTAMPDIFF(unit, a, b) over TIMESTAMP (epoch
// ms) operands and DATEDIFF(a, b) over DATE (epoch days) operands into
// BIGINT, one whole-array loop per unit. Either operand may be a constant.
type timeDiffKernel struct {
	a, b Kernel
	// div > 0: a fixed-length unit of div ms (mul 1000 for MICROSECOND);
	// months > 0: a calendar unit of that many months; date: DATEDIFF.
	div, mul, months int64
	date             bool
}

func (k *timeDiffKernel) Type() catalog.Type { return catalog.BigIntType }

// timeDiffUnits maps TIMESTAMPDIFF's units to a divisor in ms (or, for the
// calendar units, a number of months).
var timeDiffUnits = map[string]struct{ div, months int64 }{
	"MICROSECOND": {div: 1}, "SECOND": {div: 1000}, "MINUTE": {div: 60_000},
	"HOUR": {div: 3_600_000}, "DAY": {div: msPerDay}, "WEEK": {div: 7 * msPerDay},
	"MONTH": {months: 1}, "QUARTER": {months: 3}, "YEAR": {months: 12},
}

func (c *compiler) compileTimeDiff(e *scalar.Call) (Kernel, error) {
	k := &timeDiffKernel{mul: 1}
	args, want := e.Args, catalog.TimestampType
	switch e.Func {
	case scalar.FuncDateDiff:
		k.date, want = true, catalog.DateType
	case scalar.FuncTimestampDiff:
		if len(args) != 3 {
			return nil, fmt.Errorf("%s: want 3 arguments", e)
		}
		lit, ok := args[0].(*scalar.Literal)
		unit, _ := lit.Value.(string)
		u, known := timeDiffUnits[unit]
		if !ok || !known {
			return nil, fmt.Errorf("%s: unit must be one of %v", e, scalar.TimestampDiffUnits)
		}
		k.div, k.months = u.div, u.months
		if unit == "MICROSECOND" {
			k.mul = 1000
		}
		args = args[1:]
	}
	if len(args) != 2 {
		return nil, fmt.Errorf("%s: want 2 operands", e)
	}
	var err error
	if k.a, err = c.compileAs(args[0], want); err != nil {
		return nil, err
	}
	if k.b, err = c.compileAs(args[1], want); err != nil {
		return nil, err
	}
	return k, nil
}

func (k *timeDiffKernel) Eval(rec arrow.RecordBatch, mem memory.Allocator) (arrow.Array, error) {
	ops, err := evalOperands([]Kernel{k.a, k.b}, rec, mem)
	if err != nil {
		return nil, err
	}
	defer releaseOperands(ops)
	n := int(rec.NumRows())
	if anyNullConst(ops) {
		return nullArray(mem, catalog.BigIntType, n), nil
	}
	buf, out := newI64Out(mem, n)
	switch {
	case k.date:
		av, sa := vecI32(ops[0])
		bv, sb := vecI32(ops[1])
		for i := range out {
			out[i] = int64(av[i*sa]) - int64(bv[i*sb])
		}
	case k.months > 0:
		av, sa := vecI64(ops[0])
		bv, sb := vecI64(ops[1])
		for i := range out {
			out[i] = monthsBetween(av[i*sa], bv[i*sb]) / k.months
		}
	default:
		av, sa := vecI64(ops[0])
		bv, sb := vecI64(ops[1])
		for i := range out {
			// Go's division truncates toward zero, as MySQL's count does.
			out[i] = (bv[i*sb] - av[i*sa]) * k.mul / k.div
		}
	}
	return fixedArray(arrow.PrimitiveTypes.Int64, n, andValidity(mem, n, arrays(ops)...), buf), nil
}

// vecI32 is an int32 (DATE) operand with stride 0 for constants.
func vecI32(o operand) ([]int32, int) {
	if o.arr == nil {
		return []int32{int32(toI64(o.c.v))}, 0
	}
	return i32s(o.arr), 1
}

// monthsBetween is the number of whole calendar months from a to b (epoch
// ms), truncated toward zero as MySQL's TIMESTAMPDIFF(MONTH): the difference
// of the months, less one when b's day of month and time of day come before
// a's (for b >= a; symmetrically when b < a).
func monthsBetween(a, b int64) int64 {
	if b < a {
		return -monthsBetween(b, a)
	}
	da, db := sqlval.FloorDiv(a, msPerDay), sqlval.FloorDiv(b, msPerDay)
	ya, ma, dda := sqlval.CivilFromDays(da)
	yb, mb, ddb := sqlval.CivilFromDays(db)
	m := (yb*12 + mb) - (ya*12 + ma)
	ta, tb := a-da*msPerDay, b-db*msPerDay
	if ddb < dda || (ddb == dda && tb < ta) {
		m--
	}
	return m
}
