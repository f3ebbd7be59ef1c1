package expr

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// inKernel is x IN (constants): a hash set built once at compile time.
// A NULL in the list makes a non-match NULL instead of FALSE.
type inKernel struct {
	x       Kernel
	fam     cmpFamily
	ints    map[int64]struct{}
	floats  map[float64]struct{}
	strs    map[string]struct{}
	hasNull bool
}

func (k *inKernel) Type() catalog.Type { return catalog.BooleanType }

func (c *compiler) compileIn(e *scalar.Call) (Kernel, error) {
	if len(e.Args) < 2 {
		return nil, fmt.Errorf("%s: empty IN list", e)
	}
	t := e.Args[0].Type()
	k := &inKernel{}
	switch {
	case t.ID == catalog.Varchar:
		k.fam, k.strs = famStr, map[string]struct{}{}
	case t.ID == catalog.Double:
		k.fam, k.floats = famF64, map[float64]struct{}{}
	case t.IsInteger() || t.IsTemporal() || t.ID == catalog.Boolean:
		k.fam, k.ints = famInt, map[int64]struct{}{}
	default:
		return c.compileInAsOr(e)
	}
	x, err := c.compile(e.Args[0])
	if err != nil {
		return nil, err
	}
	k.x = x
	for _, a := range e.Args[1:] {
		ak, err := c.compileAs(a, t)
		if err != nil {
			return nil, err
		}
		cst, ok := asConst(ak)
		if !ok {
			return c.compileInAsOr(e)
		}
		switch v := cst.v.(type) {
		case nil:
			k.hasNull = true
		case string:
			k.strs[v] = struct{}{}
		case float64:
			k.floats[v] = struct{}{}
		default:
			k.ints[toI64(v)] = struct{}{}
		}
	}
	return k, nil
}

// compileInAsOr evaluates x IN (a, b, ...) as x = a OR x = b OR ...
func (c *compiler) compileInAsOr(e *scalar.Call) (Kernel, error) {
	or := &logicKernel{fn: scalar.FuncOr}
	for _, a := range e.Args[1:] {
		eq, err := c.newCompare(scalar.FuncEq, e.Args[0], a)
		if err != nil {
			return nil, err
		}
		or.args = append(or.args, eq)
	}
	if len(or.args) == 1 {
		or.args = append(or.args, &constKernel{v: false, t: catalog.BooleanType})
	}
	return or, nil
}

func (k *inKernel) Eval(rec arrow.RecordBatch, mem memory.Allocator) (arrow.Array, error) {
	ops, err := evalOperands([]Kernel{k.x}, rec, mem)
	if err != nil {
		return nil, err
	}
	defer releaseOperands(ops)
	n := int(rec.NumRows())
	vbuf, out := newBitOut(mem, n)
	valid := andValidity(mem, n, arrays(ops)...)
	var match func(i int) bool
	switch k.fam {
	case famStr:
		acc := newStrAcc(ops[0])
		match = func(i int) bool { s, _ := acc.get(i); _, ok := k.strs[s]; return ok }
	case famF64:
		acc := newF64Acc(ops[0])
		match = func(i int) bool { f, _ := acc.get(i); _, ok := k.floats[f]; return ok }
	default:
		acc := newIntAcc(ops[0])
		match = func(i int) bool { v, _ := acc.get(i); _, ok := k.ints[v]; return ok }
	}
	if ops[0].arr == nil && ops[0].c.v == nil {
		vbuf.Release()
		return nullArray(mem, catalog.BooleanType, n), nil
	}
	for i := 0; i < n; i++ {
		if match(i) {
			out[i>>3] |= 1 << (uint(i) & 7)
		} else if k.hasNull {
			clearBit(mem, &valid, n, i)
		}
	}
	return fixedArray(arrow.FixedWidthTypes.Boolean, n, valid, vbuf), nil
}
