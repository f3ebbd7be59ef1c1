package render

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// jsonKind says how a column's text is embedded in JSON.
type jsonKind uint8

const (
	jsonString  jsonKind = iota // quoted text
	jsonNumber                  // text is a valid JSON number
	jsonBool                    // text is true/false
	jsonFloat                   // number, but NaN/Inf become null
	jsonMarshal                 // nested: arrow's own JSON value
)

// Column renders the values of one Arrow array. It borrows the array.
type Column struct {
	arr  arrow.Array
	text func(dst []byte, i int) []byte
	json jsonKind
}

// NewColumn returns the renderer of arr.
func NewColumn(arr arrow.Array) Column {
	text, kind := textFunc(arr)
	return Column{arr: arr, text: text, json: kind}
}

// Columns returns one renderer per column of rec.
func Columns(rec arrow.RecordBatch) []Column {
	out := make([]Column, rec.NumCols())
	for i, a := range rec.Columns() {
		out[i] = NewColumn(a)
	}
	return out
}

// IsNull reports whether row i is NULL.
func (c Column) IsNull(i int) bool { return c.arr.IsNull(i) }

// AppendText appends the text of row i, which must not be NULL.
func (c Column) AppendText(dst []byte, i int) []byte { return c.text(dst, i) }

// Text returns the text of row i and false when it is NULL.
func (c Column) Text(i int) (string, bool) {
	if c.arr.IsNull(i) {
		return "", false
	}
	return string(c.text(nil, i)), true
}

func textFunc(arr arrow.Array) (func([]byte, int) []byte, jsonKind) {
	switch a := arr.(type) {
	case *array.Boolean:
		return func(d []byte, i int) []byte { return strconv.AppendBool(d, a.Value(i)) }, jsonBool
	case *array.Int8:
		return func(d []byte, i int) []byte { return strconv.AppendInt(d, int64(a.Value(i)), 10) }, jsonNumber
	case *array.Int16:
		return func(d []byte, i int) []byte { return strconv.AppendInt(d, int64(a.Value(i)), 10) }, jsonNumber
	case *array.Int32:
		return func(d []byte, i int) []byte { return strconv.AppendInt(d, int64(a.Value(i)), 10) }, jsonNumber
	case *array.Int64:
		return func(d []byte, i int) []byte { return strconv.AppendInt(d, a.Value(i), 10) }, jsonNumber
	case *array.Uint8:
		return func(d []byte, i int) []byte { return strconv.AppendUint(d, uint64(a.Value(i)), 10) }, jsonNumber
	case *array.Uint16:
		return func(d []byte, i int) []byte { return strconv.AppendUint(d, uint64(a.Value(i)), 10) }, jsonNumber
	case *array.Uint32:
		return func(d []byte, i int) []byte { return strconv.AppendUint(d, uint64(a.Value(i)), 10) }, jsonNumber
	case *array.Uint64:
		return func(d []byte, i int) []byte { return strconv.AppendUint(d, a.Value(i), 10) }, jsonNumber
	case *array.Float32:
		return func(d []byte, i int) []byte { return AppendFloat(d, float64(a.Value(i)), 32) }, jsonFloat
	case *array.Float64:
		return func(d []byte, i int) []byte { return AppendFloat(d, a.Value(i), 64) }, jsonFloat
	case *array.Decimal128:
		scale := a.DataType().(*arrow.Decimal128Type).Scale
		return func(d []byte, i int) []byte { return AppendDecimal(d, a.Value(i), scale) }, jsonNumber
	case *array.String:
		return func(d []byte, i int) []byte { return append(d, a.Value(i)...) }, jsonString
	case *array.LargeString:
		return func(d []byte, i int) []byte { return append(d, a.Value(i)...) }, jsonString
	case *array.StringView:
		return func(d []byte, i int) []byte { return append(d, a.Value(i)...) }, jsonString
	case *array.Binary:
		return func(d []byte, i int) []byte { return AppendBlob(d, a.Value(i)) }, jsonString
	case *array.Date32:
		return func(d []byte, i int) []byte { return AppendDate(d, int64(a.Value(i))) }, jsonString
	case *array.Timestamp:
		return timestampFunc(a), jsonString
	case *array.Time64:
		unit := a.DataType().(*arrow.Time64Type).Unit
		return func(d []byte, i int) []byte {
			return appendClock(d, int64(a.Value(i))*int64(unit.Multiplier()))
		}, jsonString
	case *array.MonthDayNanoInterval:
		return func(d []byte, i int) []byte { return AppendInterval(d, a.Value(i)) }, jsonString
	case *array.List, *array.Struct, *array.Map, *array.LargeList, *array.FixedSizeList:
		return func(d []byte, i int) []byte { return append(d, arr.ValueStr(i)...) }, jsonMarshal
	}
	return func(d []byte, i int) []byte { return append(d, arr.ValueStr(i)...) }, jsonString
}

func timestampFunc(a *array.Timestamp) func([]byte, int) []byte {
	tt := a.DataType().(*arrow.TimestampType)
	mult := int64(tt.Unit.Multiplier()) // nanoseconds per unit
	zoned := tt.TimeZone != ""
	return func(d []byte, i int) []byte {
		v := int64(a.Value(i))
		secs, frac := floorDiv(v, int64(time.Second)/mult)
		d = AppendTimestampNanos(d, secs, frac*mult)
		if zoned {
			d = append(d, "+00"...)
		}
		return d
	}
}

// AppendFloat renders f as DuckDB does: the shortest digits that round-trip,
// fixed notation with at least one decimal for exponents in [-4, 16),
// scientific otherwise; nan, inf, -inf.
func AppendFloat(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "nan"...)
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	}
	exp := 0
	if f != 0 {
		exp = int(math.Floor(math.Log10(math.Abs(f))))
		// Log10 can be off by one near powers of ten: confirm with the
		// scientific rendering.
		e := strconv.AppendFloat(nil, f, 'e', -1, bits)
		for j := len(e) - 1; j >= 0; j-- {
			if e[j] == 'e' {
				exp, _ = strconv.Atoi(string(e[j+1:]))
				break
			}
		}
	}
	if exp < -4 || exp >= 16 {
		return strconv.AppendFloat(dst, f, 'e', -1, bits)
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, 'f', -1, bits)
	for _, c := range dst[start:] {
		if c == '.' {
			return dst
		}
	}
	return append(dst, ".0"...)
}

// AppendDecimal renders an unscaled decimal at scale with all its digits.
func AppendDecimal(dst []byte, n decimal128.Num, scale int32) []byte {
	var digits []byte
	neg := n.Sign() < 0
	hi, lo := n.HighBits(), n.LowBits()
	switch {
	case hi == 0 && lo <= math.MaxInt64:
		digits = strconv.AppendUint(nil, lo, 10)
	case hi == -1 && lo > math.MaxInt64:
		digits = strconv.AppendUint(nil, -lo, 10) // two's complement magnitude
	default:
		digits = n.Abs().BigInt().Append(nil, 10)
	}
	if neg {
		dst = append(dst, '-')
	}
	if scale <= 0 {
		dst = append(dst, digits...)
		if scale < 0 && !(len(digits) == 1 && digits[0] == '0') {
			for range -scale {
				dst = append(dst, '0')
			}
		}
		return dst
	}
	s := int(scale)
	if len(digits) <= s {
		dst = append(dst, '0', '.')
		for range s - len(digits) {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	at := len(digits) - s
	dst = append(dst, digits[:at]...)
	dst = append(dst, '.')
	return append(dst, digits[at:]...)
}

// AppendBlob renders bytes as DuckDB renders a BLOB: printable ASCII as is,
// everything else (and the backslash) as \xNN.
func AppendBlob(dst, b []byte) []byte {
	const hex = "0123456789ABCDEF"
	for _, c := range b {
		if c >= 0x20 && c < 0x7f && c != '\\' {
			dst = append(dst, c)
			continue
		}
		dst = append(dst, '\\', 'x', hex[c>>4], hex[c&15])
	}
	return dst
}

// EscapeInvalidUTF8 returns b as a string, keeping valid UTF-8 and writing
// each byte that is not part of a valid sequence as \xNN (and a literal
// backslash followed by x as \x5Cx so the escape is unambiguous).
func EscapeInvalidUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	const hex = "0123456789ABCDEF"
	out := make([]byte, 0, len(b)+16)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			out = append(out, '\\', 'x', hex[b[0]>>4], hex[b[0]&15])
			b = b[1:]
			continue
		}
		if b[0] == '\\' && len(b) > 1 && b[1] == 'x' {
			out = append(out, `\x5C`...)
			b = b[1:]
			continue
		}
		out = append(out, b[:size]...)
		b = b[size:]
	}
	return string(out)
}

func floorDiv(a, b int64) (q, r int64) {
	q, r = a/b, a%b
	if r < 0 {
		q--
		r += b
	}
	return q, r
}
