package scalar

import (
	"fmt"
	"strings"
	"time"
)

const msPerDay = 86_400_000

// parseDate parses 'YYYY-MM-DD' (a time part, if any, is dropped) into days
// since the epoch.
func parseDate(s string) (int32, error) {
	ms, err := parseTimestamp(s)
	if err != nil {
		return 0, fmt.Errorf("invalid DATE value '%s'", s)
	}
	days := ms / msPerDay
	if ms < 0 && ms%msPerDay != 0 {
		days--
	}
	return int32(days), nil
}

var timestampLayouts = []string{
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
	time.RFC3339Nano,
}

// parseTimestamp parses 'YYYY-MM-DD[ HH:MM:SS[.fff]]' (or with a T) into
// milliseconds since the epoch, without a time zone; digits below the
// millisecond are truncated.
func parseTimestamp(s string) (int64, error) {
	s = strings.TrimSpace(s)
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UnixMilli(), nil
		}
	}
	return 0, fmt.Errorf("invalid TIMESTAMP value '%s'", s)
}

// formatDate renders days since the epoch as YYYY-MM-DD.
func formatDate(days int32) string {
	return time.UnixMilli(int64(days) * msPerDay).UTC().Format("2006-01-02")
}

// formatTimestamp renders ms since the epoch as YYYY-MM-DD HH:MM:SS[.fff].
func formatTimestamp(ms int64) string {
	t := time.UnixMilli(ms).UTC()
	if ms%1000 != 0 {
		return t.Format("2006-01-02 15:04:05.000")
	}
	return t.Format("2006-01-02 15:04:05")
}
