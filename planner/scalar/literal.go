package scalar

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/pingcap/tidb/pkg/parser/mysql"
	"github.com/pingcap/tidb/pkg/parser/test_driver"
	"github.com/sqlstream/sqlstream/catalog"
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
	body := strings.TrimLeft(s, "+-")
	intPart, frac, _ := strings.Cut(body, ".")
	intPart = strings.TrimLeft(intPart, "0")
	scale := int32(len(frac))
	prec := max(int32(len(intPart))+scale, 1)
	if prec > catalog.MaxDecimalPrecision {
		return catalog.Type{}, decimal128.Num{}, errorf(nil, "decimal literal %s has more than %d digits", s, catalog.MaxDecimalPrecision)
	}
	var bi big.Int
	if _, ok := bi.SetString(strings.TrimPrefix(intPart+frac, "+"), 10); !ok && intPart+frac != "" {
		return catalog.Type{}, decimal128.Num{}, errorf(nil, "invalid decimal literal %s", s)
	}
	if strings.HasPrefix(s, "-") {
		bi.Neg(&bi)
	}
	return catalog.DecimalType(prec, scale), decimal128.FromBigInt(&bi), nil
}
