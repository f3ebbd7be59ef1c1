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

// exprEqual reports whether a and b are the same expression: same
// structure, column indexes, functions, types and literal values.
func exprEqual(a, b scalar.Expr) bool {
	if !a.Type().Equal(b.Type()) {
		return false
	}
	switch a := a.(type) {
	case *scalar.ColRef:
		b, ok := b.(*scalar.ColRef)
		return ok && a.Index == b.Index
	case *scalar.Literal:
		b, ok := b.(*scalar.Literal)
		return ok && literalText(a) == literalText(b)
	case *scalar.Cast:
		b, ok := b.(*scalar.Cast)
		return ok && exprEqual(a.Arg, b.Arg)
	case *scalar.Call:
		b, ok := b.(*scalar.Call)
		return ok && a.Func == b.Func && exprsEqual(a.Args, b.Args)
	case *scalar.Case:
		b, ok := b.(*scalar.Case)
		if !ok || len(a.Whens) != len(b.Whens) || !optEqual(a.Operand, b.Operand) || !optEqual(a.Else, b.Else) {
			return false
		}
		for i := range a.Whens {
			if !exprEqual(a.Whens[i].Cond, b.Whens[i].Cond) || !exprEqual(a.Whens[i].Then, b.Whens[i].Then) {
				return false
			}
		}
		return true
	}
	return false
}

func exprsEqual(a, b []scalar.Expr) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !exprEqual(a[i], b[i]) {
			return false
		}
	}
	return true
}

func optEqual(a, b scalar.Expr) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return exprEqual(a, b)
}

// rewriteExpr rebuilds e top-down: where f returns a replacement, the
// subtree is replaced (and not visited further); f's first error stops it.
func rewriteExpr(e scalar.Expr, f func(scalar.Expr) (scalar.Expr, error)) (scalar.Expr, error) {
	if r, err := f(e); r != nil || err != nil {
		return r, err
	}
	var err error
	sub := func(x scalar.Expr) scalar.Expr {
		if err != nil || x == nil {
			return x
		}
		var out scalar.Expr
		out, err = rewriteExpr(x, f)
		return out
	}
	switch e := e.(type) {
	case *scalar.Call:
		args := make([]scalar.Expr, len(e.Args))
		for i, a := range e.Args {
			args[i] = sub(a)
		}
		return &scalar.Call{Func: e.Func, Args: args, T: e.T}, err
	case *scalar.Cast:
		return &scalar.Cast{Arg: sub(e.Arg), T: e.T}, err
	case *scalar.Case:
		out := &scalar.Case{T: e.T, Operand: sub(e.Operand), Else: sub(e.Else), Whens: make([]scalar.When, len(e.Whens))}
		for i, w := range e.Whens {
			out.Whens[i] = scalar.When{Cond: sub(w.Cond), Then: sub(w.Then)}
		}
		return out, err
	}
	return e, nil
}

// conjuncts splits e at its top-level ANDs; nil yields none.
func conjuncts(e scalar.Expr) []scalar.Expr {
	if e == nil {
		return nil
	}
	if c, ok := e.(*scalar.Call); ok && c.Func == scalar.FuncAnd && len(c.Args) == 2 {
		return append(conjuncts(c.Args[0]), conjuncts(c.Args[1])...)
	}
	return []scalar.Expr{e}
}

// conjoin is the AND of es, nil when es is empty.
func conjoin(es []scalar.Expr) scalar.Expr {
	var out scalar.Expr
	for _, e := range es {
		if out == nil {
			out = e
		} else {
			out = and(out, e)
		}
	}
	return out
}

// colRange reports whether e references any column, and the lowest and
// highest column index it references.
func colRange(e scalar.Expr) (lo, hi int, any bool) {
	lo, hi = -1, -1
	mapColRefs(e, func(r *scalar.ColRef) scalar.Expr {
		if !any || r.Index < lo {
			lo = r.Index
		}
		if !any || r.Index > hi {
			hi = r.Index
		}
		any = true
		return r
	})
	return lo, hi, any
}

// shift renumbers every column reference by delta.
func shift(e scalar.Expr, delta int) scalar.Expr {
	return mapColRefs(e, func(r *scalar.ColRef) scalar.Expr {
		return &scalar.ColRef{Index: r.Index + delta, Name: r.Name, T: r.T}
	})
}
