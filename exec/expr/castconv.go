package expr

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// parseDecimal parses a decimal string ('-12.345', '1e3', ' 7 ') into an
// unscaled value at scale s, rounding half away from zero, and checks that
// it fits precision p.
func parseDecimal(str string, p, s int32) (decimal128.Num, error) {
	t := strings.TrimSpace(str)
	bad := func() (decimal128.Num, error) { return zeroDec, fmt.Errorf("invalid DECIMAL value %q", str) }
	neg := false
	if t != "" && (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-'
		t = t[1:]
	}
	var digits []byte
	exp, seenDot, nd := 0, false, 0
	i := 0
	for ; i < len(t); i++ {
		ch := t[i]
		switch {
		case ch >= '0' && ch <= '9':
			digits = append(digits, ch)
			nd++
			if seenDot {
				exp--
			}
		case ch == '.' && !seenDot:
			seenDot = true
		default:
			goto tail
		}
	}
tail:
	if nd == 0 {
		return bad()
	}
	if i < len(t) {
		if t[i] != 'e' && t[i] != 'E' {
			return bad()
		}
		e, err := strconv.Atoi(t[i+1:])
		if err != nil || e > 1000 || e < -1000 {
			return bad()
		}
		exp += e
	}
	v, _ := new(big.Int).SetString(string(digits), 10)
	if neg {
		v.Neg(v)
	}
	shift := exp + int(s)
	if shift >= 0 {
		v.Mul(v, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(shift)), nil))
	} else {
		q, ok := ratRound(new(big.Rat).SetFrac(v, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-shift)), nil)))
		if !ok {
			return zeroDec, fmt.Errorf("DECIMAL value %q out of range for DECIMAL(%d,%d)", str, p, s)
		}
		v = toBig(q)
	}
	n, ok := fromBig(v)
	if !ok || !fitsPrec(n, p) {
		return zeroDec, fmt.Errorf("DECIMAL value %q out of range for DECIMAL(%d,%d)", str, p, s)
	}
	return n, nil
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

// parseInt parses an integer string; a decimal string is rounded.
func parseInt(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if v, err := strconv.ParseInt(t, 10, 64); err == nil {
		return v, nil
	}
	d, err := parseDecimal(t, 38, 0)
	if err != nil || !fitsI64(d) {
		return 0, fmt.Errorf("invalid integer %q", s)
	}
	return int64(d.LowBits()), nil
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "t", "1", "yes", "y", "on":
		return true, nil
	case "false", "f", "0", "no", "n", "off":
		return false, nil
	}
	return false, fmt.Errorf("invalid BOOLEAN %q", s)
}

// formatF64 renders a DOUBLE without exponent for ordinary magnitudes.
func formatF64(b []byte, v float64) []byte {
	if a := math.Abs(v); a != 0 && (a < 1e-5 || a >= 1e15) {
		return strconv.AppendFloat(b, v, 'e', -1, 64)
	}
	return strconv.AppendFloat(b, v, 'f', -1, 64)
}

func trimSpace(s string) string { return strings.TrimSpace(s) }
