package expr

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// chooseKernel picks, per row, one of several value kernels: the first
// whose condition is TRUE (CASE, IF, NULLIF; vals has one more entry than
// conds for ELSE), or with no conds the first non-NULL value (COALESCE,
// IFNULL). Every kernel is evaluated over the whole batch.
type chooseKernel struct {
	conds []Kernel
	vals  []Kernel
	t     catalog.Type
}

func (k *chooseKernel) Type() catalog.Type { return k.t }

func (c *compiler) compileCase(e *scalar.Case) (Kernel, error) {
	k := &chooseKernel{t: e.T}
	for _, w := range e.Whens {
		var cond Kernel
		var err error
		if e.Operand != nil {
			cond, err = c.newCompare(scalar.FuncEq, e.Operand, w.Cond)
		} else {
			cond, err = c.compileAs(w.Cond, catalog.BooleanType)
		}
		if err != nil {
			return nil, err
		}
		v, err := c.compileAs(w.Then, e.T)
		if err != nil {
			return nil, err
		}
		k.conds, k.vals = append(k.conds, cond), append(k.vals, v)
	}
	els := scalar.Expr(&scalar.Literal{T: e.T})
	if e.Else != nil {
		els = e.Else
	}
	v, err := c.compileAs(els, e.T)
	if err != nil {
		return nil, err
	}
	k.vals = append(k.vals, v)
	return k, nil
}

func (c *compiler) compileChoice(e *scalar.Call) (Kernel, error) {
	k := &chooseKernel{t: e.T}
	var vals []scalar.Expr
	switch e.Func {
	case scalar.FuncCoalesce, scalar.FuncIfNull:
		vals = e.Args
	case scalar.FuncIf:
		if len(e.Args) != 3 {
			return nil, fmt.Errorf("%s: want 3 arguments", e)
		}
		cond, err := c.compileAs(e.Args[0], catalog.BooleanType)
		if err != nil {
			return nil, err
		}
		k.conds, vals = []Kernel{cond}, e.Args[1:]
	case scalar.FuncNullIf:
		if len(e.Args) != 2 {
			return nil, fmt.Errorf("%s: want 2 arguments", e)
		}
		cond, err := c.newCompare(scalar.FuncEq, e.Args[0], e.Args[1])
		if err != nil {
			return nil, err
		}
		k.conds, vals = []Kernel{cond}, []scalar.Expr{&scalar.Literal{T: e.T}, e.Args[0]}
	}
	for _, v := range vals {
		vk, err := c.compileAs(v, e.T)
		if err != nil {
			return nil, err
		}
		k.vals = append(k.vals, vk)
	}
	return k, nil
}

func (k *chooseKernel) Eval(rec arrow.RecordBatch, mem memory.Allocator) (arrow.Array, error) {
	n := int(rec.NumRows())
	pick, err := k.picks(rec, mem, n)
	if err != nil {
		return nil, err
	}
	vals, err := evalOperands(k.vals, rec, mem)
	if err != nil {
		return nil, err
	}
	defer releaseOperands(vals)
	b := array.NewBuilder(mem, k.t.Arrow())
	defer b.Release()
	b.Reserve(n)
	copiers := make([]copier, len(vals))
	for j, v := range vals {
		if v.arr == nil {
			cv := v.c.v
			copiers[j] = func(int) { _ = appendValue(b, cv) }
			continue
		}
		if copiers[j], err = newCopier(b, v.arr); err != nil {
			return nil, err
		}
	}
	if len(k.conds) == 0 {
		coalescePicks(vals, pick)
	}
	for i, p := range pick {
		if p < 0 {
			b.AppendNull()
		} else {
			copiers[p](i)
		}
	}
	return b.NewArray(), nil
}

// picks returns per row the index of the chosen value (-1 for NULL); for
// COALESCE it is filled by coalescePicks after the values are evaluated.
func (k *chooseKernel) picks(rec arrow.RecordBatch, mem memory.Allocator, n int) ([]int, error) {
	pick := make([]int, n)
	if len(k.conds) == 0 {
		return pick, nil
	}
	els := len(k.conds)
	for i := range pick {
		pick[i] = -1
	}
	for j, ck := range k.conds {
		ops, err := evalOperands([]Kernel{ck}, rec, mem)
		if err != nil {
			return nil, err
		}
		acc := newBoolAcc(ops[0])
		for i := range pick {
			if pick[i] < 0 {
				if v, ok := acc.get(i); ok && v {
					pick[i] = j
				}
			}
		}
		releaseOperands(ops)
	}
	for i := range pick {
		if pick[i] < 0 {
			pick[i] = els
		}
	}
	return pick, nil
}

func coalescePicks(vals []operand, pick []int) {
	for i := range pick {
		pick[i] = -1
		for j, v := range vals {
			if v.arr == nil && v.c.v != nil || v.arr != nil && !v.arr.IsNull(i) {
				pick[i] = j
				break
			}
		}
	}
}
