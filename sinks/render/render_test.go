package render

import (
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

func TestAppendFloat(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{1, "1.0"}, {0.1, "0.1"}, {1e20, "1e+20"}, {1e-7, "1e-07"}, {1e15, "1000000000000000.0"},
		{1e16, "1e+16"}, {123456789.125, "123456789.125"}, {0.0001, "0.0001"}, {-2.5, "-2.5"},
		{math.NaN(), "nan"}, {math.Inf(1), "inf"}, {math.Inf(-1), "-inf"}, {0, "0.0"}, {9999999999999998, "9999999999999998.0"},
	} {
		if got := string(AppendFloat(nil, c.f, 64)); got != c.want {
			t.Errorf("AppendFloat(%v) = %q, want %q", c.f, got, c.want)
		}
	}
}

func TestAppendDecimal(t *testing.T) {
	big, _ := decimal128.FromString("-12345678901234567890123456789.123456789", 38, 9)
	for _, c := range []struct {
		n     decimal128.Num
		scale int32
		want  string
	}{
		{decimal128.FromI64(250), 2, "2.50"}, {decimal128.FromI64(-5), 2, "-0.05"}, {decimal128.FromI64(0), 3, "0.000"},
		{decimal128.FromI64(7), 0, "7"}, {decimal128.FromI64(math.MinInt64), 0, "-9223372036854775808"},
		{big, 9, "-12345678901234567890123456789.123456789"},
	} {
		if got := string(AppendDecimal(nil, c.n, c.scale)); got != c.want {
			t.Errorf("AppendDecimal(%v, %d) = %q, want %q", c.n, c.scale, got, c.want)
		}
	}
}

func TestTemporal(t *testing.T) {
	for _, c := range []struct {
		ms   int64
		want string
	}{
		{0, "1970-01-01 00:00:00"}, {1704164645120, "2024-01-02 03:04:05.12"}, {-1, "1969-12-31 23:59:59.999"},
		{1704164645001, "2024-01-02 03:04:05.001"},
	} {
		if got := string(AppendTimestampMillis(nil, c.ms)); got != c.want {
			t.Errorf("AppendTimestampMillis(%d) = %q, want %q", c.ms, got, c.want)
		}
	}
	if got := string(AppendDate(nil, -1)); got != "1969-12-31" {
		t.Errorf("AppendDate(-1) = %q", got)
	}
	for _, c := range []struct {
		v    arrow.MonthDayNanoInterval
		want string
	}{
		{arrow.MonthDayNanoInterval{Months: 14, Days: 3, Nanoseconds: 4*3600e9 + 5*60e9 + 6.5e9}, "1 year 2 months 3 days 04:05:06.5"},
		{arrow.MonthDayNanoInterval{Days: 1}, "1 day"},
		{arrow.MonthDayNanoInterval{Nanoseconds: 2e9}, "00:00:02"},
		{arrow.MonthDayNanoInterval{}, "00:00:00"},
		{arrow.MonthDayNanoInterval{Nanoseconds: -36 * 3600e9}, "-36:00:00"},
	} {
		if got := string(AppendInterval(nil, c.v)); got != c.want {
			t.Errorf("AppendInterval(%+v) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestEscapes(t *testing.T) {
	if got := EscapeInvalidUTF8([]byte("ok é")); got != "ok é" {
		t.Errorf("valid UTF-8 changed: %q", got)
	}
	if got := EscapeInvalidUTF8([]byte("a\xffb\\xc")); got != `a\xFFb\x5Cxc` {
		t.Errorf("EscapeInvalidUTF8 = %q", got)
	}
	if got := string(AppendJSONString(nil, "a\"\\\n\x01<\xff")); got != `"a\"\\\n\u0001<\ufffd"` {
		t.Errorf("AppendJSONString = %s", got)
	}
	if got := string(AppendBlob(nil, []byte("a\x00\\"))); got != `a\x00\x5C` {
		t.Errorf("AppendBlob = %s", got)
	}
}
