package sqlval

import "strconv"

// Frac says how AppendTimestamp writes the milliseconds.
type Frac uint8

const (
	// FracMillis always writes three digits: 2024-01-01 10:00:00.000.
	FracMillis Frac = iota
	// FracNonZero writes three digits unless the value is a whole second:
	// 2024-01-01 10:00:00, 2024-01-01 10:00:00.500.
	FracNonZero
	// FracTrimmed writes the digits without trailing zeros and nothing for a
	// whole second, as DuckDB does: 2024-01-01 10:00:00.5.
	FracTrimmed
)

// ParseDate parses a date (or a timestamp, whose UTC day it keeps) into days
// since 1970-01-01.
func ParseDate[T Text](s T) (int32, bool) {
	ms, ok := ParseTimestamp(s)
	if !ok {
		return 0, false
	}
	return int32(FloorDiv(ms, MillisPerDay)), true
}

// ParseTimestamp parses 'YYYY-MM-DD[( |T)HH:MM[:SS[.fff]]][Z|±HH[:MM]]' into
// milliseconds since the epoch in UTC (see the package comment).
func ParseTimestamp[T Text](s T) (int64, bool) {
	s = trim(s)
	days, i, ok := parseDay(s)
	if !ok {
		return 0, false
	}
	ms := days * MillisPerDay
	if i == len(s) {
		return ms, true
	}
	if c := s[i]; c != ' ' && c != 'T' && c != 't' {
		return 0, false
	}
	clock, i, ok := parseClock(s, i+1)
	if !ok {
		return 0, false
	}
	off, ok := parseZone(s[i:])
	if !ok {
		return 0, false
	}
	return ms + clock - off, true
}

// parseDay reads year-month-day at the start of s: the day number and the
// index after it.
func parseDay[T Text](s T) (int64, int, bool) {
	y, m, d, k, ok := canonicalDay(s)
	if !ok {
		var i, j int
		if y, i = digits(s, 0, 4); i == 0 || i == len(s) || s[i] != '-' {
			return 0, 0, false
		}
		if m, j = digits(s, i+1, 2); j == i+1 || j == len(s) || s[j] != '-' {
			return 0, 0, false
		}
		if d, k = digits(s, j+1, 2); k == j+1 {
			return 0, 0, false
		}
	}
	if m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m) {
		return 0, 0, false
	}
	return DaysFromCivil(y, m, d), k, true
}

// canonicalDay reads YYYY-MM-DD at fixed positions, the common spelling;
// it reads what the general path would read when it succeeds.
func canonicalDay[T Text](s T) (y, m, d int64, k int, ok bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, 0, false
	}
	y1, ok1 := two(s[0], s[1])
	y2, ok2 := two(s[2], s[3])
	m, ok3 := two(s[5], s[6])
	d, ok4 := two(s[8], s[9])
	return y1*100 + y2, m, d, 10, ok1 && ok2 && ok3 && ok4
}

// two reads two decimal digits.
func two(a, b byte) (int64, bool) {
	a, b = a-'0', b-'0'
	return int64(a)*10 + int64(b), a <= 9 && b <= 9
}

// parseClock reads HH:MM[:SS[.fff]] from s[i:]: milliseconds since midnight
// and the index after the clock.
func parseClock[T Text](s T, i int) (int64, int, bool) {
	if len(s) >= i+8 && s[i+2] == ':' && s[i+5] == ':' {
		// HH:MM:SS at fixed positions, the common spelling.
		hh, ok1 := two(s[i], s[i+1])
		mi, ok2 := two(s[i+3], s[i+4])
		ss, ok3 := two(s[i+6], s[i+7])
		if ok1 && ok2 && ok3 && hh <= 23 && mi <= 59 && ss <= 60 {
			return fraction(s, i+8, hh*3_600_000+mi*60_000+ss*1000)
		}
	}
	hh, j := digits(s, i, 2)
	if j == i || j == len(s) || s[j] != ':' {
		return 0, 0, false
	}
	mi, k := digits(s, j+1, 2)
	if k == j+1 || hh > 23 || mi > 59 {
		return 0, 0, false
	}
	ms := hh*3_600_000 + mi*60_000
	if k == len(s) || s[k] != ':' {
		return ms, k, true
	}
	ss, l := digits(s, k+1, 2)
	if l == k+1 || ss > 60 {
		return 0, 0, false
	}
	return fraction(s, l, ms+ss*1000)
}

// fraction reads an optional .fff... at s[i:] into ms (digits beyond the
// millisecond are truncated).
func fraction[T Text](s T, i int, ms int64) (int64, int, bool) {
	if i == len(s) || s[i] != '.' {
		return ms, i, true
	}
	i++
	start, scale := i, int64(100)
	for ; i < len(s) && s[i]-'0' <= 9; i++ {
		ms += int64(s[i]-'0') * scale
		scale /= 10
	}
	return ms, i, i > start
}

// parseZone parses "", Z, ±HH, ±HHMM or ±HH:M[M] into milliseconds east of UTC.
func parseZone[T Text](z T) (int64, bool) {
	if len(z) == 0 {
		return 0, true
	}
	if len(z) == 1 && (z[0] == 'Z' || z[0] == 'z') {
		return 0, true
	}
	if z[0] != '+' && z[0] != '-' {
		return 0, false
	}
	hh, i := digits(z, 1, 2)
	if i != 3 {
		return 0, false
	}
	var mi int64
	switch {
	case i == len(z):
	case z[i] == ':':
		var j int
		if mi, j = digits(z, i+1, 2); j == i+1 || j != len(z) {
			return 0, false
		}
	default:
		var j int
		if mi, j = digits(z, i, 2); j != i+2 || j != len(z) {
			return 0, false
		}
	}
	if hh > 23 || mi > 59 {
		return 0, false
	}
	off := hh*3_600_000 + mi*60_000
	if z[0] == '-' {
		off = -off
	}
	return off, true
}

// digits reads at most n decimal digits from s[i:]: their value and the
// index after them (i when there is none).
func digits[T Text](s T, i, n int) (int64, int) {
	var v int64
	end := min(len(s), i+n)
	for ; i < end; i++ {
		d := s[i] - '0'
		if d > 9 {
			break
		}
		v = v*10 + int64(d)
	}
	return v, i
}

// AppendDate appends days since the epoch as YYYY-MM-DD (a year outside
// 0-9999 keeps its sign and all its digits).
func AppendDate(dst []byte, days int64) []byte {
	y, m, d := CivilFromDays(days)
	if y < 0 {
		dst = append(dst, '-')
		y = -y
	}
	if y < 10000 {
		dst = append(dst, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
	} else {
		dst = strconv.AppendInt(dst, y, 10)
	}
	dst = append(dst, '-')
	dst = append2(dst, m)
	dst = append(dst, '-')
	return append2(dst, d)
}

// AppendTimestamp appends milliseconds since the epoch as
// YYYY-MM-DD HH:MM:SS with the fraction written as f says.
func AppendTimestamp(dst []byte, ms int64, f Frac) []byte {
	days := FloorDiv(ms, MillisPerDay)
	rem := ms - days*MillisPerDay
	dst = AppendDate(dst, days)
	dst = append(dst, ' ')
	dst = append2(dst, rem/3_600_000)
	dst = append(dst, ':')
	dst = append2(dst, rem/60_000%60)
	dst = append(dst, ':')
	dst = append2(dst, rem/1000%60)
	frac := rem % 1000
	if frac == 0 && f != FracMillis {
		return dst
	}
	dst = append(dst, '.', byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
	if f == FracTrimmed {
		for dst[len(dst)-1] == '0' {
			dst = dst[:len(dst)-1]
		}
	}
	return dst
}

func append2(dst []byte, v int64) []byte {
	return append(dst, byte('0'+v/10%10), byte('0'+v%10))
}
