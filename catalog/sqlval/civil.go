package sqlval

// MillisPerDay is the length of a TIMESTAMP day (there are no leap seconds).
const MillisPerDay = 86_400_000

// FloorDiv divides rounding toward negative infinity, so that a timestamp
// before the epoch falls on the day that contains it.
func FloorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// DaysFromCivil returns the days since 1970-01-01 of the proleptic Gregorian
// date y-m-d (Howard Hinnant's algorithm). m is 1-12; d is not checked.
func DaysFromCivil(y, m, d int64) int64 {
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

// CivilFromDays is the inverse of DaysFromCivil.
func CivilFromDays(days int64) (y, m, d int64) {
	z := days + 719468
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
	return y, m, d
}

// IsLeapYear reports whether y has a February 29.
func IsLeapYear(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// DaysInMonth returns the length of month m (1-12) of year y.
func DaysInMonth(y, m int64) int64 {
	switch m {
	case 2:
		if IsLeapYear(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// AddMonths shifts a day number by months, clamping the day of month to the
// target month's length (2024-01-31 + 1 month = 2024-02-29, as MySQL and
// DuckDB do).
func AddMonths(days, months int64) int64 {
	if months == 0 {
		return days
	}
	y, m, d := CivilFromDays(days)
	t := y*12 + (m - 1) + months
	ny := FloorDiv(t, 12)
	nm := t - ny*12 + 1
	return DaysFromCivil(ny, nm, min(d, DaysInMonth(ny, nm)))
}

// AddInterval adds an interval of months and milliseconds to a timestamp in
// milliseconds: the months first (keeping the time of day), then the rest.
func AddInterval(ms, months, millis int64) int64 {
	if months != 0 {
		days := FloorDiv(ms, MillisPerDay)
		ms = AddMonths(days, months)*MillisPerDay + (ms - days*MillisPerDay)
	}
	return ms + millis
}
