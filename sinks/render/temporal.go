package render

import (
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sqlstream/sqlstream/catalog/sqlval"
)

// AppendDate renders days since the epoch as YYYY-MM-DD.
func AppendDate(dst []byte, days int64) []byte { return sqlval.AppendDate(dst, days) }

// AppendTimestampMillis renders milliseconds since the epoch (a catalog
// TIMESTAMP) as DuckDB does: the fraction without trailing zeros.
func AppendTimestampMillis(dst []byte, ms int64) []byte {
	return sqlval.AppendTimestamp(dst, ms, sqlval.FracTrimmed)
}

// AppendTimestampNanos renders secs since the epoch plus nanos (0 <= nanos
// < 1e9) as YYYY-MM-DD HH:MM:SS[.ffffff], the fraction only when non-zero
// and without trailing zeros.
func AppendTimestampNanos(dst []byte, secs, nanos int64) []byte {
	days, rem := floorDiv(secs, 86400)
	dst = AppendDate(dst, days)
	dst = append(dst, ' ')
	return appendClock(dst, rem*int64(time.Second)+nanos)
}

// appendClock renders a time of day in nanoseconds as HH:MM:SS[.frac].
func appendClock(dst []byte, nanos int64) []byte {
	h := nanos / int64(time.Hour)
	m := nanos / int64(time.Minute) % 60
	s := nanos / int64(time.Second) % 60
	dst = append2(dst, h)
	dst = append(dst, ':')
	dst = append2(dst, m)
	dst = append(dst, ':')
	dst = append2(dst, s)
	return appendFraction(dst, nanos%int64(time.Second))
}

// appendFraction renders nanoseconds as .ffffff (microseconds, or
// nanoseconds when finer) without trailing zeros; nothing when zero.
func appendFraction(dst []byte, ns int64) []byte {
	if ns == 0 {
		return dst
	}
	width := 9
	if ns%1000 == 0 {
		ns /= 1000
		width = 6
	}
	buf := strconv.AppendInt(nil, ns, 10)
	dst = append(dst, '.')
	for range width - len(buf) {
		dst = append(dst, '0')
	}
	end := len(buf)
	for end > 0 && buf[end-1] == '0' {
		end--
	}
	return append(dst, buf[:end]...)
}

func append2(dst []byte, v int64) []byte {
	if v < 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendInt(dst, v, 10)
}

// AppendInterval renders an interval as DuckDB does: "1 year 2 months
// 3 days 04:05:06.5", omitting zero parts; "00:00:00" when all are zero.
func AppendInterval(dst []byte, v arrow.MonthDayNanoInterval) []byte {
	start := len(dst)
	years, months := v.Months/12, v.Months%12
	dst = appendPart(dst, start, int64(years), "year")
	dst = appendPart(dst, start, int64(months), "month")
	dst = appendPart(dst, start, int64(v.Days), "day")
	if v.Nanoseconds == 0 && len(dst) > start {
		return dst
	}
	if len(dst) > start {
		dst = append(dst, ' ')
	}
	ns := v.Nanoseconds
	if ns < 0 {
		dst = append(dst, '-')
		ns = -ns
	}
	// Hours are not folded into days, as in DuckDB (36:00:00).
	return appendClock(dst, ns)
}

func appendPart(dst []byte, start int, n int64, unit string) []byte {
	if n == 0 {
		return dst
	}
	if len(dst) > start {
		dst = append(dst, ' ')
	}
	dst = strconv.AppendInt(dst, n, 10)
	dst = append(dst, ' ')
	dst = append(dst, unit...)
	if n != 1 && n != -1 {
		dst = append(dst, 's')
	}
	return dst
}
