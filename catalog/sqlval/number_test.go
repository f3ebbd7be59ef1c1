package sqlval

import (
	"math"
	"testing"
)

func TestParseInt(t *testing.T) {
	for _, tc := range []struct {
		in   string
		bits int
		want int64
		ok   bool
	}{
		{"0", 64, 0, true},
		{"+42", 64, 42, true},
		{" -42 ", 64, -42, true},
		{"00000000000000000000000007", 64, 7, true},
		{"9223372036854775807", 64, math.MaxInt64, true},
		{"-9223372036854775808", 64, math.MinInt64, true},
		{"9223372036854775808", 64, 0, false},
		{"-9223372036854775809", 64, 0, false},
		{"99999999999999999999", 64, 0, false},
		{"2147483647", 32, math.MaxInt32, true},
		{"-2147483648", 32, math.MinInt32, true},
		{"2147483648", 32, 0, false},
		{"99999999999", 32, 0, false},
		{"", 64, 0, false},
		{"-", 64, 0, false},
		{"1.5", 64, 0, false},
		{"1e3", 64, 0, false},
		{"0x10", 64, 0, false},
		{"1_000", 64, 0, false},
		{"--1", 64, 0, false},
	} {
		got, ok := ParseInt(tc.in, tc.bits)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseInt(%q, %d) = %d, %v; want %d, %v", tc.in, tc.bits, got, ok, tc.want, tc.ok)
		}
		if gb, okb := ParseInt([]byte(tc.in), tc.bits); gb != got || okb != ok {
			t.Errorf("ParseInt([]byte %q) differs from the string form", tc.in)
		}
	}
}

func TestParseBool(t *testing.T) {
	for _, in := range []string{"true", "TRUE", "True", "t", "T", "1", "yes", "Y", "on", " On "} {
		if v, ok := ParseBool(in); !v || !ok {
			t.Errorf("ParseBool(%q) = %v, %v; want true", in, v, ok)
		}
	}
	for _, in := range []string{"false", "FALSE", "False", "f", "0", "no", "N", "off", "OFF"} {
		if v, ok := ParseBool([]byte(in)); v || !ok {
			t.Errorf("ParseBool(%q) = %v, %v; want false", in, v, ok)
		}
	}
	for _, in := range []string{"", "2", "tru", "yess", "falsey", "nil", "-1"} {
		if _, ok := ParseBool(in); ok {
			t.Errorf("ParseBool(%q) accepted", in)
		}
	}
}

func TestParseFloat(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1.5", 1.5, true}, {" -2e3 ", -2000, true}, {"1e400", 0, false}, {"abc", 0, false}, {"", 0, false},
	} {
		got, ok := ParseFloat([]byte(tc.in))
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("ParseFloat(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestNoAllocs(t *testing.T) {
	ts, dec, num, b := []byte("2024-01-01T10:00:00.123+02:00"), []byte("-12345.675e-1"), []byte("123456"), []byte("TRUE")
	var sink int64
	allocs := testing.AllocsPerRun(100, func() {
		v, _ := ParseTimestamp(ts)
		d, _ := ParseDecimal(dec, 10, 2)
		n, _ := ParseInt(num, 64)
		f, _ := ParseFloat(num)
		ok, _ := ParseBool(b)
		sink += v + int64(d.LowBits()) + n + int64(f)
		if ok {
			sink++
		}
	})
	if allocs != 0 {
		t.Errorf("parsing []byte allocates %v times per run", allocs)
	}
	_ = sink
}
