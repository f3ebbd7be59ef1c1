package expr

import (
	"fmt"
	"strconv"
	"strings"
)

const msPerDay = 86400000

// daysFromCivil returns days since 1970-01-01 of a proleptic Gregorian date
// (Howard Hinnant's algorithm; no allocation, no time.Time).
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

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int64) int64 {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// addMonthsDays shifts a day number by months, clamping the day of month to
// the target month's length (MySQL: 2024-01-31 + 1 MONTH = 2024-02-29).
func addMonthsDays(days int64, months int64) int64 {
	if months == 0 {
		return days
	}
	y, m, d := civilFromDays(days)
	t := y*12 + (m - 1) + months
	ny, nm := floorDiv(t, 12), t-floorDiv(t, 12)*12+1
	if dm := daysIn(ny, nm); d > dm {
		d = dm
	}
	return daysFromCivil(ny, nm, d)
}

// addInterval adds months and millis to a timestamp in milliseconds.
func addInterval(ms int64, months int64, millis int64) int64 {
	if months != 0 {
		days := floorDiv(ms, msPerDay)
		ms = addMonthsDays(days, months)*msPerDay + (ms - days*msPerDay)
	}
	return ms + millis
}

// appendTimestamp formats 'YYYY-MM-DD HH:MM:SS.fff'.
func appendTimestamp(b []byte, ms int64) []byte {
	days := floorDiv(ms, msPerDay)
	b = appendDate(b, days)
	rem := ms - days*msPerDay
	b = append(b, ' ')
	b = append2(b, rem/3600000)
	b = append(b, ':')
	b = append2(b, rem/60000%60)
	b = append(b, ':')
	b = append2(b, rem/1000%60)
	b = append(b, '.')
	f := rem % 1000
	return append(b, byte('0'+f/100), byte('0'+f/10%10), byte('0'+f%10))
}

// appendDate formats 'YYYY-MM-DD'.
func appendDate(b []byte, days int64) []byte {
	y, m, d := civilFromDays(days)
	if y >= 0 && y < 10000 {
		b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
	} else {
		b = strconv.AppendInt(b, y, 10)
	}
	b = append(b, '-')
	b = append2(b, m)
	b = append(b, '-')
	return append2(b, d)
}

func append2(b []byte, v int64) []byte { return append(b, byte('0'+v/10%10), byte('0'+v%10)) }

// parseTimestamp parses 'YYYY-MM-DD[( |T)HH:MM[:SS[.fff...]]][Z|±HH:MM]'
// into milliseconds since the epoch (UTC; an offset is applied).
func parseTimestamp(s string) (int64, error) {
	s = strings.TrimSpace(s)
	p := &tsParser{s: s}
	y, m, d := p.num(4, 1), p.sepNum('-', 2), p.sepNum('-', 2)
	if p.err || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, fmt.Errorf("invalid timestamp %q", s)
	}
	ms := daysFromCivil(y, m, d) * msPerDay
	if p.i < len(s) && (s[p.i] == ' ' || s[p.i] == 'T') {
		p.i++
		hh, mi := p.num(2, 1), p.sepNum(':', 2)
		var ss int64
		if p.i < len(s) && s[p.i] == ':' {
			ss = p.sepNum(':', 2)
		}
		if p.err || hh > 23 || mi > 59 || ss > 59 {
			return 0, fmt.Errorf("invalid timestamp %q", s)
		}
		ms += hh*3600000 + mi*60000 + ss*1000 + p.fraction()
		ms -= p.offset()
	}
	if p.err || p.i != len(s) {
		return 0, fmt.Errorf("invalid timestamp %q", s)
	}
	return ms, nil
}

type tsParser struct {
	s   string
	i   int
	err bool
}

// num reads at least mind and at most maxd digits.
func (p *tsParser) num(maxd, mind int) int64 {
	var v int64
	start := p.i
	for p.i < len(p.s) && p.i-start < maxd && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		v = v*10 + int64(p.s[p.i]-'0')
		p.i++
	}
	if p.i-start < mind {
		p.err = true
	}
	return v
}

func (p *tsParser) sepNum(sep byte, maxd int) int64 {
	if p.i >= len(p.s) || p.s[p.i] != sep {
		p.err = true
		return 0
	}
	p.i++
	return p.num(maxd, 1)
}

// fraction reads '.ddd...' as milliseconds (truncating beyond 3 digits).
func (p *tsParser) fraction() int64 {
	if p.i >= len(p.s) || p.s[p.i] != '.' {
		return 0
	}
	p.i++
	var ms, scale int64 = 0, 100
	start := p.i
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		ms += int64(p.s[p.i]-'0') * scale
		scale /= 10
		p.i++
	}
	if p.i == start {
		p.err = true
	}
	return ms
}

// offset reads 'Z' or '±HH:MM' and returns it in milliseconds.
func (p *tsParser) offset() int64 {
	if p.i >= len(p.s) {
		return 0
	}
	switch p.s[p.i] {
	case 'Z', 'z':
		p.i++
		return 0
	case '+', '-':
		sign := int64(1)
		if p.s[p.i] == '-' {
			sign = -1
		}
		p.i++
		hh := p.num(2, 2)
		var mi int64
		if p.i < len(p.s) && p.s[p.i] == ':' {
			mi = p.sepNum(':', 2)
		} else if p.i < len(p.s) {
			mi = p.num(2, 2)
		}
		return sign * (hh*3600000 + mi*60000)
	}
	return 0
}

// parseDate parses a date, accepting and dropping a time part.
func parseDate(s string) (int64, error) {
	ms, err := parseTimestamp(s)
	if err != nil {
		return 0, fmt.Errorf("invalid date %q", strings.TrimSpace(s))
	}
	return floorDiv(ms, msPerDay), nil
}
