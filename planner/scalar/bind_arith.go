package scalar

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/catalog"
)

// arith binds a binary arithmetic operator by the rules in types.go.
func arith(n ast.Node, f Func, l, r Expr, ln, rn ast.ExprNode) (Expr, error) {
	lt, rt := l.Type(), r.Type()
	if l, r = nullAs(l, rt), nullAs(r, lt); l.Type().ID == catalog.Null {
		l, r = &Literal{T: catalog.BigIntType}, &Literal{T: catalog.BigIntType}
	}
	lt, rt = l.Type(), r.Type()
	if f == FuncSub && lt.IsTemporal() && rt.IsTemporal() {
		return nil, errorf(n, "cannot apply - to %[1]s and %[2]s: use TIMESTAMPDIFF(SECOND, %[3]s, %[4]s) for the seconds from %[3]s to %[4]s, or DATEDIFF(%[4]s, %[3]s) for days",
			lt, rt, nodeText(rn), nodeText(ln))
	}
	if !isNumberLike(lt) || !isNumberLike(rt) {
		return nil, errorf(n, "cannot apply %s to %s and %s", f.Info().Infix, lt, rt)
	}
	var argL, argR, res catalog.Type
	switch max(numRank(lt.ID), numRank(rt.ID)) {
	case 4:
		argL, argR, res = catalog.DoubleType, catalog.DoubleType, catalog.DoubleType
	case 3:
		argL, argR = decimalView(l), decimalView(r)
		res = decimalArith(f, argL, argR)
	default:
		argL, argR, res = catalog.BigIntType, catalog.BigIntType, catalog.BigIntType
		if f == FuncDiv {
			argL, argR = decimalView(l), decimalView(r)
			res = decimalArith(f, argL, argR)
		}
	}
	if f == FuncIntDiv {
		res = catalog.BigIntType
	}
	cl, err := coerce(l, argL, ln)
	if err != nil {
		return nil, err
	}
	cr, err := coerce(r, argR, rn)
	if err != nil {
		return nil, err
	}
	return &Call{Func: f, Args: []Expr{cl, cr}, T: res}, nil
}

// nullAs gives an untyped NULL literal the type other (or leaves it).
func nullAs(e Expr, other catalog.Type) Expr {
	if e.Type().ID == catalog.Null && other.ID != catalog.Null {
		return &Literal{T: other}
	}
	return e
}

// foldNeg negates a numeric literal, or returns nil.
func foldNeg(lit *Literal) Expr {
	switch v := lit.Value.(type) {
	case int64:
		if v != math.MinInt64 {
			return &Literal{Value: -v, T: lit.T}
		}
	case float64:
		return &Literal{Value: -v, T: lit.T}
	case decimal128.Num:
		neg := v.Negate()
		// -9223372036854775808 is written as a DECIMAL(19,0) literal.
		if lit.T.Scale == 0 && neg == decimal128.FromI64(math.MinInt64) {
			return &Literal{Value: int64(math.MinInt64), T: catalog.BigIntType}
		}
		return &Literal{Value: neg, T: lit.T}
	}
	return nil
}
