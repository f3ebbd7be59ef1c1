package scalar

import (
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/catalog"
)

// coerce converts e to t: unchanged when it already has the type, a folded
// Literal when e is a constant that converts exactly, otherwise a *Cast.
// n positions the error of a string literal that does not parse as t.
func coerce(e Expr, t catalog.Type, n ast.Node) (Expr, error) {
	if e.Type().Equal(t) {
		return e, nil
	}
	lit, ok := e.(*Literal)
	if !ok {
		return &Cast{Arg: e, T: t}, nil
	}
	if lit.Value == nil {
		return &Literal{T: t}, nil
	}
	folded, ok, err := foldCast(lit, t)
	if err != nil {
		return nil, errorf(n, "%s", err.Error())
	}
	if ok {
		return folded, nil
	}
	return &Cast{Arg: e, T: t}, nil
}

// coerceAll converts every expression to t.
func coerceAll(es []Expr, t catalog.Type, nodes []ast.ExprNode) ([]Expr, error) {
	out := make([]Expr, len(es))
	for i, e := range es {
		c, err := coerce(e, t, nodes[i])
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// foldCast converts a non-NULL literal to t at bind time when that is exact;
// ok is false when the conversion is left to a run-time Cast.
func foldCast(lit *Literal, t catalog.Type) (Expr, bool, error) {
	switch v := lit.Value.(type) {
	case int64:
		return foldInt(v, t)
	case bool:
		if isNumberLike(t) {
			return foldInt(map[bool]int64{false: 0, true: 1}[v], t)
		}
	case decimal128.Num:
		return foldDecimal(v, lit.T, t)
	case string:
		return foldString(v, t)
	case int32:
		if lit.T.ID == catalog.Date && t.ID == catalog.Timestamp {
			return &Literal{Value: int64(v) * msPerDay, T: t}, true, nil
		}
	}
	return nil, false, nil
}

func foldInt(v int64, t catalog.Type) (Expr, bool, error) {
	switch t.ID {
	case catalog.BigInt:
		return &Literal{Value: v, T: t}, true, nil
	case catalog.Int:
		if v >= math.MinInt32 && v <= math.MaxInt32 {
			return &Literal{Value: v, T: t}, true, nil
		}
	case catalog.Double:
		return &Literal{Value: float64(v), T: t}, true, nil
	case catalog.Decimal:
		n := decimal128.FromI64(v).IncreaseScaleBy(t.Scale)
		if n.FitsInPrecision(t.Precision) {
			return &Literal{Value: n, T: t}, true, nil
		}
	}
	return nil, false, nil
}

func foldDecimal(v decimal128.Num, from, t catalog.Type) (Expr, bool, error) {
	switch t.ID {
	case catalog.Double:
		return &Literal{Value: v.ToFloat64(from.Scale), T: t}, true, nil
	case catalog.Decimal:
		if t.Scale < from.Scale {
			return nil, false, nil
		}
		n, err := v.Rescale(from.Scale, t.Scale)
		if err == nil && n.FitsInPrecision(t.Precision) {
			return &Literal{Value: n, T: t}, true, nil
		}
	}
	return nil, false, nil
}

func foldString(v string, t catalog.Type) (Expr, bool, error) {
	switch t.ID {
	case catalog.Date:
		d, err := parseDate(v)
		if err != nil {
			return nil, false, err
		}
		return &Literal{Value: d, T: t}, true, nil
	case catalog.Timestamp:
		ms, err := parseTimestamp(v)
		if err != nil {
			return nil, false, err
		}
		return &Literal{Value: ms, T: t}, true, nil
	case catalog.Double:
		if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
			return &Literal{Value: f, T: t}, true, nil
		}
	}
	return nil, false, nil
}
