package format

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// Text-to-value parsers shared by the JSON and CSV decoders. They work on
// byte slices without allocating; each returns ok=false (or an error with a
// reason) instead of panicking.

func bstr(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// parseInt parses an optionally signed decimal integer that fits in bits.
func parseInt(b []byte, bits int) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	neg := false
	i := 0
	if b[0] == '-' || b[0] == '+' {
		neg = b[0] == '-'
		i = 1
		if len(b) == 1 {
			return 0, false
		}
	}
	var u uint64
	for ; i < len(b); i++ {
		d := b[i] - '0'
		if d > 9 {
			return 0, false
		}
		if u > (math.MaxUint64-9)/10 {
			return 0, false
		}
		u = u*10 + uint64(d)
	}
	limit := uint64(1) << (bits - 1)
	if neg {
		if u > limit {
			return 0, false
		}
		return -int64(u), true
	}
	if u >= limit {
		return 0, false
	}
	return int64(u), true
}

func parseFloat(b []byte) (float64, bool) {
	f, err := strconv.ParseFloat(bstr(b), 64)
	return f, err == nil
}

func parseBool(b []byte) (bool, bool) {
	switch bstr(b) {
	case "true", "TRUE", "True", "1", "t":
		return true, true
	case "false", "FALSE", "False", "0", "f":
		return false, true
	}
	return false, false
}

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian
// date (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

var monthDays = [13]int64{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func digits(b []byte, n int) (int64, bool) {
	if len(b) < n {
		return 0, false
	}
	var v int64
	for i := 0; i < n; i++ {
		d := b[i] - '0'
		if d > 9 {
			return 0, false
		}
		v = v*10 + int64(d)
	}
	return v, true
}

// parseDateDays parses YYYY-MM-DD at the start of b and returns the days
// since the epoch and the bytes consumed.
func parseDateDays(b []byte) (int64, int, bool) {
	y, ok1 := digits(b, 4)
	if !ok1 || len(b) < 10 || b[4] != '-' || b[7] != '-' {
		return 0, 0, false
	}
	m, ok2 := digits(b[5:], 2)
	d, ok3 := digits(b[8:], 2)
	if !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > monthDays[m] {
		return 0, 0, false
	}
	if m == 2 && d == 29 && !(y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		return 0, 0, false
	}
	return daysFromCivil(y, m, d), 10, true
}

// parseDate parses exactly 'YYYY-MM-DD'.
func parseDate(b []byte) (int32, bool) {
	days, n, ok := parseDateDays(b)
	if !ok || n != len(b) {
		return 0, false
	}
	return int32(days), true
}

// parseTimestamp parses 'YYYY-MM-DD[( |T)HH:MM:SS[.f...]][Z|±HH[:]MM]' into
// epoch milliseconds in UTC. Digits beyond milliseconds are truncated; a zone
// offset is subtracted so the result is UTC.
func parseTimestamp(b []byte) (int64, bool) {
	days, i, ok := parseDateDays(b)
	if !ok {
		return 0, false
	}
	ms := days * 86400000
	if i == len(b) {
		return ms, true
	}
	if b[i] != ' ' && b[i] != 'T' && b[i] != 't' {
		return 0, false
	}
	i++
	r := b[i:]
	hh, ok1 := digits(r, 2)
	if !ok1 || len(r) < 8 || r[2] != ':' || r[5] != ':' {
		return 0, false
	}
	mi, ok2 := digits(r[3:], 2)
	ss, ok3 := digits(r[6:], 2)
	if !ok2 || !ok3 || hh > 23 || mi > 59 || ss > 60 {
		return 0, false
	}
	ms += hh*3600000 + mi*60000 + ss*1000
	i += 8
	if i < len(b) && b[i] == '.' {
		i++
		start, scale := i, int64(100)
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			ms += int64(b[i]-'0') * scale
			scale /= 10
			i++
		}
		if i == start {
			return 0, false
		}
	}
	off, ok := parseZone(b[i:])
	if !ok {
		return 0, false
	}
	return ms - off, true
}

// parseZone parses "", "Z" or ±HH:MM / ±HHMM / ±HH into milliseconds.
func parseZone(z []byte) (int64, bool) {
	if len(z) == 0 {
		return 0, true
	}
	if len(z) == 1 && (z[0] == 'Z' || z[0] == 'z') {
		return 0, true
	}
	if z[0] != '+' && z[0] != '-' {
		return 0, false
	}
	sign := int64(1)
	if z[0] == '-' {
		sign = -1
	}
	z = z[1:]
	h, ok := digits(z, 2)
	if !ok {
		return 0, false
	}
	var m int64
	switch {
	case len(z) == 2:
	case len(z) == 5 && z[2] == ':':
		m, ok = digits(z[3:], 2)
	case len(z) == 4:
		m, ok = digits(z[2:], 2)
	default:
		ok = false
	}
	if !ok || h > 23 || m > 59 {
		return 0, false
	}
	return sign * (h*3600000 + m*60000), true
}

var (
	errNotNumber = errors.New("not a number")
	ten          = decimal128.FromU64(10)
)

// parseDecimal parses a decimal number ([-+]digits[.digits][e[+-]digits])
// exactly into a DECIMAL(prec, scale) value, rounding half away from zero
// to the scale. It fails if the value needs more than prec digits.
func parseDecimal(b []byte, prec, scale int32) (decimal128.Num, error) {
	i, neg := 0, false
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	intStart := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	intDigits := b[intStart:i]
	var fracDigits []byte
	if i < len(b) && b[i] == '.' {
		i++
		fs := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		fracDigits = b[fs:i]
	}
	if len(intDigits)+len(fracDigits) == 0 {
		return decimal128.Num{}, errNotNumber
	}
	exp := int64(0)
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		e, ok := parseInt(b[i+1:], 32)
		if !ok {
			return decimal128.Num{}, errNotNumber
		}
		exp, i = e, len(b)
	}
	if i != len(b) {
		return decimal128.Num{}, errNotNumber
	}
	// value = digits(int ++ frac) * 10^(exp - len(frac)); we want value * 10^scale.
	shift := exp - int64(len(fracDigits)) + int64(scale)
	v, ok := accumulate(intDigits, fracDigits, shift, prec)
	if !ok {
		return decimal128.Num{}, fmt.Errorf("overflows DECIMAL(%d,%d)", prec, scale)
	}
	if neg {
		v = v.Negate()
	}
	return v, nil
}

// accumulate computes round(D * 10^shift) where D is the digit string
// a ++ b, and checks it fits in prec digits.
func accumulate(a, b []byte, shift int64, prec int32) (decimal128.Num, bool) {
	total := int64(len(a) + len(b))
	keep := total
	if shift < 0 {
		keep = total + shift // digits before the rounding point
	}
	var v decimal128.Num
	if keep < 0 {
		return v, true // every digit is below half a unit of the scale
	}
	nd := 0 // significant digits accumulated
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
		nd++
		if nd > int(prec) {
			return v, false
		}
		v = v.Mul(ten).Add(decimal128.FromU64(uint64(d)))
	}
	if roundUp {
		v = v.Add(decimal128.FromU64(1))
	}
	if shift > 0 && v.Sign() != 0 {
		if int64(nd)+shift > int64(prec) {
			return v, false
		}
		v = v.Mul(decimal128.GetScaleMultiplier(int(shift)))
	}
	return v, v.FitsInPrecision(prec)
}
