package expr

import (
	"fmt"
	"math"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/sqlstream/sqlstream/catalog/sqlval"
)

// parseDecimal reads CAST(str AS DECIMAL(p,s)): rounded half away from zero
// to the scale, an error if it does not fit precision p.
func parseDecimal(str string, p, s int32) (decimal128.Num, error) {
	n, err := sqlval.ParseDecimal(str, p, s)
	switch err {
	case nil:
		return n, nil
	case sqlval.ErrRange:
		return zeroDec, fmt.Errorf("DECIMAL value %q out of range for DECIMAL(%d,%d)", str, p, s)
	}
	return zeroDec, fmt.Errorf("invalid DECIMAL value %q", str)
}

// f64ToDec converts through the shortest decimal representation of v, so
// 1.005 becomes 1.01 at scale 2 (as MySQL), not 1.00.
func f64ToDec(v float64, p, s int32) (decimal128.Num, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return zeroDec, fmt.Errorf("cannot convert %v to DECIMAL(%d,%d)", v, p, s)
	}
	return parseDecimal(strconv.FormatFloat(v, 'e', -1, 64), p, s)
}

// f64ToI64 rounds half away from zero and checks the int64 range.
func f64ToI64(v float64) (int64, error) {
	r := math.Round(v)
	if math.IsNaN(r) || r < -9.223372036854775808e18 || r >= 9.223372036854775808e18 {
		return 0, fmt.Errorf("value %v out of range for BIGINT", v)
	}
	return int64(r), nil
}

// decToI64 rounds a decimal at scale s to an integer.
func decToI64(n decimal128.Num, s int32) (int64, error) {
	r, _ := rescale(n, s, 0)
	if !fitsI64(r) {
		return 0, fmt.Errorf("value %s out of range for BIGINT", n.ToString(s))
	}
	return int64(r.LowBits()), nil
}

// parseInt reads CAST(s AS SIGNED); a decimal string is rounded.
func parseInt(s string) (int64, error) {
	if v, ok := sqlval.ParseInt(s, 64); ok {
		return v, nil
	}
	d, err := sqlval.ParseDecimal(s, 38, 0)
	if err != nil || !fitsI64(d) {
		return 0, fmt.Errorf("invalid integer %q", s)
	}
	return int64(d.LowBits()), nil
}

func parseBool(s string) (bool, error) {
	if v, ok := sqlval.ParseBool(s); ok {
		return v, nil
	}
	return false, fmt.Errorf("invalid BOOLEAN %q", s)
}

// parseFloat reads CAST(s AS DOUBLE).
func parseFloat(s string) (float64, error) {
	if v, ok := sqlval.ParseFloat(s); ok {
		return v, nil
	}
	return 0, fmt.Errorf("invalid DOUBLE %q", s)
}

// formatF64 renders a DOUBLE without exponent for ordinary magnitudes.
func formatF64(b []byte, v float64) []byte {
	if a := math.Abs(v); a != 0 && (a < 1e-5 || a >= 1e15) {
		return strconv.AppendFloat(b, v, 'e', -1, 64)
	}
	return strconv.AppendFloat(b, v, 'f', -1, 64)
}
