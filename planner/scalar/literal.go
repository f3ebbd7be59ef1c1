package scalar

import (
	"strconv"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/pingcap/tidb/pkg/parser/mysql"
	"github.com/pingcap/tidb/pkg/parser/test_driver"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/catalog/sqlval"
)

// bindValue types a literal: integers BIGINT (DECIMAL(20,0) beyond int64),
// 0.908 DECIMAL(3,3) exactly as written, 1e3 DOUBLE, strings VARCHAR,
// TRUE/FALSE BOOLEAN, NULL the Null type.
func bindValue(n *test_driver.ValueExpr) (Expr, error) {
	switch v := n.GetValue().(type) {
	case nil:
		return &Literal{T: catalog.NullType}, nil
	case int64:
		if mysql.HasIsBooleanFlag(n.Type.GetFlag()) {
			return &Literal{Value: v != 0, T: catalog.BooleanType}, nil
		}
		return &Literal{Value: v, T: catalog.BigIntType}, nil
	case uint64:
		return decimalLiteral(n, strconv.FormatUint(v, 10))
	case float64:
		return &Literal{Value: v, T: catalog.DoubleType}, nil
	case *test_driver.MyDecimal:
		return decimalLiteral(n, v.String())
	case string:
		return &Literal{Value: v, T: catalog.VarcharType}, nil
	case test_driver.BinaryLiteral:
		return &Literal{Value: string(v), T: catalog.VarcharType}, nil
	}
	return nil, errorf(n, "unsupported literal %s", nodeText(n))
}

// decimalLiteral types s as DECIMAL(digits, fractional digits).
func decimalLiteral(n *test_driver.ValueExpr, s string) (Expr, error) {
	t, num, err := parseDecimal(s)
	if err != nil {
		return nil, errorf(n, "%s", err.Error())
	}
	return &Literal{Value: num, T: t}, nil
}

// parseDecimal reads a plain decimal number as DECIMAL(p,s) with p the
// significant digits and s the digits after the point.
func parseDecimal(s string) (catalog.Type, decimal128.Num, error) {
	prec, scale, ok := sqlval.DecimalShape(s)
	if !ok {
		return catalog.Type{}, decimal128.Num{}, errorf(nil, "invalid decimal literal %s", s)
	}
	if prec > catalog.MaxDecimalPrecision {
		return catalog.Type{}, decimal128.Num{}, errorf(nil, "decimal literal %s has more than %d digits", s, catalog.MaxDecimalPrecision)
	}
	num, err := sqlval.ParseDecimal(s, prec, scale)
	if err != nil {
		return catalog.Type{}, decimal128.Num{}, errorf(nil, "invalid decimal literal %s", s)
	}
	return catalog.DecimalType(prec, scale), num, nil
}
