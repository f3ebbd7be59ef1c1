package sqlval

import (
	"errors"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

func TestParseDecimal(t *testing.T) {
	for _, tc := range []struct {
		in         string
		prec, scal int32
		want       string // the value at the scale, or the error
	}{
		{"12.345", 10, 2, "12.35"},
		{"-1.005", 10, 2, "-1.01"},
		{"0.005", 10, 2, "0.01"},
		{"0.0049999", 10, 2, "0.00"},
		{"-0.004", 10, 2, "0.00"},
		{"1e2", 10, 2, "100.00"},
		{"1E+2", 10, 2, "100.00"},
		{"12345e-4", 10, 2, "1.23"},
		{"-12.5e-1", 10, 0, "-1"},
		{"2.5", 10, 0, "3"},
		{"-2.5", 10, 0, "-3"},
		{" 7 ", 5, 2, "7.00"},
		{"+7", 5, 2, "7.00"},
		{"1.", 5, 2, "1.00"},
		{".5", 5, 2, "0.50"},
		{"-.5", 5, 0, "-1"},
		{"000000000000000000000000000000000000000001.5", 5, 1, "1.5"},
		{"999.994", 5, 2, "999.99"},
		{"999.995", 5, 2, "out of range"},
		{"1000", 5, 2, "out of range"},
		{"1e3", 5, 2, "out of range"},
		{"1e999999999999999999999", 38, 0, "out of range"},
		{"0e999999999999999999999", 38, 0, "0"},
		{"1e-999999999999999999999", 38, 2, "0.00"},
		{"99999999999999999999999999999999999999", 38, 0, "99999999999999999999999999999999999999"},
		{"-99999999999999999999999999999999999999", 38, 0, "-99999999999999999999999999999999999999"},
		{"99999999999999999999999999999999999999.5", 38, 0, "out of range"},
		{"123456789012345678901234567890123456789", 38, 0, "out of range"},
		{"0.1234567890123456789012345678901234567", 38, 37, "0.1234567890123456789012345678901234567"},
		{"", 10, 2, "not a decimal number"},
		{".", 10, 2, "not a decimal number"},
		{"-", 10, 2, "not a decimal number"},
		{"e5", 10, 2, "not a decimal number"},
		{"1e", 10, 2, "not a decimal number"},
		{"1e+", 10, 2, "not a decimal number"},
		{"12x", 10, 2, "not a decimal number"},
		{"1.2.3", 10, 2, "not a decimal number"},
		{"1 2", 10, 2, "not a decimal number"},
		{"--1", 10, 2, "not a decimal number"},
		{"0x10", 10, 2, "not a decimal number"},
	} {
		v, err := ParseDecimal(tc.in, tc.prec, tc.scal)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = string(AppendDecimal(nil, v, tc.scal))
		}
		if got != tc.want {
			t.Errorf("ParseDecimal(%q, %d, %d) = %s, want %s", tc.in, tc.prec, tc.scal, got, tc.want)
		}
		vb, errb := ParseDecimal([]byte(tc.in), tc.prec, tc.scal)
		if vb != v || !errors.Is(errb, err) {
			t.Errorf("ParseDecimal([]byte %q) differs from the string form", tc.in)
		}
	}
}

func TestDecimalShape(t *testing.T) {
	for _, tc := range []struct {
		in          string
		prec, scale int32
		ok          bool
	}{
		{"0.908", 3, 3, true},
		{"123", 3, 0, true},
		{"-12.50", 4, 2, true},
		{"007.5", 2, 1, true},
		{"0", 1, 0, true},
		{"-0.0", 1, 1, true},
		{"18446744073709551615", 20, 0, true},
		{"5.", 1, 0, true},
		{".5", 1, 1, true},
		{"123456789012345678901234567890123456789", 39, 0, true},
		{"", 0, 0, false},
		{".", 0, 0, false},
		{"-", 0, 0, false},
		{"1e3", 0, 0, false},
		{"1.2.3", 0, 0, false},
	} {
		p, s, ok := DecimalShape(tc.in)
		if p != tc.prec || s != tc.scale || ok != tc.ok {
			t.Errorf("DecimalShape(%q) = %d, %d, %v; want %d, %d, %v", tc.in, p, s, ok, tc.prec, tc.scale, tc.ok)
		}
	}
}

func TestAppendDecimalMatchesToString(t *testing.T) {
	values := []decimal128.Num{
		decimal128.FromI64(0), decimal128.FromI64(5), decimal128.FromI64(-5), decimal128.FromI64(125),
		decimal128.FromI64(-350), decimal128.FromI64(1 << 62), decimal128.FromI64(-1 << 63),
		decimal128.New(1, 0), decimal128.New(-1, 0), decimal128.MaxDecimal128, decimal128.MaxDecimal128.Negate(),
	}
	for _, v := range values {
		for _, scale := range []int32{-3, 0, 1, 2, 5, 19, 20, 38} {
			if got, want := string(AppendDecimal(nil, v, scale)), v.ToString(scale); got != want {
				t.Errorf("AppendDecimal(%s, %d) = %s, want %s", v.BigInt(), scale, got, want)
			}
		}
	}
}
