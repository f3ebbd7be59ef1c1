package planner

import (
	"math"

	"github.com/sqlstream/sqlstream/planner/scalar"
)

// topN turns Filter(rn <= N, Over(ROW_NUMBER() AS rn)) into the same
// filter over an Over with Limit N: the Top-N (`rn <= N`, `rn < N+1`,
// `rn BETWEEN 1 AND N`) and dedup (`rn = 1`) patterns. It applies when
// ROW_NUMBER is the node's only function, so that rows beyond the first N
// of a partition can be dropped as they arrive and a partition that has
// emitted N rows keeps only its counter. The filter stays: it still
// enforces the exact condition (`rn = 2` keeps the second row only).
type topN struct{}

var _ Rule = topN{}

func (topN) Name() string { return "top-n" }

func (topN) Rewrite(root Logical) (Logical, bool) {
	return rewriteBottomUp(root, func(n Logical) Logical {
		f, ok := n.(*LogicalFilter)
		if !ok {
			return nil
		}
		o, ok := f.Input.(*LogicalOver)
		if !ok || len(o.Calls) != 1 || o.Calls[0].Func != OverRowNumber {
			return nil
		}
		rn := o.Input.Schema().Len()
		limit := int64(0)
		for _, c := range conjuncts(f.Cond) {
			if l, ok := rowNumberBound(c, rn); ok && (limit == 0 || l < limit) {
				limit = l
			}
		}
		if limit <= 0 || (o.Limit > 0 && o.Limit <= limit) {
			return nil
		}
		out := *o
		out.Limit = limit
		return &LogicalFilter{Input: &out, Cond: f.Cond}
	})
}

// rowNumberBound returns N when cond implies column rn <= N.
func rowNumberBound(cond scalar.Expr, rn int) (int64, bool) {
	c, ok := cond.(*scalar.Call)
	if !ok {
		return 0, false
	}
	if c.Func == scalar.FuncBetween && len(c.Args) == 3 && isCol(c.Args[0], rn) {
		return intLit(c.Args[2])
	}
	if len(c.Args) != 2 {
		return 0, false
	}
	l, r := c.Args[0], c.Args[1]
	fn := c.Func
	if isCol(r, rn) { // N >= rn is rn <= N
		l, r = r, l
		switch fn {
		case scalar.FuncGe:
			fn = scalar.FuncLe
		case scalar.FuncGt:
			fn = scalar.FuncLt
		case scalar.FuncLe, scalar.FuncLt:
			return 0, false
		}
	}
	if !isCol(l, rn) {
		return 0, false
	}
	n, ok := intLit(r)
	if !ok {
		return 0, false
	}
	switch fn {
	case scalar.FuncLe, scalar.FuncEq:
		return n, n > 0
	case scalar.FuncLt:
		return n - 1, n > 1
	}
	return 0, false
}

func isCol(e scalar.Expr, i int) bool {
	r, ok := e.(*scalar.ColRef)
	return ok && r.Index == i
}

// intLit reads an integer literal.
func intLit(e scalar.Expr) (int64, bool) {
	l, ok := e.(*scalar.Literal)
	if !ok {
		return 0, false
	}
	n, ok := l.Value.(int64)
	return n, ok && n < math.MaxInt64
}
