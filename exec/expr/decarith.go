package expr

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

var zeroDec = decimal128.Num{}

// compileDecArg compiles an operand of DECIMAL arithmetic. Integer operands
// stay integers (scale 0): a Cast from an integer to a DECIMAL wide enough
// to hold it is dropped, so BIGINT * DECIMAL never materializes decimals.
func (c *compiler) compileDecArg(arg scalar.Expr) (Kernel, error) {
	if cast, ok := arg.(*scalar.Cast); ok && cast.T.ID == catalog.Decimal && cast.T.Scale == 0 {
		in := cast.Arg.Type()
		if in.ID == catalog.BigInt && cast.T.Precision >= 19 || in.ID == catalog.Int && cast.T.Precision >= 10 {
			return c.compile(cast.Arg)
		}
	}
	switch t := arg.Type(); {
	case t.ID == catalog.Decimal || t.IsInteger():
		return c.compile(arg)
	case t.ID == catalog.Null:
		return c.compileAs(arg, catalog.BigIntType)
	}
	return c.compileAs(arg, catalog.DecimalType(38, 10))
}

// decArithKernel is DECIMAL arithmetic at the result's scale.
type decArithKernel struct {
	*arithKernel
	sa, sb int32 // operand scales (0 for integers)
}

func newDecArith(k *arithKernel) (Kernel, error) {
	return &decArithKernel{arithKernel: k, sa: scaleOf(k.a.Type()), sb: scaleOf(k.b.Type())}, nil
}

func scaleOf(t catalog.Type) int32 {
	if t.ID == catalog.Decimal {
		return t.Scale
	}
	return 0
}

// vecDec returns an operand as decimals with stride 0 for constants.
func vecDec(o operand) ([]decimal128.Num, int) {
	if o.arr == nil {
		switch v := o.c.v.(type) {
		case decimal128.Num:
			return []decimal128.Num{v}, 0
		default:
			return []decimal128.Num{decimal128.FromI64(toI64(v))}, 0
		}
	}
	if o.arr.DataType().ID() == arrow.DECIMAL128 {
		return decs(o.arr), 1
	}
	iv := i64s(o.arr)
	out := make([]decimal128.Num, len(iv))
	for i, v := range iv {
		out[i] = decimal128.FromI64(v)
	}
	return out, 1
}

func (k *decArithKernel) Eval(rec arrow.RecordBatch, mem memory.Allocator) (arrow.Array, error) {
	ops, err := evalOperands([]Kernel{k.a, k.b}, rec, mem)
	if err != nil {
		return nil, err
	}
	defer releaseOperands(ops)
	n := int(rec.NumRows())
	if anyNullConst(ops) {
		return nullArray(mem, k.t, n), nil
	}
	valid := andValidity(mem, n, arrays(ops)...)
	buf, out := newDecOut(mem, n)
	if err := k.compute(ops, out, &valid, mem); err != nil {
		buf.Release()
		if valid != nil {
			valid.Release()
		}
		return nil, err
	}
	return fixedArray(k.t.Arrow(), n, valid, buf), nil
}

func (k *decArithKernel) compute(ops []operand, out []decimal128.Num, valid **memory.Buffer, mem memory.Allocator) error {
	if k.fn == scalar.FuncMul && ops[0].arr != nil && ops[1].arr == nil &&
		ops[0].arr.DataType().ID() == arrow.INT64 && k.sa+k.sb == k.t.Scale {
		if c, ok := ops[1].c.v.(decimal128.Num); ok && fitsI64(c) {
			return k.mulI64Const(i64s(ops[0].arr), int64(c.LowBits()), out, valid)
		}
	}
	av, sa := vecDec(ops[0])
	bv, sb := vecDec(ops[1])
	f := k.rowFunc()
	n := len(out)
	for i := 0; i < n; i++ {
		if *valid != nil && !isValid((*valid).Bytes(), i) {
			continue
		}
		r, st := f(av[i*sa], bv[i*sb])
		switch {
		case st == stNull:
			clearBit(mem, valid, n, i)
		case st == stOverflow || !fitsPrec(r, k.t.Precision):
			return k.overflow(av[i*sa], bv[i*sb])
		default:
			out[i] = r
		}
	}
	return nil
}

// mulI64Const is the BIGINT column * DECIMAL constant fast path (Nexmark q1).
func (k *decArithKernel) mulI64Const(av []int64, c int64, out []decimal128.Num, valid *(*memory.Buffer)) error {
	limit := int64(-1)
	if k.t.Precision <= 18 {
		limit = pow10i64[k.t.Precision]
	}
	bad := false
	for i, v := range av {
		p := mul64(v, c)
		out[i] = p
		if limit > 0 && (!fitsI64(p) || int64(p.LowBits()) >= limit || int64(p.LowBits()) <= -limit) {
			bad = true
		}
	}
	if !bad {
		return nil
	}
	for i, v := range av {
		if (*valid == nil || isValid((*valid).Bytes(), i)) && !fitsPrec(out[i], k.t.Precision) {
			return k.overflow(decimal128.FromI64(v), decimal128.FromI64(c))
		}
	}
	return nil
}

func (k *decArithKernel) overflow(a, b decimal128.Num) error {
	return fmt.Errorf("%s: result out of range for %s (%s %s %s)", k.name, k.t,
		a.ToString(k.sa), k.fn.Info().Infix, b.ToString(k.sb))
}

// rowFunc returns the per-row decimal operation with scales bound.
func (k *decArithKernel) rowFunc() func(a, b decimal128.Num) (decimal128.Num, uint8) {
	sa, sb, s := k.sa, k.sb, k.t.Scale
	ok := func(r decimal128.Num, good bool) (decimal128.Num, uint8) {
		if !good {
			return r, stOverflow
		}
		return r, stOK
	}
	switch k.fn {
	case scalar.FuncAdd, scalar.FuncSub:
		neg := k.fn == scalar.FuncSub
		return func(a, b decimal128.Num) (decimal128.Num, uint8) {
			x, ok1 := rescale(a, sa, s)
			y, ok2 := rescale(b, sb, s)
			if neg {
				y = y.Negate()
			}
			r, ok3 := add128(x, y)
			return ok(r, ok1 && ok2 && ok3)
		}
	case scalar.FuncMul:
		return func(a, b decimal128.Num) (decimal128.Num, uint8) {
			p, ok1 := mul128(a, b)
			r, ok2 := rescale(p, sa+sb, s)
			return ok(r, ok1 && ok2)
		}
	case scalar.FuncDiv:
		return func(a, b decimal128.Num) (decimal128.Num, uint8) {
			if b.Sign() == 0 {
				return zeroDec, stNull
			}
			return ok(divDec(a, b, sa, sb, s))
		}
	}
	m := max(sa, sb) // FuncMod
	return func(a, b decimal128.Num) (decimal128.Num, uint8) {
		if b.Sign() == 0 {
			return zeroDec, stNull
		}
		x, ok1 := rescale(a, sa, m)
		y, ok2 := rescale(b, sb, m)
		r, ok3 := rescale(remDec(x, y), m, s)
		return ok(r, ok1 && ok2 && ok3)
	}
}
