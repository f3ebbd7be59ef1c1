package scalar

import (
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/catalog"
)

func not(e Expr) Expr { return &Call{Func: FuncNot, Args: []Expr{e}, T: catalog.BooleanType} }

func (b *binder) bindIsNull(n *ast.IsNullExpr) (Expr, error) {
	v, err := b.bind(n.Expr)
	if err != nil {
		return nil, err
	}
	f := FuncIsNull
	if n.Not {
		f = FuncIsNotNull
	}
	return &Call{Func: f, Args: []Expr{v}, T: catalog.BooleanType}, nil
}

// bindIsTruth binds IS [NOT] TRUE/FALSE; IS NOT TRUE is NOT(ISTRUE(x)),
// which is never NULL.
func (b *binder) bindIsTruth(n *ast.IsTruthExpr) (Expr, error) {
	v, err := b.bind(n.Expr)
	if err != nil {
		return nil, err
	}
	f := FuncIsFalse
	if n.True != 0 {
		f = FuncIsTrue
	}
	call, err := logic(n, f, []Expr{v}, []ast.ExprNode{n.Expr})
	if err != nil || !n.Not {
		return call, err
	}
	return not(call), nil
}

// bindIn binds x [NOT] IN (list): all of one comparison type.
func (b *binder) bindIn(n *ast.PatternInExpr) (Expr, error) {
	if n.Sel != nil {
		return nil, errorf(n, "IN (subquery) is not supported in expressions")
	}
	nodes := append([]ast.ExprNode{n.Expr}, n.List...)
	args, err := b.bindAll(nodes)
	if err != nil {
		return nil, err
	}
	if args, err = toCommon(n, args, nodes); err != nil {
		return nil, err
	}
	var e Expr = &Call{Func: FuncIn, Args: args, T: catalog.BooleanType}
	if n.Not {
		e = not(e)
	}
	return e, nil
}

// bindBetween binds x [NOT] BETWEEN lo AND hi (both ends included).
func (b *binder) bindBetween(n *ast.BetweenExpr) (Expr, error) {
	nodes := []ast.ExprNode{n.Expr, n.Left, n.Right}
	args, err := b.bindAll(nodes)
	if err != nil {
		return nil, err
	}
	if args, err = toCommon(n, args, nodes); err != nil {
		return nil, err
	}
	var e Expr = &Call{Func: FuncBetween, Args: args, T: catalog.BooleanType}
	if n.Not {
		e = not(e)
	}
	return e, nil
}

// bindLike binds x [NOT] LIKE pattern [ESCAPE c]. Both sides are VARCHAR
// (others are cast); Args[2], a one-character VARCHAR literal, is present
// only for an escape other than MySQL's default backslash.
func (b *binder) bindLike(n *ast.PatternLikeOrIlikeExpr) (Expr, error) {
	if !n.IsLike {
		return nil, errorf(n, "ILIKE is not supported")
	}
	nodes := []ast.ExprNode{n.Expr, n.Pattern}
	args, err := b.bindAll(nodes)
	if err != nil {
		return nil, err
	}
	if args, err = toVarchar(n, args, nodes); err != nil {
		return nil, err
	}
	if n.Escape != '\\' {
		args = append(args, &Literal{Value: string(rune(n.Escape)), T: catalog.VarcharType})
	}
	var e Expr = &Call{Func: FuncLike, Args: args, T: catalog.BooleanType}
	if n.Not {
		e = not(e)
	}
	return e, nil
}

// toVarchar casts string-function arguments to VARCHAR; INTERVALs are
// rejected.
func toVarchar(n ast.Node, args []Expr, nodes []ast.ExprNode) ([]Expr, error) {
	for i, a := range args {
		if a.Type().ID == catalog.Interval {
			return nil, errorf(nodes[i], "cannot use INTERVAL as a string")
		}
	}
	return coerceAll(args, catalog.VarcharType, nodes)
}
