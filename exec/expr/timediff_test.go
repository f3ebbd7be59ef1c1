package expr

import (
	"testing"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// TestTimeDiff checks TIMESTAMPDIFF and DATEDIFF against hand-checked
// values (MySQL semantics; the row timestamps are 2024-01-31 13:45:06.789,
// 2023-02-28 00:00:00, NULL, 1969-12-31 23:59:59.999, 2024-02-29 12:00:00).
// The calendar units are where MySQL and DuckDB's date_diff differ, so
// they are pinned here as well as in the differential test.
func TestTimeDiff(t *testing.T) {
	ts3 := catalog.TimestampType
	at := func(s string) scalar.Expr { return lit(ts(s), ts3) }
	diff := func(unit string, a, b scalar.Expr) scalar.Expr {
		return call(scalar.FuncTimestampDiff, bigT, str(unit), a, b)
	}
	day := func(s string) scalar.Expr {
		d, err := parseDate(s)
		if err != nil {
			panic(err)
		}
		return lit(int32(d), catalog.DateType)
	}
	runCases(t, []exprCase{
		// 2024-01-31 -> 2024-02-29 is not a whole month; a year of months
		// from 2023-02-28 to 2024-02-29 is.
		{"month-short", diff("MONTH", tTS, at("2024-02-29 13:45:06.789")), "0 | 12 | NULL | 649 | 0"},
		{"month-back", diff("MONTH", at("2024-02-29 13:45:06.789"), tTS), "0 | -12 | NULL | -649 | 0"},
		// Same day of month: the time of day decides (1 ms short of 2 months).
		{"month-time", diff("MONTH", tTS, at("2024-03-31 13:45:06.788")), "1 | 13 | NULL | 650 | 1"},
		{"quarter", diff("QUARTER", tTS, at("2024-03-31 13:45:06.788")), "0 | 4 | NULL | 216 | 0"},
		{"year", diff("YEAR", tTS, at("2024-03-31 13:45:06.788")), "0 | 1 | NULL | 54 | 0"},
		{"year-back", diff("YEAR", at("2024-03-31 13:45:06.788"), tTS), "0 | -1 | NULL | -54 | 0"},
		// Fixed units truncate toward zero: -0.789 s is 0 seconds.
		{"second", diff("SECOND", tTS, at("2024-01-31 13:45:06")), "0 | 29166306 | NULL | 1706708706 | -2499294"},
		{"microsecond", diff("MICROSECOND", tTS, at("2024-01-31 13:45:06")), "-789000 | 29166306000000 | NULL | 1706708706001000 | -2499294000000"},
		{"minute", diff("MINUTE", tTS, at("2024-01-01 00:00:00")), "-44025 | 442080 | NULL | 28401120 | -85680"},
		{"hour", diff("HOUR", tTS, at("2024-01-01 00:00:00")), "-733 | 7368 | NULL | 473352 | -1428"},
		{"day", diff("DAY", tTS, at("2024-02-29 12:00:00")), "28 | 366 | NULL | 19782 | 0"},
		{"week", diff("WEEK", tTS, at("2024-02-29 12:00:00")), "4 | 52 | NULL | 2826 | 0"},
		{"null-const", diff("SECOND", tTS, lit(nil, ts3)), "NULL | NULL | NULL | NULL | NULL"},
		{"datediff", call(scalar.FuncDateDiff, bigT, tDt, day("2024-02-29")), "-29 | -19782 | NULL | -19783 | -8766"},
		{"datediff-ts", call(scalar.FuncDateDiff, bigT, cast(tTS, catalog.DateType), day("2000-02-29")), "8737 | 8400 | NULL | -11017 | 8766"},
		{"bad-unit", diff("FORTNIGHT", tTS, tTS), "error: unit must be one of"},
	})
}
