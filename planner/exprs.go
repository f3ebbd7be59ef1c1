package planner

import (
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// mapColRefs rebuilds e with every column reference replaced by f(ref).
// Subtrees without column references are shared, not copied.
func mapColRefs(e scalar.Expr, f func(*scalar.ColRef) scalar.Expr) scalar.Expr {
	switch e := e.(type) {
	case *scalar.ColRef:
		return f(e)
	case *scalar.Call:
		return &scalar.Call{Func: e.Func, Args: mapAll(e.Args, f), T: e.T}
	case *scalar.Cast:
		return &scalar.Cast{Arg: mapColRefs(e.Arg, f), T: e.T}
	case *scalar.Case:
		out := &scalar.Case{T: e.T, Whens: make([]scalar.When, len(e.Whens))}
		if e.Operand != nil {
			out.Operand = mapColRefs(e.Operand, f)
		}
		for i, w := range e.Whens {
			out.Whens[i] = scalar.When{Cond: mapColRefs(w.Cond, f), Then: mapColRefs(w.Then, f)}
		}
		if e.Else != nil {
			out.Else = mapColRefs(e.Else, f)
		}
		return out
	}
	return e
}

func mapAll(es []scalar.Expr, f func(*scalar.ColRef) scalar.Expr) []scalar.Expr {
	out := make([]scalar.Expr, len(es))
	for i, e := range es {
		out[i] = mapColRefs(e, f)
	}
	return out
}

// substitute replaces each reference to column i by exprs[i]: it rewrites
// an expression over a projection's output into one over its input.
func substitute(e scalar.Expr, exprs []scalar.Expr) scalar.Expr {
	return mapColRefs(e, func(r *scalar.ColRef) scalar.Expr { return exprs[r.Index] })
}

// remap renumbers column references by mapping (old index → new index).
func remap(e scalar.Expr, mapping []int) scalar.Expr {
	return mapColRefs(e, func(r *scalar.ColRef) scalar.Expr {
		return &scalar.ColRef{Index: mapping[r.Index], Name: r.Name, T: r.T}
	})
}

// usedColumns marks in used every column e references.
func usedColumns(e scalar.Expr, used []bool) {
	mapColRefs(e, func(r *scalar.ColRef) scalar.Expr {
		used[r.Index] = true
		return r
	})
}

// and combines two conditions, a first.
func and(a, b scalar.Expr) scalar.Expr {
	return &scalar.Call{Func: scalar.FuncAnd, Args: []scalar.Expr{a, b}, T: catalog.BooleanType}
}
