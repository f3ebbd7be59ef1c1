package sqlval

import (
	"math"
	"strconv"
	"unsafe"
)

// Text is what the parsers read: a string or a byte slice, in place.
type Text interface{ ~string | ~[]byte }

// ParseInt parses an optionally signed decimal integer that fits in a signed
// integer of bits bits (1-64).
func ParseInt[T Text](s T, bits int) (int64, bool) {
	s = trim(s)
	i, neg := 0, false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg, i = s[0] == '-', 1
	}
	if i == len(s) {
		return 0, false
	}
	var u uint64
	for ; i < len(s); i++ {
		d := s[i] - '0'
		if d > 9 || u > (math.MaxUint64-9)/10 {
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

// ParseFloat parses a DOUBLE as strconv.ParseFloat does (including inf and
// nan spellings); a value out of range is an error.
func ParseFloat[T Text](s T) (float64, bool) {
	f, err := strconv.ParseFloat(view(trim(s)), 64)
	return f, err == nil
}

// ParseBool parses true, t, 1, yes, y, on or false, f, 0, no, n, off in any
// case.
func ParseBool[T Text](s T) (bool, bool) {
	s = trim(s)
	var buf [5]byte
	if len(s) == 0 || len(s) > len(buf) {
		return false, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	switch string(buf[:len(s)]) {
	case "true", "t", "1", "yes", "y", "on":
		return true, true
	case "false", "f", "0", "no", "n", "off":
		return false, true
	}
	return false, false
}

// trim drops ASCII white space at both ends.
func trim[T Text](s T) T {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

func isSpace(c byte) bool { return c == ' ' || c-'\t' <= '\r'-'\t' }

// view returns s as a string without copying. The string aliases s: use it
// only for the duration of a call that does not keep it.
func view[T Text](s T) string { return *(*string)(unsafe.Pointer(&s)) }
