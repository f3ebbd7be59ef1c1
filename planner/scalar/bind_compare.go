package scalar

import (
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/catalog"
)

// compare binds a comparison: both sides are cast to their common type.
func compare(n ast.Node, f Func, l, r Expr, ln, rn ast.ExprNode) (Expr, error) {
	args, err := toCommon(n, []Expr{l, r}, []ast.ExprNode{ln, rn})
	if err != nil {
		return nil, err
	}
	return &Call{Func: f, Args: args, T: catalog.BooleanType}, nil
}

// toCommon casts all args to their common comparison type (types.go).
func toCommon(n ast.Node, args []Expr, nodes []ast.ExprNode) ([]Expr, error) {
	t, err := commonOf(n, args, compareType, "compare")
	if err != nil {
		return nil, err
	}
	return coerceAll(args, t, nodes)
}

// unifyAll casts all args to their common result type (types.go).
func unifyAll(n ast.Node, args []Expr, nodes []ast.ExprNode, what string) ([]Expr, catalog.Type, error) {
	t, err := commonOf(n, args, unifyType, "combine "+what+" of")
	if err != nil {
		return nil, t, err
	}
	out, err := coerceAll(args, t, nodes)
	return out, t, err
}

// commonOf folds a pairwise type rule over args. The accumulated type is
// represented by a typeless placeholder so that integer literals only get
// their tight decimal view while they stand alone.
func commonOf(n ast.Node, args []Expr, rule func(a, b Expr) (catalog.Type, bool), verb string) (catalog.Type, error) {
	acc := args[0]
	for _, a := range args[1:] {
		t, ok := rule(acc, a)
		if !ok {
			return t, errorf(n, "cannot %s %s and %s", verb, acc.Type(), a.Type())
		}
		if !t.Equal(acc.Type()) {
			acc = &Literal{Value: nil, T: t}
		}
	}
	if len(args) == 1 {
		return args[0].Type(), nil
	}
	return acc.Type(), nil
}
