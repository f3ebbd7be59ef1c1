package expr

import (
	"fmt"
	"strings"

	"github.com/sqlstream/sqlstream/catalog/sqlval"
)

// Dates and timestamps are read, written and shifted by catalog/sqlval;
// this file gives CAST its text forms and error wording.

const msPerDay = sqlval.MillisPerDay

// appendTimestamp formats CAST(ts AS CHAR): 'YYYY-MM-DD HH:MM:SS.fff'.
func appendTimestamp(b []byte, ms int64) []byte {
	return sqlval.AppendTimestamp(b, ms, sqlval.FracMillis)
}

// appendDate formats CAST(date AS CHAR): 'YYYY-MM-DD'.
func appendDate(b []byte, days int64) []byte { return sqlval.AppendDate(b, days) }

// parseTimestamp reads CAST(s AS DATETIME) into milliseconds since the epoch.
func parseTimestamp(s string) (int64, error) {
	ms, ok := sqlval.ParseTimestamp(s)
	if !ok {
		return 0, fmt.Errorf("invalid timestamp %q", strings.TrimSpace(s))
	}
	return ms, nil
}

// parseDate reads CAST(s AS DATE) into days since the epoch; a time part is
// accepted and dropped.
func parseDate(s string) (int64, error) {
	d, ok := sqlval.ParseDate(s)
	if !ok {
		return 0, fmt.Errorf("invalid date %q", strings.TrimSpace(s))
	}
	return int64(d), nil
}
