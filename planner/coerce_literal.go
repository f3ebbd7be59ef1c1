package planner

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/catalog/sqlval"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// coerceLiteral converts a constant to type t, as an assignment to a
// column of type t does: numbers convert between numeric types when the
// value fits exactly (DECIMAL scale may grow, never lose digits), strings
// parse as dates, timestamps and numbers, and a NULL gets the type.
func coerceLiteral(lit *scalar.Literal, t catalog.Type) (*scalar.Literal, error) {
	if lit.Value == nil {
		return &scalar.Literal{T: t}, nil
	}
	v, err := convertValue(lit, t)
	if err != nil {
		return nil, err
	}
	return &scalar.Literal{Value: v, T: t}, nil
}

func convertValue(lit *scalar.Literal, t catalog.Type) (any, error) {
	from := lit.T
	switch t.ID {
	case catalog.Boolean:
		if b, ok := lit.Value.(bool); ok {
			return b, nil
		}
	case catalog.Int, catalog.BigInt:
		return toInteger(lit, t)
	case catalog.Double:
		return toDouble(lit, t)
	case catalog.Decimal:
		return toDecimal(lit, t)
	case catalog.Varchar:
		return toVarchar(lit)
	case catalog.Date:
		return toDate(lit, t)
	case catalog.Timestamp:
		return toTimestamp(lit, t)
	}
	return nil, typeMismatch(from, t)
}

func toInteger(lit *scalar.Literal, t catalog.Type) (any, error) {
	var n int64
	switch v := lit.Value.(type) {
	case int64:
		if !lit.T.IsInteger() {
			return nil, typeMismatch(lit.T, t)
		}
		n = v
	case string:
		p, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("'%s' is not an integer", v)
		}
		n = p
	default:
		d, ok := decimalValue(lit)
		if !ok {
			return nil, typeMismatch(lit.T, t)
		}
		r, err := d.Rescale(lit.T.Scale, 0)
		if err != nil || !r.FitsInPrecision(18) {
			return nil, fmt.Errorf("%s is not an exact %s", d.ToString(lit.T.Scale), t)
		}
		n = r.BigInt().Int64()
	}
	if t.ID == catalog.Int && (n < math.MinInt32 || n > math.MaxInt32) {
		return nil, fmt.Errorf("%d is out of range for INT", n)
	}
	return n, nil
}

func toDouble(lit *scalar.Literal, t catalog.Type) (any, error) {
	switch v := lit.Value.(type) {
	case float64:
		return v, nil
	case int64:
		if !lit.T.IsInteger() {
			return nil, typeMismatch(lit.T, t)
		}
		return float64(v), nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return nil, fmt.Errorf("'%s' is not a number", v)
		}
		return f, nil
	}
	if d, ok := decimalValue(lit); ok {
		return d.ToFloat64(lit.T.Scale), nil
	}
	return nil, typeMismatch(lit.T, t)
}

func toDecimal(lit *scalar.Literal, t catalog.Type) (any, error) {
	var n decimal128.Num
	var err error
	switch v := lit.Value.(type) {
	case int64:
		if !lit.T.IsInteger() {
			return nil, typeMismatch(lit.T, t)
		}
		n, err = decimal128.FromI64(v).Rescale(0, t.Scale)
	case float64:
		n, err = decimal128.FromFloat64(v, t.Precision, t.Scale)
	case string:
		if n, err = decimal128.FromString(strings.TrimSpace(v), t.Precision, t.Scale); err != nil {
			return nil, fmt.Errorf("'%s' is not a %s", v, t)
		}
	default:
		d, ok := decimalValue(lit)
		if !ok {
			return nil, typeMismatch(lit.T, t)
		}
		n, err = d.Rescale(lit.T.Scale, t.Scale)
	}
	if err != nil || !n.FitsInPrecision(t.Precision) {
		return nil, fmt.Errorf("%s does not fit %s", literalText(lit), t)
	}
	return n, nil
}

func toVarchar(lit *scalar.Literal) (any, error) {
	if s, ok := lit.Value.(string); ok {
		return s, nil
	}
	return literalText(lit), nil
}

const msPerDay = sqlval.MillisPerDay

func toDate(lit *scalar.Literal, t catalog.Type) (any, error) {
	switch v := lit.Value.(type) {
	case string:
		d, ok := sqlval.ParseDate(v)
		if !ok {
			return nil, fmt.Errorf("'%s' is not a DATE (want 'YYYY-MM-DD')", v)
		}
		return d, nil
	case int32:
		return v, nil
	case int64:
		if lit.T.ID == catalog.Timestamp {
			return int32(sqlval.FloorDiv(v, msPerDay)), nil
		}
	}
	return nil, typeMismatch(lit.T, t)
}

func toTimestamp(lit *scalar.Literal, t catalog.Type) (any, error) {
	switch v := lit.Value.(type) {
	case string:
		return parseTimestamp(v)
	case int32:
		if lit.T.ID == catalog.Date {
			return int64(v) * msPerDay, nil
		}
	case int64:
		if lit.T.ID == catalog.Timestamp {
			return v, nil
		}
	}
	return nil, typeMismatch(lit.T, t)
}

func parseTimestamp(s string) (int64, error) {
	if ms, ok := sqlval.ParseTimestamp(s); ok {
		return ms, nil
	}
	return 0, fmt.Errorf("'%s' is not a TIMESTAMP (want 'YYYY-MM-DD HH:MM:SS[.fff]')", s)
}

// decimalValue returns a DECIMAL literal's unscaled value.
func decimalValue(lit *scalar.Literal) (decimal128.Num, bool) {
	n, ok := lit.Value.(decimal128.Num)
	return n, ok && lit.T.ID == catalog.Decimal
}
