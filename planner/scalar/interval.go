package scalar

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/pingcap/tidb/pkg/parser/ast"
)

// Interval parts. A simple unit is one part; a composite unit such as
// HOUR_MINUTE takes a string '1:30' whose fields fill its parts from the
// right (MySQL: missing fields are the leftmost ones).
type ivPart int8

const (
	ivMicro ivPart = iota
	ivSecond
	ivMinute
	ivHour
	ivDay
	ivWeek
	ivMonth
	ivQuarter
	ivYear
)

var unitParts = map[ast.TimeUnitType][]ivPart{
	ast.TimeUnitMicrosecond: {ivMicro}, ast.TimeUnitSecond: {ivSecond},
	ast.TimeUnitMinute: {ivMinute}, ast.TimeUnitHour: {ivHour}, ast.TimeUnitDay: {ivDay},
	ast.TimeUnitWeek: {ivWeek}, ast.TimeUnitMonth: {ivMonth}, ast.TimeUnitQuarter: {ivQuarter},
	ast.TimeUnitYear:              {ivYear},
	ast.TimeUnitSecondMicrosecond: {ivSecond, ivMicro},
	ast.TimeUnitMinuteMicrosecond: {ivMinute, ivSecond, ivMicro},
	ast.TimeUnitMinuteSecond:      {ivMinute, ivSecond},
	ast.TimeUnitHourMicrosecond:   {ivHour, ivMinute, ivSecond, ivMicro},
	ast.TimeUnitHourSecond:        {ivHour, ivMinute, ivSecond},
	ast.TimeUnitHourMinute:        {ivHour, ivMinute},
	ast.TimeUnitDayMicrosecond:    {ivDay, ivHour, ivMinute, ivSecond, ivMicro},
	ast.TimeUnitDaySecond:         {ivDay, ivHour, ivMinute, ivSecond},
	ast.TimeUnitDayMinute:         {ivDay, ivHour, ivMinute},
	ast.TimeUnitDayHour:           {ivDay, ivHour},
	ast.TimeUnitYearMonth:         {ivYear, ivMonth},
}

var partMillis = [...]int64{ivSecond: 1000, ivMinute: 60_000, ivHour: 3_600_000, ivDay: msPerDay, ivWeek: 7 * msPerDay}
var partMonths = [...]int32{ivMonth: 1, ivQuarter: 3, ivYear: 12}

// intervalLiteral builds the INTERVAL value `INTERVAL v unit`. v must be a
// constant: a number for simple units (SECOND may have up to three
// fractional digits) or a string of fields for composite ones.
func intervalLiteral(v *Literal, unit ast.TimeUnitType) (IntervalValue, error) {
	parts, ok := unitParts[unit]
	if !ok {
		return IntervalValue{}, fmt.Errorf("unsupported INTERVAL unit %s", unit)
	}
	if len(parts) == 1 {
		return simpleInterval(v, parts[0])
	}
	s, ok := v.Value.(string)
	if !ok {
		s = v.String()
	}
	return compositeInterval(s, parts, unit)
}

func simpleInterval(v *Literal, part ivPart) (IntervalValue, error) {
	switch x := v.Value.(type) {
	case int64:
		return addPart(IntervalValue{}, part, x)
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		if err == nil {
			return addPart(IntervalValue{}, part, n)
		}
		if d, err := decimal128.FromString(strings.TrimSpace(x), 38, 3); err == nil && part == ivSecond {
			return IntervalValue{Millis: int64(d.LowBits())}, nil
		}
	case decimal128.Num:
		if part == ivSecond && v.T.Scale <= 3 {
			return IntervalValue{Millis: int64(x.IncreaseScaleBy(3 - v.T.Scale).LowBits())}, nil
		}
	}
	return IntervalValue{}, fmt.Errorf("invalid INTERVAL value %s", v)
}

func compositeInterval(s string, parts []ivPart, unit ast.TimeUnitType) (IntervalValue, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	fields := strings.FieldsFunc(strings.TrimPrefix(s, "-"), func(r rune) bool { return r < '0' || r > '9' })
	if len(fields) == 0 || len(fields) > len(parts) {
		return IntervalValue{}, fmt.Errorf("invalid INTERVAL value '%s' for unit %s", s, unit)
	}
	var iv IntervalValue
	off := len(parts) - len(fields)
	for i, f := range fields {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return IntervalValue{}, fmt.Errorf("invalid INTERVAL value '%s' for unit %s", s, unit)
		}
		if neg {
			n = -n
		}
		if iv, err = addPart(iv, parts[off+i], n); err != nil {
			return IntervalValue{}, err
		}
	}
	return iv, nil
}

func addPart(iv IntervalValue, part ivPart, n int64) (IntervalValue, error) {
	switch part {
	case ivMicro:
		if n%1000 != 0 {
			return iv, fmt.Errorf("INTERVAL finer than a millisecond is not supported")
		}
		iv.Millis += n / 1000
	case ivMonth, ivQuarter, ivYear:
		iv.Months += int32(n) * partMonths[part]
	default:
		iv.Millis += n * partMillis[part]
	}
	return iv, nil
}
