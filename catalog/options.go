package catalog

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Option is one `key = 'value'` of a WITH clause or a SET statement. Pos is
// the byte offset of the key in the pipeline file, for positioned errors.
type Option struct {
	Key, Value string
	Pos        int
}

// Options are the options of one object in the order written. Keys are
// case-insensitive.
type Options []Option

// Get returns the value of key and whether it was given.
func (o Options) Get(key string) (string, bool) {
	for _, opt := range o {
		if strings.EqualFold(opt.Key, key) {
			return opt.Value, true
		}
	}
	return "", false
}

// Lookup returns the whole option for key, for error positions.
func (o Options) Lookup(key string) (Option, bool) {
	for _, opt := range o {
		if strings.EqualFold(opt.Key, key) {
			return opt, true
		}
	}
	return Option{}, false
}

// String returns the value of key or def.
func (o Options) String(key, def string) string {
	if v, ok := o.Get(key); ok {
		return v
	}
	return def
}

// Int parses key as an integer, returning def when absent.
func (o Options) Int(key string, def int64) (int64, error) {
	v, ok := o.Get(key)
	if !ok {
		return def, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("option '%s' = '%s': not an integer", key, v)
	}
	return n, nil
}

// Duration parses key as a duration ('200ms', '1s', '5 min', '1h'),
// returning def when absent.
func (o Options) Duration(key string, def time.Duration) (time.Duration, error) {
	v, ok := o.Get(key)
	if !ok {
		return def, nil
	}
	d, err := ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("option '%s': %w", key, err)
	}
	return d, nil
}

var durationUnits = map[string]time.Duration{
	"ms": time.Millisecond, "milli": time.Millisecond, "millis": time.Millisecond,
	"millisecond": time.Millisecond, "milliseconds": time.Millisecond,
	"s": time.Second, "sec": time.Second, "secs": time.Second, "second": time.Second, "seconds": time.Second,
	"m": time.Minute, "min": time.Minute, "mins": time.Minute, "minute": time.Minute, "minutes": time.Minute,
	"h": time.Hour, "hour": time.Hour, "hours": time.Hour,
	"d": 24 * time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour,
}

// ParseDuration parses the duration strings of DESIGN.md: a non-negative
// number, optional spaces, and a unit (ms, s, min, h, d and their long forms).
func ParseDuration(s string) (time.Duration, error) {
	t := strings.TrimSpace(strings.ToLower(s))
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	if i == 0 {
		return 0, fmt.Errorf("bad duration %q: want a number and a unit, like '200ms', '1s', '5 min'", s)
	}
	n, err := strconv.ParseFloat(t[:i], 64)
	if err != nil {
		return 0, fmt.Errorf("bad duration %q", s)
	}
	unit, ok := durationUnits[strings.TrimSpace(t[i:])]
	if !ok {
		return 0, fmt.Errorf("bad duration %q: unknown unit %q (use ms, s, min, h or d)", s, strings.TrimSpace(t[i:]))
	}
	return time.Duration(n * float64(unit)), nil
}
