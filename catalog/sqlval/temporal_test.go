package sqlval

import (
	"testing"
	"time"
)

func TestParseTimestamp(t *testing.T) {
	ms := func(s string) int64 {
		tm, err := time.Parse("2006-01-02 15:04:05.000 -07:00", s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.UnixMilli()
	}
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"2024-01-01", ms("2024-01-01 00:00:00.000 +00:00")},
		{" 2024-01-01\t", ms("2024-01-01 00:00:00.000 +00:00")},
		{"2024-1-5", ms("2024-01-05 00:00:00.000 +00:00")},
		{"24-01-01", ms("0024-01-01 00:00:00.000 +00:00")},
		{"0000-01-01", ms("0000-01-01 00:00:00.000 +00:00")},
		{"9999-12-31 23:59:59.999", ms("9999-12-31 23:59:59.999 +00:00")},
		{"1969-12-31 23:59:59.999", -1},
		{"2024-01-01 10:00:00.123", ms("2024-01-01 10:00:00.123 +00:00")},
		{"2024-01-01T10:00:00.5Z", ms("2024-01-01 10:00:00.500 +00:00")},
		{"2024-01-01t10:00:00z", ms("2024-01-01 10:00:00.000 +00:00")},
		{"2024-01-01 10:00:00.123456789", ms("2024-01-01 10:00:00.123 +00:00")},
		{"2024-01-01 10:00:00.1239", ms("2024-01-01 10:00:00.123 +00:00")},
		{"2024-01-01 10:00", ms("2024-01-01 10:00:00.000 +00:00")},
		{"2024-01-01 1:2:3", ms("2024-01-01 01:02:03.000 +00:00")},
		{"2024-01-01T10:00:00+02:00", ms("2024-01-01 10:00:00.000 +02:00")},
		{"2024-01-01T10:00:00-0530", ms("2024-01-01 10:00:00.000 -05:30")},
		{"2024-01-01T10:00:00+02", ms("2024-01-01 10:00:00.000 +02:00")},
		{"2024-01-01T10:00:00+02:3", ms("2024-01-01 10:00:00.000 +02:03")},
		{"2024-01-01T10:00+01:00", ms("2024-01-01 10:00:00.000 +01:00")},
		{"2024-01-01T00:30:00+01:00", ms("2023-12-31 23:30:00.000 +00:00")},
		{"2024-02-29 00:00:00", ms("2024-02-29 00:00:00.000 +00:00")},
		{"2016-12-31 23:59:60", ms("2017-01-01 00:00:00.000 +00:00")},
		{"1900-03-01", ms("1900-03-01 00:00:00.000 +00:00")},
	} {
		got, ok := ParseTimestamp(tc.in)
		if !ok || got != tc.want {
			t.Errorf("ParseTimestamp(%q) = %d, %v; want %d", tc.in, got, ok, tc.want)
		}
		if gotB, okB := ParseTimestamp([]byte(tc.in)); gotB != got || okB != ok {
			t.Errorf("ParseTimestamp([]byte %q) = %d, %v; string form gave %d, %v", tc.in, gotB, okB, got, ok)
		}
	}
}

func TestParseTimestampRejects(t *testing.T) {
	for _, in := range []string{
		"", " ", "yesterday", "2024", "2024-01", "2024-01-", "12345-01-01", "-2024-01-01",
		"2024-13-01", "2024-00-01", "2024-01-00", "2024-02-30", "2023-02-29", "1900-02-29", "2024-04-31",
		"2024-01-01T", "2024-01-01X10:00:00", "2024-01-01Z", "2024-01-01+02:00",
		"2024-01-01 10", "2024-01-01 10:", "2024-01-01 24:00:00", "2024-01-01 10:60:00", "2024-01-01 10:00:61",
		"2024-01-01 10:00:00.", "2024-01-01 10:00:00.x", "2024-01-01 123:00:00", "2024-01-01 10:00:00:00",
		"2024-01-01 10:00:00+", "2024-01-01 10:00:00+2", "2024-01-01 10:00:00+24:00", "2024-01-01 10:00:00+02:60",
		"2024-01-01 10:00:00+02:", "2024-01-01 10:00:00+023", "2024-01-01 10:00:00+02:000", "2024-01-01 10:00:00 Z",
		"2024-01-01 10:00:00ZZ", "2024-01-01 10:00.5", "2024-01-01 10:00:00,5", "2024/01/01",
	} {
		if v, ok := ParseTimestamp(in); ok {
			t.Errorf("ParseTimestamp(%q) = %d, want rejection", in, v)
		}
		if _, ok := ParseTimestamp([]byte(in)); ok {
			t.Errorf("ParseTimestamp([]byte %q) accepted", in)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int32
		ok   bool
	}{
		{"1970-01-01", 0, true},
		{"1969-12-31", -1, true},
		{"2024-02-29", 19782, true},
		{"2024-02-29 23:59:59.999", 19782, true},
		{"2024-03-01T01:00:00+02:00", 19782, true},
		{"2024-02-30", 0, false},
		{"x", 0, false},
	} {
		got, ok := ParseDate(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseDate(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestAppendTimestamp(t *testing.T) {
	for _, tc := range []struct {
		ms                      int64
		millis, nonZero, duckdb string
	}{
		{0, "1970-01-01 00:00:00.000", "1970-01-01 00:00:00", "1970-01-01 00:00:00"},
		{-1, "1969-12-31 23:59:59.999", "1969-12-31 23:59:59.999", "1969-12-31 23:59:59.999"},
		{1704103200500, "2024-01-01 10:00:00.500", "2024-01-01 10:00:00.500", "2024-01-01 10:00:00.5"},
		{1704103200120, "2024-01-01 10:00:00.120", "2024-01-01 10:00:00.120", "2024-01-01 10:00:00.12"},
		{1704103200001, "2024-01-01 10:00:00.001", "2024-01-01 10:00:00.001", "2024-01-01 10:00:00.001"},
		{253402300799999, "9999-12-31 23:59:59.999", "9999-12-31 23:59:59.999", "9999-12-31 23:59:59.999"},
	} {
		for _, c := range []struct {
			f    Frac
			want string
		}{{FracMillis, tc.millis}, {FracNonZero, tc.nonZero}, {FracTrimmed, tc.duckdb}} {
			if got := string(AppendTimestamp(nil, tc.ms, c.f)); got != c.want {
				t.Errorf("AppendTimestamp(%d, %d) = %q, want %q", tc.ms, c.f, got, c.want)
			}
		}
	}
}

func TestAppendDateMatchesTime(t *testing.T) {
	for days := int64(-800_000); days <= 3_000_000; days += 997 {
		want := time.Unix(days*86400, 0).UTC().Format("2006-01-02")
		if got := string(AppendDate(nil, days)); got != want {
			t.Fatalf("AppendDate(%d) = %q, want %q", days, got, want)
		}
	}
}

func TestCivil(t *testing.T) {
	for days := int64(-1_000_000); days <= 1_000_000; days += 7 {
		y, m, d := CivilFromDays(days)
		if m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m) || DaysFromCivil(y, m, d) != days {
			t.Fatalf("CivilFromDays(%d) = %d-%d-%d, round trip %d", days, y, m, d, DaysFromCivil(y, m, d))
		}
		tm := time.Unix(days*86400, 0).UTC()
		if int64(tm.Year()) != y || int64(tm.Month()) != m || int64(tm.Day()) != d {
			t.Fatalf("CivilFromDays(%d) = %d-%d-%d, time says %s", days, y, m, d, tm)
		}
	}
}

func TestAddMonths(t *testing.T) {
	day := func(s string) int64 { d, _ := ParseDate(s); return int64(d) }
	for _, tc := range []struct {
		from   string
		months int64
		want   string
	}{
		{"2024-01-31", 1, "2024-02-29"},
		{"2023-01-31", 1, "2023-02-28"},
		{"2024-03-31", -1, "2024-02-29"},
		{"2024-05-31", 1, "2024-06-30"},
		{"2024-01-15", 0, "2024-01-15"},
		{"2024-01-15", 14, "2025-03-15"},
		{"2024-01-15", -13, "2022-12-15"},
		{"2000-02-29", 12, "2001-02-28"},
		{"1970-01-01", -1, "1969-12-01"},
	} {
		got := string(AppendDate(nil, AddMonths(day(tc.from), tc.months)))
		if got != tc.want {
			t.Errorf("AddMonths(%s, %d) = %s, want %s", tc.from, tc.months, got, tc.want)
		}
	}
	ts, _ := ParseTimestamp("2024-01-31 10:30:00")
	if got := string(AppendTimestamp(nil, AddInterval(ts, 1, 90_000), FracNonZero)); got != "2024-02-29 10:31:30" {
		t.Errorf("AddInterval = %s", got)
	}
	ts, _ = ParseTimestamp("1969-12-31 23:00:00")
	if got := string(AppendTimestamp(nil, AddInterval(ts, 2, 0), FracNonZero)); got != "1970-02-28 23:00:00" {
		t.Errorf("AddInterval before the epoch = %s", got)
	}
}

func TestFloorDiv(t *testing.T) {
	for _, tc := range [][3]int64{{7, 2, 3}, {-7, 2, -4}, {-8, 2, -4}, {7, -2, -4}, {-7, -2, 3}, {0, 5, 0}} {
		if got := FloorDiv(tc[0], tc[1]); got != tc[2] {
			t.Errorf("FloorDiv(%d, %d) = %d, want %d", tc[0], tc[1], got, tc[2])
		}
	}
}
