package sqlval

import (
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// minMillis and maxMillis bound the timestamps a text can spell (years 0-9999).
const (
	minMillis = -62167219200000
	maxMillis = 253402300799999
)

// FuzzTimestampRoundTrip checks that every timestamp a text can spell reads
// back from each of its written forms, and that any input parses the same as
// a string and as bytes.
func FuzzTimestampRoundTrip(f *testing.F) {
	f.Add(int64(0), "2024-01-01 10:00:00.5")
	f.Add(int64(-1), "1969-12-31T23:59:59.999+01:30")
	f.Add(int64(maxMillis), "9999-12-31 23:59:59.999999")
	f.Fuzz(func(t *testing.T, ms int64, text string) {
		ms = minMillis + (ms%(maxMillis-minMillis+1)+(maxMillis-minMillis+1))%(maxMillis-minMillis+1)
		for _, fr := range []Frac{FracMillis, FracNonZero, FracTrimmed} {
			s := AppendTimestamp(nil, ms, fr)
			if got, ok := ParseTimestamp(s); !ok || got != ms {
				t.Fatalf("ParseTimestamp(%q) = %d, %v; want %d", s, got, ok, ms)
			}
		}
		days := FloorDiv(ms, MillisPerDay)
		if got, ok := ParseDate(AppendDate(nil, days)); !ok || int64(got) != days {
			t.Fatalf("ParseDate(AppendDate(%d)) = %d, %v", days, got, ok)
		}
		a, okA := ParseTimestamp(text)
		b, okB := ParseTimestamp([]byte(text))
		if a != b || okA != okB {
			t.Fatalf("ParseTimestamp(%q): string %d %v, bytes %d %v", text, a, okA, b, okB)
		}
		if okA && (a < minMillis-MillisPerDay || a > maxMillis+MillisPerDay) {
			t.Fatalf("ParseTimestamp(%q) = %d, outside years 0-9999", text, a)
		}
	})
}

// FuzzDecimalRoundTrip checks that a DECIMAL(p,s) value written as text
// reads back unchanged, and that text parses the same as a string and bytes.
func FuzzDecimalRoundTrip(f *testing.F) {
	f.Add(int64(12345), uint64(0), uint8(10), uint8(2), "12.345")
	f.Add(int64(-1), uint64(1), uint8(38), uint8(0), "-1e-3")
	f.Fuzz(func(t *testing.T, hi int64, lo uint64, p, s uint8, text string) {
		prec := int32(p%38) + 1
		scale := int32(s) % (prec + 1)
		v := decimal128.New(hi, lo)
		if !v.FitsInPrecision(prec) {
			v, _ = v.Div(decimal128.GetScaleMultiplier(int(38 - prec + 1)))
			if !v.FitsInPrecision(prec) {
				v = decimal128.FromI64(int64(lo % 10))
			}
		}
		str := AppendDecimal(nil, v, scale)
		got, err := ParseDecimal(str, prec, scale)
		if err != nil || got != v {
			t.Fatalf("ParseDecimal(%q, %d, %d) = %s, %v; want %s", str, prec, scale, got.BigInt(), err, v.BigInt())
		}
		if want := v.ToString(scale); string(str) != want {
			t.Fatalf("AppendDecimal = %s, ToString = %s", str, want)
		}
		a, errA := ParseDecimal(text, prec, scale)
		b, errB := ParseDecimal([]byte(text), prec, scale)
		if a != b || errA != errB {
			t.Fatalf("ParseDecimal(%q): string %v %v, bytes %v %v", text, a, errA, b, errB)
		}
		if errA == nil && !a.FitsInPrecision(prec) {
			t.Fatalf("ParseDecimal(%q, %d, %d) = %s does not fit", text, prec, scale, a.BigInt())
		}
	})
}

// FuzzIntRoundTrip checks integers and booleans read back from their text.
func FuzzIntRoundTrip(f *testing.F) {
	f.Add(int64(-42), true)
	f.Fuzz(func(t *testing.T, v int64, b bool) {
		s := strconv.AppendInt(nil, v, 10)
		if got, ok := ParseInt(s, 64); !ok || got != v {
			t.Fatalf("ParseInt(%q) = %d, %v", s, got, ok)
		}
		if got, ok := ParseInt(string(s), 32); ok != (v == int64(int32(v))) || ok && got != v {
			t.Fatalf("ParseInt(%q, 32) = %d, %v", s, got, ok)
		}
		bs := "false"
		if b {
			bs = "true"
		}
		if got, ok := ParseBool(bs); !ok || got != b {
			t.Fatalf("ParseBool(%q) = %v, %v", bs, got, ok)
		}
	})
}
