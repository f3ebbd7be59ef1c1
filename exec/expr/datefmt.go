package expr

import (
	"strconv"

	"github.com/sqlstream/sqlstream/catalog/sqlval"
)

// dateFormat is a DATE_FORMAT pattern compiled once into segments: literal
// bytes or a MySQL % specifier.
type dateFormat struct {
	segs []dfSeg
}

type dfSeg struct {
	lit  string
	spec byte // 0 for a literal
}

var (
	dayNames   = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	monthNames = [12]string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
)

// compileDateFormat parses MySQL specifiers (%Y %y %m %c %d %e %D %H %k %h
// %I %l %i %s %S %f %p %W %a %w %M %b %j %T %r %%); an unknown specifier
// %x prints x, as MySQL does.
func compileDateFormat(f string) *dateFormat {
	df := &dateFormat{}
	lit := []byte{}
	flush := func() {
		if len(lit) > 0 {
			df.segs = append(df.segs, dfSeg{lit: string(lit)})
			lit = lit[:0]
		}
	}
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 == len(f) {
			lit = append(lit, f[i])
			continue
		}
		i++
		switch c := f[i]; c {
		case 'Y', 'y', 'm', 'c', 'd', 'e', 'D', 'H', 'k', 'h', 'I', 'l', 'i', 's', 'S', 'f',
			'p', 'W', 'a', 'w', 'M', 'b', 'j', 'T', 'r':
			flush()
			df.segs = append(df.segs, dfSeg{spec: c})
		default:
			lit = append(lit, c)
		}
	}
	flush()
	return df
}

// append formats the timestamp ms into b.
func (df *dateFormat) append(b []byte, ms int64) []byte {
	days := sqlval.FloorDiv(ms, msPerDay)
	rem := ms - days*msPerDay
	y, m, d := sqlval.CivilFromDays(days)
	hh, mi, ss, frac := rem/3600000, rem/60000%60, rem/1000%60, rem%1000
	h12 := hh % 12
	if h12 == 0 {
		h12 = 12
	}
	wd := (days%7 + 11) % 7 // 1970-01-01 was a Thursday (4)
	for _, s := range df.segs {
		switch s.spec {
		case 0:
			b = append(b, s.lit...)
		case 'Y':
			b = appendPad(b, y, 4)
		case 'y':
			b = append2(b, (y%100+100)%100)
		case 'm':
			b = append2(b, m)
		case 'c':
			b = strconv.AppendInt(b, m, 10)
		case 'd':
			b = append2(b, d)
		case 'e':
			b = strconv.AppendInt(b, d, 10)
		case 'D':
			b = append(strconv.AppendInt(b, d, 10), ordinal(d)...)
		case 'H':
			b = append2(b, hh)
		case 'k':
			b = strconv.AppendInt(b, hh, 10)
		case 'h', 'I':
			b = append2(b, h12)
		case 'l':
			b = strconv.AppendInt(b, h12, 10)
		case 'i':
			b = append2(b, mi)
		case 's', 'S':
			b = append2(b, ss)
		case 'f':
			b = appendPad(b, frac*1000, 6)
		case 'p':
			b = append(b, ampm(hh)...)
		case 'W':
			b = append(b, dayNames[wd]...)
		case 'a':
			b = append(b, dayNames[wd][:3]...)
		case 'w':
			b = strconv.AppendInt(b, wd, 10)
		case 'M':
			b = append(b, monthNames[m-1]...)
		case 'b':
			b = append(b, monthNames[m-1][:3]...)
		case 'j':
			b = appendPad(b, days-sqlval.DaysFromCivil(y, 1, 1)+1, 3)
		case 'T':
			b = appendHMS(b, hh, mi, ss)
		case 'r':
			b = append(append(appendHMS(b, h12, mi, ss), ' '), ampm(hh)...)
		}
	}
	return b
}

func ampm(hh int64) string {
	if hh < 12 {
		return "AM"
	}
	return "PM"
}

func ordinal(d int64) string {
	if d/10 == 1 {
		return "th"
	}
	switch d % 10 {
	case 1:
		return "st"
	case 2:
		return "nd"
	case 3:
		return "rd"
	}
	return "th"
}

// appendPad appends v zero-padded to width digits.
func appendPad(b []byte, v int64, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], v, 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

func appendHMS(b []byte, h, m, s int64) []byte {
	b = append(append2(b, h), ':')
	b = append(append2(b, m), ':')
	return append2(b, s)
}

func append2(b []byte, v int64) []byte { return append(b, byte('0'+v/10%10), byte('0'+v%10)) }
