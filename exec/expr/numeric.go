package expr

import (
	"fmt"
	"math"
	"math/big"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// numKernel is ABS, ROUND(x[, d]), FLOOR and CEIL. Rounding is half away
// from zero for every type.
type numKernel struct {
	fn   scalar.Func
	x, d Kernel // d nil unless ROUND has a second argument
	in   catalog.Type
	t    catalog.Type
	name string
}

func (k *numKernel) Type() catalog.Type { return k.t }

func (c *compiler) compileNumeric(e *scalar.Call) (Kernel, error) {
	if len(e.Args) < 1 || len(e.Args) > 2 || len(e.Args) == 2 && e.Func != scalar.FuncRound {
		return nil, fmt.Errorf("%s: wrong number of arguments", e)
	}
	x, err := c.compile(e.Args[0])
	if err != nil {
		return nil, err
	}
	k := &numKernel{fn: e.Func, x: x, in: x.Type(), t: e.T, name: e.String()}
	if !k.in.IsNumeric() {
		if x, err = c.compileAs(e.Args[0], catalog.DoubleType); err != nil {
			return nil, err
		}
		k.x, k.in = x, catalog.DoubleType
	}
	if len(e.Args) == 2 {
		if k.d, err = c.compileAs(e.Args[1], catalog.BigIntType); err != nil {
			return nil, err
		}
	}
	return k, nil
}

func (k *numKernel) Eval(rec arrow.RecordBatch, mem memory.Allocator) (arrow.Array, error) {
	ks := []Kernel{k.x}
	if k.d != nil {
		ks = append(ks, k.d)
	}
	ops, err := evalOperands(ks, rec, mem)
	if err != nil {
		return nil, err
	}
	defer releaseOperands(ops)
	n := int(rec.NumRows())
	if anyNullConst(ops) {
		return nullArray(mem, k.t, n), nil
	}
	dacc := intAcc{isConst: true}
	if k.d != nil {
		dacc = newIntAcc(ops[1])
	}
	b := array.NewBuilder(mem, k.t.Arrow())
	defer b.Release()
	b.Reserve(n)
	row, err := k.rowFunc(ops[0], b)
	if err != nil {
		return nil, err
	}
	for i := 0; i < n; i++ {
		d, dok := dacc.get(i)
		if !dok || (ops[0].arr != nil && ops[0].arr.IsNull(i)) {
			b.AppendNull()
			continue
		}
		if err := row(i, d); err != nil {
			return nil, fmt.Errorf("%s: %w", k.name, err)
		}
	}
	return b.NewArray(), nil
}

// rowFunc computes row i with digits d into b.
func (k *numKernel) rowFunc(x operand, b array.Builder) (func(i int, d int64) error, error) {
	if k.in.ID == catalog.Double {
		acc := newF64Acc(x)
		out := f64Appender(b)
		return func(i int, d int64) error { v, _ := acc.get(i); out(k.f64(v, d)); return nil }, nil
	}
	s := scaleOf(k.in)
	var get func(i int) decimal128.Num
	if k.in.ID == catalog.Decimal {
		acc := newDecAcc(x)
		get = func(i int) decimal128.Num { v, _ := acc.get(i); return v }
	} else {
		acc := newIntAcc(x)
		get = func(i int) decimal128.Num { v, _ := acc.get(i); return decimal128.FromI64(v) }
	}
	out, outScale, err := decAppender(b, k.t)
	if err != nil {
		return nil, err
	}
	return func(i int, d int64) error {
		v := get(i)
		r, rs := k.dec(v, s, d)
		r, ok := rescale(r, rs, outScale)
		if !ok {
			return fmt.Errorf("value %s out of range for %s", v.ToString(s), k.t)
		}
		return out(r)
	}, nil
}

// dec applies the function to v at scale s; returns the result and its scale.
func (k *numKernel) dec(v decimal128.Num, s int32, d int64) (decimal128.Num, int32) {
	switch k.fn {
	case scalar.FuncAbs:
		return v.Abs(), s
	case scalar.FuncFloor, scalar.FuncCeil:
		return floorCeil(v, s, k.fn == scalar.FuncCeil), 0
	}
	d = max(min(d, 38), -38)
	if int32(d) >= s {
		return v, s
	}
	r, _ := rescale(v, s, int32(d))
	if d < 0 {
		r, _ = scaleUp(r, int32(-d))
		return r, 0
	}
	return r, int32(d)
}

func (k *numKernel) f64(v float64, d int64) float64 {
	switch k.fn {
	case scalar.FuncAbs:
		return math.Abs(v)
	case scalar.FuncFloor:
		return math.Floor(v)
	case scalar.FuncCeil:
		return math.Ceil(v)
	}
	if d == 0 {
		return math.Round(v)
	}
	p := math.Pow(10, float64(d))
	r := math.Round(v*p) / p
	if math.IsInf(r, 0) || math.IsNaN(r) {
		return v
	}
	return r
}

// floorCeil rounds v at scale s down (or up) to an integer.
func floorCeil(v decimal128.Num, s int32, ceil bool) decimal128.Num {
	if s == 0 {
		return v
	}
	q, r := new(big.Int).QuoRem(toBig(v), toBig(pow10Num(s)), new(big.Int))
	if r.Sign() < 0 && !ceil {
		q.Sub(q, big.NewInt(1))
	} else if r.Sign() > 0 && ceil {
		q.Add(q, big.NewInt(1))
	}
	out, _ := fromBig(q)
	return out
}

func f64Appender(b array.Builder) func(float64) {
	if fb, ok := b.(*array.Float64Builder); ok {
		return fb.Append
	}
	return func(float64) { b.AppendNull() }
}

// decAppender appends a decimal result at its scale into a DECIMAL or
// integer builder.
func decAppender(b array.Builder, t catalog.Type) (func(decimal128.Num) error, int32, error) {
	switch bb := b.(type) {
	case *array.Decimal128Builder:
		return func(v decimal128.Num) error {
			if !fitsPrec(v, t.Precision) {
				return fmt.Errorf("value out of range for %s", t)
			}
			bb.Append(v)
			return nil
		}, t.Scale, nil
	case *array.Int64Builder:
		return func(v decimal128.Num) error {
			if !fitsI64(v) {
				return fmt.Errorf("value out of range for BIGINT")
			}
			bb.Append(int64(v.LowBits()))
			return nil
		}, 0, nil
	case *array.Int32Builder:
		return func(v decimal128.Num) error {
			x := int64(v.LowBits())
			if !fitsI64(v) || x != int64(int32(x)) {
				return fmt.Errorf("value out of range for INT")
			}
			bb.Append(int32(x))
			return nil
		}, 0, nil
	}
	return nil, 0, fmt.Errorf("unsupported result type %s", t)
}
