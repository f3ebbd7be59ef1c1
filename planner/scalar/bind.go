package scalar

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/format"
	"github.com/pingcap/tidb/pkg/parser/test_driver"
)

// Bind resolves a TiDB expression against s and returns the typed
// expression, with implicit Casts inserted so that every Call's arguments
// have the types the Func conventions (funcs.go, types.go) state. Errors are
// *Error values carrying the offending AST node; an aggregate or window
// function yields an *Error wrapping ErrNotScalar.
func Bind(s Scope, e ast.ExprNode) (Expr, error) {
	b := &binder{scope: s}
	return b.bind(e)
}

type binder struct {
	scope Scope
}

func (b *binder) bind(e ast.ExprNode) (Expr, error) {
	switch n := e.(type) {
	case *ast.ParenthesesExpr:
		return b.bind(n.Expr)
	case *test_driver.ValueExpr:
		return bindValue(n)
	case *ast.ColumnNameExpr:
		return b.bindColumn(n)
	case *ast.BinaryOperationExpr:
		return b.bindBinary(n)
	case *ast.UnaryOperationExpr:
		return b.bindUnary(n)
	case *ast.IsNullExpr:
		return b.bindIsNull(n)
	case *ast.IsTruthExpr:
		return b.bindIsTruth(n)
	case *ast.PatternInExpr:
		return b.bindIn(n)
	case *ast.BetweenExpr:
		return b.bindBetween(n)
	case *ast.PatternLikeOrIlikeExpr:
		return b.bindLike(n)
	case *ast.CaseExpr:
		return b.bindCase(n)
	case *ast.FuncCallExpr:
		return b.bindFuncCall(n)
	case *ast.FuncCastExpr:
		return b.bindCast(n)
	case *ast.AggregateFuncExpr:
		return nil, &Error{Node: n, Msg: "aggregate function " + strings.ToUpper(n.F) + " is not a scalar expression", Err: ErrNotScalar}
	case *ast.WindowFuncExpr:
		return nil, &Error{Node: n, Msg: "window function " + strings.ToUpper(n.Name) + " is not a scalar expression", Err: ErrNotScalar}
	case *ast.SubqueryExpr, *ast.ExistsSubqueryExpr, *ast.CompareSubqueryExpr:
		return nil, errorf(n, "subqueries are not supported in expressions: %s", nodeText(n))
	}
	return nil, errorf(e, "unsupported expression %s", nodeText(e))
}

// bindAll binds each expression in order.
func (b *binder) bindAll(es []ast.ExprNode) ([]Expr, error) {
	out := make([]Expr, len(es))
	for i, e := range es {
		x, err := b.bind(e)
		if err != nil {
			return nil, err
		}
		out[i] = x
	}
	return out, nil
}

func (b *binder) bindColumn(n *ast.ColumnNameExpr) (Expr, error) {
	qual, col := n.Name.Table.O, n.Name.Name.O
	if n.Name.Schema.O != "" {
		qual = n.Name.Schema.O + "." + qual
	}
	idx, t, err := b.scope.Resolve(qual, col)
	if err != nil {
		return nil, &Error{Node: n, Msg: err.Error(), Err: err}
	}
	name := col
	if qual != "" {
		name = qual + "." + col
	}
	return &ColRef{Index: idx, Name: name, T: t}, nil
}

// nodeText renders an AST node back to SQL for error messages.
func nodeText(n ast.Node) string {
	var sb strings.Builder
	if err := n.Restore(format.NewRestoreCtx(format.DefaultRestoreFlags&^format.RestoreNameBackQuotes, &sb)); err != nil {
		return "?"
	}
	return sb.String()
}
