package expr

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// cmpFamily is how two comparison operands are read.
type cmpFamily uint8

const (
	famInt cmpFamily = iota
	famF64
	famDec
	famStr
)

// compareKernel evaluates =, <>, <, <=, >, >= and <=>.
type compareKernel struct {
	fn     scalar.Func
	a, b   Kernel
	fam    cmpFamily
	sa, sb int32 // decimal scales
}

func (k *compareKernel) Type() catalog.Type { return catalog.BooleanType }

func (c *compiler) compileCompare(e *scalar.Call) (Kernel, error) {
	if len(e.Args) != 2 {
		return nil, fmt.Errorf("%s: want 2 arguments", e)
	}
	return c.newCompare(e.Func, e.Args[0], e.Args[1])
}

func (c *compiler) newCompare(fn scalar.Func, x, y scalar.Expr) (Kernel, error) {
	ta, tb := x.Type(), y.Type()
	if ta.ID == catalog.Null {
		ta = tb
	}
	if tb.ID == catalog.Null {
		tb = ta
	}
	k := &compareKernel{fn: fn}
	var common catalog.Type
	switch {
	case ta.ID == catalog.Varchar && tb.ID == catalog.Varchar:
		k.fam, common = famStr, catalog.VarcharType
	case ta.ID == catalog.Double || tb.ID == catalog.Double:
		k.fam, common = famF64, catalog.DoubleType
	case ta.ID == catalog.Decimal || tb.ID == catalog.Decimal:
		if !(ta.ID == catalog.Decimal || ta.IsInteger()) || !(tb.ID == catalog.Decimal || tb.IsInteger()) {
			return nil, fmt.Errorf("cannot compare %s with %s", ta, tb)
		}
		k.fam, k.sa, k.sb = famDec, scaleOf(ta), scaleOf(tb)
	case ta.ID == tb.ID || ta.IsInteger() && tb.IsInteger():
		k.fam, common = famInt, ta
	case ta.IsTemporal() && tb.IsTemporal():
		k.fam, common = famInt, catalog.TimestampType
	default:
		return nil, fmt.Errorf("cannot compare %s with %s", ta, tb)
	}
	var err error
	if k.fam == famDec || k.fam == famInt && ta.ID != tb.ID && !(ta.IsInteger() && tb.IsInteger()) {
		if k.fam == famDec {
			k.a, err = c.compileDecArg(x)
		} else {
			k.a, err = c.compileAs(x, common)
		}
		if err == nil {
			if k.fam == famDec {
				k.b, err = c.compileDecArg(y)
			} else {
				k.b, err = c.compileAs(y, common)
			}
		}
	} else if k.fam == famInt {
		if k.a, err = c.compile(x); err == nil {
			k.b, err = c.compile(y)
		}
	} else {
		if k.a, err = c.compileAs(x, common); err == nil {
			k.b, err = c.compileAs(y, common)
		}
	}
	return k, err
}

func (k *compareKernel) Eval(rec arrow.RecordBatch, mem memory.Allocator) (arrow.Array, error) {
	ops, err := evalOperands([]Kernel{k.a, k.b}, rec, mem)
	if err != nil {
		return nil, err
	}
	defer releaseOperands(ops)
	n := int(rec.NumRows())
	if anyNullConst(ops) && k.fn != scalar.FuncNullSafeEq {
		return nullArray(mem, catalog.BooleanType, n), nil
	}
	fn := k.fn
	if fn == scalar.FuncNullSafeEq {
		fn = scalar.FuncEq
	}
	vbuf, out := newBitOut(mem, n)
	switch k.fam {
	case famInt:
		av, sa := vecI64(ops[0])
		bv, sb := vecI64(ops[1])
		cmpLoop(fn, av, sa, bv, sb, out)
	case famF64:
		av, sa := vecF64(ops[0])
		bv, sb := vecF64(ops[1])
		cmpLoop(fn, av, sa, bv, sb, out)
	case famDec:
		k.cmpDec(fn, ops, out)
	case famStr:
		x, y := newStrAcc(ops[0]), newStrAcc(ops[1])
		mask := cmpMask(fn)
		for i := 0; i < n; i++ {
			s, _ := x.get(i)
			t, _ := y.get(i)
			if mask>>(strings.Compare(s, t)+1)&1 != 0 {
				out[i>>3] |= 1 << (uint(i) & 7)
			}
		}
	}
	if k.fn == scalar.FuncNullSafeEq {
		nullSafe(ops, out, n)
		return fixedArray(arrow.FixedWidthTypes.Boolean, n, nil, vbuf), nil
	}
	return fixedArray(arrow.FixedWidthTypes.Boolean, n, andValidity(mem, n, arrays(ops)...), vbuf), nil
}

// nullSafe turns equality bits into <=>: NULL <=> NULL is TRUE, NULL <=> x
// is FALSE.
func nullSafe(ops []operand, out []byte, n int) {
	nullAt := func(o operand, i int) bool {
		if o.arr == nil {
			return o.c.v == nil
		}
		return o.arr.IsNull(i)
	}
	for i := 0; i < n; i++ {
		na, nb := nullAt(ops[0], i), nullAt(ops[1], i)
		if na || nb {
			bitutil.SetBitTo(out, i, na && nb)
		}
	}
}

// cmpMask encodes which of (<, =, >) satisfy the operator, indexed by
// compare result + 1.
func cmpMask(fn scalar.Func) uint {
	switch fn {
	case scalar.FuncEq:
		return 0b010
	case scalar.FuncNe:
		return 0b101
	case scalar.FuncLt:
		return 0b001
	case scalar.FuncLe:
		return 0b011
	case scalar.FuncGt:
		return 0b100
	}
	return 0b110 // Ge
}

func (k *compareKernel) cmpDec(fn scalar.Func, ops []operand, out []byte) {
	av, sa := vecDec(ops[0])
	bv, sb := vecDec(ops[1])
	s := max(k.sa, k.sb)
	mask := cmpMask(fn)
	n := len(out) * 8
	if ops[0].arr != nil {
		n = ops[0].arr.Len()
	} else if ops[1].arr != nil {
		n = ops[1].arr.Len()
	}
	for i := 0; i < n; i++ {
		x, okx := rescale(av[i*sa], k.sa, s)
		y, oky := rescale(bv[i*sb], k.sb, s)
		c := cmpDecOverflow(x, y, okx, oky, av[i*sa], bv[i*sb])
		if mask>>(c+1)&1 != 0 {
			out[i>>3] |= 1 << (uint(i) & 7)
		}
	}
}

// cmpDecOverflow compares rescaled values; a side that overflowed while
// rescaling is larger in magnitude than anything the other side holds.
func cmpDecOverflow(x, y decimal128.Num, okx, oky bool, ox, oy decimal128.Num) int {
	switch {
	case !okx:
		return ox.Sign()
	case !oky:
		return -oy.Sign()
	}
	return x.Cmp(y)
}

// cmpLoop writes the comparison bits of two strided vectors.
func cmpLoop[T cmp.Ordered](fn scalar.Func, av []T, sa int, bv []T, sb int, out []byte) {
	n := max(len(av), len(bv))
	if sa == 0 && sb == 0 {
		n = len(out) * 8
	}
	set := func(i int, c bool) {
		if c {
			out[i>>3] |= 1 << (uint(i) & 7)
		}
	}
	switch fn {
	case scalar.FuncEq:
		for i := 0; i < n; i++ {
			set(i, av[i*sa] == bv[i*sb])
		}
	case scalar.FuncNe:
		for i := 0; i < n; i++ {
			set(i, av[i*sa] != bv[i*sb])
		}
	case scalar.FuncLt:
		for i := 0; i < n; i++ {
			set(i, av[i*sa] < bv[i*sb])
		}
	case scalar.FuncLe:
		for i := 0; i < n; i++ {
			set(i, av[i*sa] <= bv[i*sb])
		}
	case scalar.FuncGt:
		for i := 0; i < n; i++ {
			set(i, av[i*sa] > bv[i*sb])
		}
	default:
		for i := 0; i < n; i++ {
			set(i, av[i*sa] >= bv[i*sb])
		}
	}
}
