package expr

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// operand is an evaluated argument: an array, or a constant when arr is nil.
type operand struct {
	arr arrow.Array
	c   *constKernel
}

// evalOperands evaluates each kernel, keeping constants as scalars. On
// error, whatever was evaluated is released.
func evalOperands(ks []Kernel, rec arrow.RecordBatch, mem memory.Allocator) ([]operand, error) {
	ops := make([]operand, len(ks))
	for i, k := range ks {
		if c, ok := asConst(k); ok {
			ops[i].c = c
			continue
		}
		a, err := k.Eval(rec, mem)
		if err != nil {
			releaseOperands(ops)
			return nil, err
		}
		ops[i].arr = a
	}
	return ops, nil
}

func releaseOperands(ops []operand) {
	for _, o := range ops {
		if o.arr != nil {
			o.arr.Release()
		}
	}
}

// arrays returns the non-constant arrays among ops.
func arrays(ops []operand) []arrow.Array {
	var out []arrow.Array
	for _, o := range ops {
		if o.arr != nil {
			out = append(out, o.arr)
		}
	}
	return out
}

// anyNullConst reports whether one operand is a constant NULL.
func anyNullConst(ops []operand) bool {
	for _, o := range ops {
		if o.arr == nil && o.c.v == nil {
			return true
		}
	}
	return false
}

// strAcc reads VARCHAR values row by row from an array or a constant.
type strAcc struct {
	a       *array.String
	c       string
	isConst bool
	null    bool
}

func newStrAcc(o operand) strAcc {
	if o.arr == nil {
		s, _ := o.c.v.(string)
		return strAcc{c: s, isConst: true, null: o.c.v == nil}
	}
	if a, ok := o.arr.(*array.String); ok {
		return strAcc{a: a}
	}
	return strAcc{isConst: true, null: true}
}

func (s *strAcc) get(i int) (string, bool) {
	if s.isConst {
		return s.c, !s.null
	}
	if s.a.IsNull(i) {
		return "", false
	}
	return s.a.Value(i), true
}

// intAcc reads integer-like values (INT, BIGINT, DATE, TIMESTAMP, BOOLEAN)
// widened to int64.
type intAcc struct {
	vals    []int64
	bits    []byte // BOOLEAN values
	valid   []byte
	c       int64
	isConst bool
	null    bool
}

func newIntAcc(o operand) intAcc {
	if o.arr == nil {
		return intAcc{c: toI64(o.c.v), isConst: true, null: o.c.v == nil}
	}
	if o.arr.DataType().ID() == arrow.BOOL {
		return intAcc{bits: boolBits(o.arr), valid: validBits(o.arr)}
	}
	if o.arr.DataType().ID() == arrow.NULL {
		return intAcc{isConst: true, null: true}
	}
	return intAcc{vals: i64s(o.arr), valid: validBits(o.arr)}
}

func (a *intAcc) get(i int) (int64, bool) {
	if a.isConst {
		return a.c, !a.null
	}
	if a.bits != nil {
		if bitutil.BitIsSet(a.bits, i) {
			return 1, isValid(a.valid, i)
		}
		return 0, isValid(a.valid, i)
	}
	return a.vals[i], isValid(a.valid, i)
}

// f64Acc reads DOUBLE values.
type f64Acc struct {
	vals    []float64
	valid   []byte
	c       float64
	isConst bool
	null    bool
}

func newF64Acc(o operand) f64Acc {
	if o.arr == nil {
		f, _ := o.c.v.(float64)
		return f64Acc{c: f, isConst: true, null: o.c.v == nil}
	}
	return f64Acc{vals: f64s(o.arr), valid: validBits(o.arr)}
}

func (a *f64Acc) get(i int) (float64, bool) {
	if a.isConst {
		return a.c, !a.null
	}
	return a.vals[i], isValid(a.valid, i)
}

// decAcc reads DECIMAL values (unscaled, at the operand's scale).
type decAcc struct {
	vals    []decimal128.Num
	valid   []byte
	c       decimal128.Num
	isConst bool
	null    bool
}

func newDecAcc(o operand) decAcc {
	if o.arr == nil {
		d, _ := o.c.v.(decimal128.Num)
		return decAcc{c: d, isConst: true, null: o.c.v == nil}
	}
	return decAcc{vals: decs(o.arr), valid: validBits(o.arr)}
}

func (a *decAcc) get(i int) (decimal128.Num, bool) {
	if a.isConst {
		return a.c, !a.null
	}
	return a.vals[i], isValid(a.valid, i)
}

// boolAcc reads BOOLEAN values.
type boolAcc struct {
	bits    []byte
	valid   []byte
	c       bool
	isConst bool
	null    bool
}

func newBoolAcc(o operand) boolAcc {
	if o.arr == nil {
		b, _ := o.c.v.(bool)
		return boolAcc{c: b, isConst: true, null: o.c.v == nil}
	}
	if o.arr.DataType().ID() != arrow.BOOL {
		return boolAcc{isConst: true, null: true}
	}
	return boolAcc{bits: boolBits(o.arr), valid: validBits(o.arr)}
}

func (a *boolAcc) get(i int) (bool, bool) {
	if a.isConst {
		return a.c, !a.null
	}
	return bitutil.BitIsSet(a.bits, i), isValid(a.valid, i)
}
