package scalar

import (
	"fmt"
	"strings"

	"github.com/sqlstream/sqlstream/catalog/sqlval"
)

// Date and timestamp literals are read and written by catalog/sqlval; this
// file gives binding its error wording and EXPLAIN its forms.

const msPerDay = sqlval.MillisPerDay

// parseDate parses a DATE literal (a time part, if any, is dropped) into days
// since the epoch.
func parseDate(s string) (int32, error) {
	d, ok := sqlval.ParseDate(s)
	if !ok {
		return 0, fmt.Errorf("invalid DATE value '%s'", s)
	}
	return d, nil
}

// parseTimestamp parses a TIMESTAMP literal into milliseconds since the epoch.
func parseTimestamp(s string) (int64, error) {
	ms, ok := sqlval.ParseTimestamp(s)
	if !ok {
		return 0, fmt.Errorf("invalid TIMESTAMP value '%s'", strings.TrimSpace(s))
	}
	return ms, nil
}

// formatDate renders days since the epoch as YYYY-MM-DD.
func formatDate(days int32) string { return string(sqlval.AppendDate(nil, int64(days))) }

// formatTimestamp renders ms since the epoch as YYYY-MM-DD HH:MM:SS[.fff].
func formatTimestamp(ms int64) string {
	return string(sqlval.AppendTimestamp(nil, ms, sqlval.FracNonZero))
}
