package scalar

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/mysql"
	"github.com/pingcap/tidb/pkg/parser/types"
	"github.com/sqlstream/sqlstream/catalog"
)

// bindCast binds CAST(x AS t) and CONVERT(x, t): SIGNED/UNSIGNED → BIGINT,
// DECIMAL(p,s) (DECIMAL alone is DECIMAL(10,0)), CHAR → VARCHAR, DATE,
// DATETIME → TIMESTAMP(3), DOUBLE/REAL/FLOAT → DOUBLE.
func (b *binder) bindCast(n *ast.FuncCastExpr) (Expr, error) {
	x, err := b.bind(n.Expr)
	if err != nil {
		return nil, err
	}
	t, err := castTarget(n)
	if err != nil {
		return nil, err
	}
	if x.Type().ID == catalog.Interval {
		return nil, errorf(n, "cannot cast INTERVAL to %s", t)
	}
	return coerce(x, t, n)
}

func castTarget(n *ast.FuncCastExpr) (catalog.Type, error) {
	ft := n.Tp
	switch ft.GetType() {
	case mysql.TypeLonglong:
		return catalog.BigIntType, nil
	case mysql.TypeNewDecimal:
		p, s := int32(ft.GetFlen()), int32(ft.GetDecimal())
		if p > catalog.MaxDecimalPrecision || s > p {
			return catalog.Type{}, errorf(n, "invalid DECIMAL(%d,%d): precision must be at most %d and at least the scale", p, s, catalog.MaxDecimalPrecision)
		}
		return catalog.DecimalType(p, s), nil
	case mysql.TypeVarString, mysql.TypeString, mysql.TypeVarchar:
		if mysql.HasBinaryFlag(ft.GetFlag()) {
			return catalog.Type{}, errorf(n, "cast to BINARY is not supported")
		}
		return catalog.VarcharType, nil
	case mysql.TypeDate:
		return catalog.DateType, nil
	case mysql.TypeDatetime, mysql.TypeTimestamp:
		return catalog.TimestampType, nil
	case mysql.TypeDouble, mysql.TypeFloat:
		return catalog.DoubleType, nil
	}
	return catalog.Type{}, errorf(n, "cast to %s is not supported", strings.ToUpper(types.TypeStr(ft.GetType())))
}
