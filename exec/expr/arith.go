package expr

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// Row status of an arithmetic step.
const (
	stOK uint8 = iota
	stNull
	stOverflow
)

// arithKernel evaluates a binary (or unary, b == nil) arithmetic operator.
type arithKernel struct {
	fn   scalar.Func
	a, b Kernel
	t    catalog.Type
	name string // the expression, for errors
}

func (k *arithKernel) Type() catalog.Type { return k.t }

func (c *compiler) compileArith(e *scalar.Call) (Kernel, error) {
	if e.Func == scalar.FuncNeg {
		zero := &scalar.Literal{Value: zeroOf(e.T), T: e.T}
		return c.compileArith(&scalar.Call{Func: scalar.FuncSub, Args: []scalar.Expr{zero, e.Args[0]}, T: e.T})
	}
	if len(e.Args) != 2 {
		return nil, fmt.Errorf("%s: want 2 arguments, got %d", e, len(e.Args))
	}
	t := e.T
	if e.Func == scalar.FuncIntDiv && !(e.Args[0].Type().IsInteger() && e.Args[1].Type().IsInteger()) {
		return c.compileIntDivFloat(e)
	}
	if e.Func == scalar.FuncDiv && t.IsInteger() {
		e = &scalar.Call{Func: scalar.FuncIntDiv, Args: e.Args, T: t}
	}
	k := &arithKernel{fn: e.Func, t: t, name: e.String()}
	var err error
	for i, arg := range e.Args {
		var ak Kernel
		switch {
		case t.ID == catalog.Double:
			ak, err = c.compileAs(arg, catalog.DoubleType)
		case t.IsInteger():
			if arg.Type().IsInteger() {
				ak, err = c.compile(arg)
			} else {
				ak, err = c.compileAs(arg, catalog.BigIntType)
			}
		case t.ID == catalog.Decimal:
			ak, err = c.compileDecArg(arg)
		default:
			return nil, fmt.Errorf("%s: arithmetic on %s", e, t)
		}
		if err != nil {
			return nil, err
		}
		if i == 0 {
			k.a = ak
		} else {
			k.b = ak
		}
	}
	if t.ID == catalog.Decimal {
		return newDecArith(k)
	}
	return k, nil
}

// compileIntDivFloat computes DIV on non-integers as TRUNCATE(a / b).
func (c *compiler) compileIntDivFloat(e *scalar.Call) (Kernel, error) {
	a, err := c.compileAs(e.Args[0], catalog.DoubleType)
	if err != nil {
		return nil, err
	}
	b, err := c.compileAs(e.Args[1], catalog.DoubleType)
	if err != nil {
		return nil, err
	}
	d := &arithKernel{fn: scalar.FuncDiv, a: a, b: b, t: catalog.DoubleType, name: e.String()}
	return newCastKernel(&truncKernel{d}, e.T, e.String())
}

// truncKernel truncates DOUBLE values toward zero.
type truncKernel struct{ k Kernel }

func (k *truncKernel) Type() catalog.Type { return catalog.DoubleType }
func (k *truncKernel) Eval(rec arrow.RecordBatch, mem memory.Allocator) (arrow.Array, error) {
	a, err := k.k.Eval(rec, mem)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	n := a.Len()
	buf, out := newF64Out(mem, n)
	for i, v := range f64s(a) {
		out[i] = math.Trunc(v)
	}
	return fixedArray(arrow.PrimitiveTypes.Float64, n, andValidity(mem, n, a), buf), nil
}

func zeroOf(t catalog.Type) any {
	switch t.ID {
	case catalog.Double:
		return 0.0
	case catalog.Decimal:
		return zeroDec
	}
	return int64(0)
}

func (k *arithKernel) Eval(rec arrow.RecordBatch, mem memory.Allocator) (arrow.Array, error) {
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
	if k.t.ID == catalog.Double {
		return k.evalF64(ops, n, valid, mem), nil
	}
	return k.evalI64(ops, n, valid, mem)
}

// vecI64 is an int64 operand with stride 0 for constants.
func vecI64(o operand) ([]int64, int) {
	if o.arr == nil {
		return []int64{toI64(o.c.v)}, 0
	}
	return i64s(o.arr), 1
}

func vecF64(o operand) ([]float64, int) {
	if o.arr == nil {
		f, _ := o.c.v.(float64)
		return []float64{f}, 0
	}
	return f64s(o.arr), 1
}

func (k *arithKernel) evalI64(ops []operand, n int, valid *memory.Buffer, mem memory.Allocator) (arrow.Array, error) {
	av, sa := vecI64(ops[0])
	bv, sb := vecI64(ops[1])
	buf, out := newI64Out(mem, n)
	var bad bool
	if k.fn == scalar.FuncMod && sa == 1 && sb == 0 && bv[0] != 0 {
		modConst(av, bv[0], out)
	} else {
		f := intOp(k.fn)
		for i := 0; i < n; i++ {
			r, st := f(av[i*sa], bv[i*sb])
			out[i] = r
			if st != stOK {
				bad = true
			}
		}
	}
	if k.t.ID == catalog.Int {
		for _, v := range out {
			if v != int64(int32(v)) {
				bad = true
			}
		}
	}
	if bad {
		if err := k.fixupI64(av, sa, bv, sb, out, &valid, mem); err != nil {
			buf.Release()
			if valid != nil {
				valid.Release()
			}
			return nil, err
		}
	}
	if k.t.ID == catalog.Int {
		return narrowI32(mem, out, n, valid, buf), nil
	}
	return fixedArray(arrow.PrimitiveTypes.Int64, n, valid, buf), nil
}

// fixupI64 revisits rows after a NULL or overflow status: NULL rows are
// cleared, overflow on a valid row is an error.
func (k *arithKernel) fixupI64(av []int64, sa int, bv []int64, sb int, out []int64, valid **memory.Buffer, mem memory.Allocator) error {
	f := intOp(k.fn)
	n := len(out)
	for i := 0; i < n; i++ {
		if *valid != nil && !isValid((*valid).Bytes(), i) {
			continue
		}
		_, st := f(av[i*sa], bv[i*sb])
		if st == stNull {
			clearBit(mem, valid, n, i)
			continue
		}
		if st == stOverflow || (k.t.ID == catalog.Int && out[i] != int64(int32(out[i]))) {
			return fmt.Errorf("%s: %s out of range (%d %s %d)", k.name, k.t, av[i*sa], k.fn.Info().Infix, bv[i*sb])
		}
	}
	return nil
}

func modConst(av []int64, c int64, out []int64) {
	if c == -1 {
		return // x % -1 == 0; out is zeroed
	}
	for i, v := range av {
		out[i] = v % c
	}
}

func narrowI32(mem memory.Allocator, in []int64, n int, valid, in64 *memory.Buffer) arrow.Array {
	buf := newBuf(mem, n*4)
	out := arrow.Int32Traits.CastFromBytes(buf.Bytes())[:n]
	for i, v := range in {
		out[i] = int32(v)
	}
	in64.Release()
	return fixedArray(arrow.PrimitiveTypes.Int32, n, valid, buf)
}

// intOp returns the row function of an integer operator.
func intOp(fn scalar.Func) func(a, b int64) (int64, uint8) {
	switch fn {
	case scalar.FuncAdd:
		return func(a, b int64) (int64, uint8) {
			s := a + b
			if (a^s)&(b^s) < 0 {
				return s, stOverflow
			}
			return s, stOK
		}
	case scalar.FuncSub:
		return func(a, b int64) (int64, uint8) {
			s := a - b
			if (a^b)&(a^s) < 0 {
				return s, stOverflow
			}
			return s, stOK
		}
	case scalar.FuncMul:
		return func(a, b int64) (int64, uint8) {
			p := mul64(a, b)
			if !fitsI64(p) {
				return 0, stOverflow
			}
			return int64(p.LowBits()), stOK
		}
	case scalar.FuncIntDiv:
		return func(a, b int64) (int64, uint8) {
			if b == 0 {
				return 0, stNull
			}
			if b == -1 {
				if a == math.MinInt64 {
					return 0, stOverflow
				}
				return -a, stOK
			}
			return a / b, stOK
		}
	}
	return func(a, b int64) (int64, uint8) { // FuncMod
		if b == 0 {
			return 0, stNull
		}
		if b == -1 {
			return 0, stOK
		}
		return a % b, stOK
	}
}

func (k *arithKernel) evalF64(ops []operand, n int, valid *memory.Buffer, mem memory.Allocator) arrow.Array {
	av, sa := vecF64(ops[0])
	bv, sb := vecF64(ops[1])
	buf, out := newF64Out(mem, n)
	switch k.fn {
	case scalar.FuncAdd:
		for i := range out {
			out[i] = av[i*sa] + bv[i*sb]
		}
	case scalar.FuncSub:
		for i := range out {
			out[i] = av[i*sa] - bv[i*sb]
		}
	case scalar.FuncMul:
		for i := range out {
			out[i] = av[i*sa] * bv[i*sb]
		}
	default: // Div, Mod: NULL on zero divisor
		for i := range out {
			d := bv[i*sb]
			if d == 0 {
				clearBit(mem, &valid, n, i)
				continue
			}
			if k.fn == scalar.FuncMod {
				out[i] = math.Mod(av[i*sa], d)
			} else {
				out[i] = av[i*sa] / d
			}
		}
	}
	return fixedArray(arrow.PrimitiveTypes.Float64, n, valid, buf)
}
