package sqlval

import (
	"errors"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

var (
	// ErrSyntax is a text that is not a decimal number.
	ErrSyntax = errors.New("not a decimal number")
	// ErrRange is a number that needs more digits than the precision allows.
	ErrRange = errors.New("out of range")
)

// maxPrecision is the most digits a decimal128 holds.
const maxPrecision = 38

// maxExponent bounds a parsed exponent; beyond it every nonzero value is
// out of range or rounds to zero anyway.
const maxExponent = 1 << 20

var ten = decimal128.FromU64(10)

// ParseDecimal parses a decimal number (an exponent allowed) exactly into
// the unscaled value of a DECIMAL(prec, scale), rounding half away from zero
// to the scale. It returns ErrSyntax or ErrRange.
func ParseDecimal[T Text](s T, prec, scale int32) (decimal128.Num, error) {
	s = trim(s)
	neg, i := false, 0
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg, i = s[0] == '-', 1
	}
	intStart := i
	i = skipDigits(s, i)
	intEnd, fracStart := i, i
	if i < len(s) && s[i] == '.' {
		fracStart = i + 1
		i = skipDigits(s, fracStart)
	}
	fracEnd := i
	if intEnd == intStart && fracEnd <= fracStart {
		return decimal128.Num{}, ErrSyntax
	}
	exp := int64(0)
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		var ok bool
		if exp, i, ok = parseExponent(s, i+1); !ok {
			return decimal128.Num{}, ErrSyntax
		}
	}
	if i != len(s) {
		return decimal128.Num{}, ErrSyntax
	}
	// value = digits(int ++ frac) * 10^(exp - len(frac)); we want value * 10^scale.
	shift := exp - int64(fracEnd-fracStart) + int64(scale)
	v, ok := scaleDigits(s[intStart:intEnd], s[fracStart:fracEnd], shift, min(prec, maxPrecision))
	if !ok {
		return decimal128.Num{}, ErrRange
	}
	if neg {
		v = v.Negate()
	}
	return v, nil
}

// DecimalShape returns the DECIMAL(prec, scale) that holds a plain decimal
// literal ([+-]digits[.digits], no exponent) exactly as written: scale is the
// digits after the point, prec the significant digits before it plus scale
// (at least 1). prec may exceed what a decimal128 holds; the caller checks.
func DecimalShape[T Text](s T) (prec, scale int32, ok bool) {
	s = trim(s)
	i := 0
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		i = 1
	}
	zeros := i
	for i < len(s) && s[i] == '0' {
		i++
	}
	intStart := i
	i = skipDigits(s, i)
	intDigits, sawDigit := i-intStart, i > zeros
	if i < len(s) && s[i] == '.' {
		j := skipDigits(s, i+1)
		scale, sawDigit = int32(j-i-1), sawDigit || j > i+1
		i = j
	}
	if i != len(s) || !sawDigit {
		return 0, 0, false
	}
	return max(int32(intDigits)+scale, 1), scale, true
}

func isDigit(c byte) bool { return c-'0' <= 9 }

func skipDigits[T Text](s T, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// parseExponent reads [+-]digits from s[i:], saturating at ±maxExponent.
func parseExponent[T Text](s T, i int) (int64, int, bool) {
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var e int64
	for ; i < len(s) && isDigit(s[i]); i++ {
		e = min(e*10+int64(s[i]-'0'), maxExponent)
	}
	if neg {
		e = -e
	}
	return e, i, i > start
}

// scaleDigits computes round(D * 10^shift), D the digit string a ++ b,
// rounding half away from zero, and checks that it fits prec digits.
func scaleDigits[T Text](a, b T, shift int64, prec int32) (decimal128.Num, bool) {
	total := int64(len(a) + len(b))
	keep := total // digits before the rounding point
	if shift < 0 {
		keep = total + shift
	}
	var v decimal128.Num
	if keep < 0 {
		return v, true // every digit is below half a unit of the scale
	}
	nd := int64(0) // significant digits accumulated
	roundUp := false
	for k := int64(0); k < total; k++ {
		var d byte
		if k < int64(len(a)) {
			d = a[k] - '0'
		} else {
			d = b[k-int64(len(a))] - '0'
		}
		if k >= keep {
			roundUp = d >= 5
			break
		}
		if nd == 0 && d == 0 {
			continue
		}
		if nd++; nd > int64(prec) {
			return v, false
		}
		v = v.Mul(ten).Add(decimal128.FromU64(uint64(d)))
	}
	if roundUp {
		v = v.Add(decimal128.FromU64(1))
	}
	if shift > 0 && v.Sign() != 0 {
		if nd+shift > int64(prec) {
			return v, false
		}
		v = v.Mul(decimal128.GetScaleMultiplier(int(shift)))
	}
	return v, v.FitsInPrecision(prec)
}

// AppendDecimal appends the unscaled value n at scale as decimal128's
// ToString does (-12.50 at scale 2, 0.05, 1200 at scale -2), without
// allocating.
func AppendDecimal(dst []byte, n decimal128.Num, scale int32) []byte {
	var buf [40]byte
	digits, neg := magnitude(&buf, n)
	if neg {
		dst = append(dst, '-')
	}
	if scale <= 0 {
		dst = append(dst, digits...)
		if digits[0] != '0' {
			for range -scale {
				dst = append(dst, '0')
			}
		}
		return dst
	}
	at := len(digits) - int(scale)
	if at <= 0 {
		dst = append(dst, '0', '.')
		for range -at {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	dst = append(dst, digits[:at]...)
	dst = append(dst, '.')
	return append(dst, digits[at:]...)
}

// magnitude writes |n| in decimal at the end of buf and returns those
// digits and whether n is negative.
func magnitude(buf *[40]byte, n decimal128.Num) ([]byte, bool) {
	hi, lo := uint64(n.HighBits()), n.LowBits()
	neg := n.HighBits() < 0
	if neg {
		lo = ^lo + 1
		hi = ^hi
		if lo == 0 {
			hi++
		}
	}
	const chunk = 1e19
	i := len(buf)
	for hi != 0 {
		var r uint64
		hi, r = hi/chunk, hi%chunk
		lo, r = bits.Div64(r, lo, chunk)
		for range 19 {
			i--
			buf[i] = byte('0' + r%10)
			r /= 10
		}
	}
	for {
		i--
		buf[i] = byte('0' + lo%10)
		if lo /= 10; lo == 0 {
			break
		}
	}
	return buf[i:], neg
}
