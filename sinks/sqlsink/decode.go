package sqlsink

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
)

// TextColumns builds Arrow columns of catalog types from the text
// representation of database values (PostgreSQL's ::text output with
// DateStyle ISO, MySQL's text protocol): booleans t/f/true/false/1/0,
// numbers, NaN/Infinity, YYYY-MM-DD dates and YYYY-MM-DD HH:MM:SS[.fff]
// timestamps.
type TextColumns struct {
	types    []catalog.Type
	builders []array.Builder
	names    []string
}

// NewTextColumns returns builders for columns named names of types.
func NewTextColumns(names []string, types []catalog.Type, mem memory.Allocator) *TextColumns {
	c := &TextColumns{types: types, names: names, builders: make([]array.Builder, len(types))}
	for i, t := range types {
		c.builders[i] = array.NewBuilder(mem, t.Arrow())
	}
	return c
}

// AppendRow appends one row of cells (nil = NULL), one per column.
func (c *TextColumns) AppendRow(cells [][]byte) error {
	if len(cells) != len(c.builders) {
		return fmt.Errorf("row has %d values, want %d", len(cells), len(c.builders))
	}
	for i, v := range cells {
		if err := c.appendCell(i, v); err != nil {
			return fmt.Errorf("column %s: %w", c.names[i], err)
		}
	}
	return nil
}

func (c *TextColumns) appendCell(i int, v []byte) error {
	b := c.builders[i]
	if v == nil {
		b.AppendNull()
		return nil
	}
	t := c.types[i]
	switch t.ID {
	case catalog.Boolean:
		switch string(v) {
		case "t", "true", "1", "TRUE":
			b.(*array.BooleanBuilder).Append(true)
		case "f", "false", "0", "FALSE":
			b.(*array.BooleanBuilder).Append(false)
		default:
			return fmt.Errorf("bad boolean %q", v)
		}
	case catalog.Int:
		n, err := strconv.ParseInt(string(v), 10, 32)
		if err != nil {
			return err
		}
		b.(*array.Int32Builder).Append(int32(n))
	case catalog.BigInt:
		n, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil {
			return err
		}
		b.(*array.Int64Builder).Append(n)
	case catalog.Double:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return err
		}
		b.(*array.Float64Builder).Append(f)
	case catalog.Decimal:
		n, err := ParseDecimal(string(v), t.Precision, t.Scale)
		if err != nil {
			return err
		}
		b.(*array.Decimal128Builder).Append(n)
	case catalog.Varchar:
		b.(*array.StringBuilder).BinaryBuilder.Append(v)
	case catalog.Date:
		d, err := ParseDate(string(v))
		if err != nil {
			return err
		}
		b.(*array.Date32Builder).Append(arrow.Date32(d))
	case catalog.Timestamp:
		ms, err := ParseTimestamp(string(v))
		if err != nil {
			return err
		}
		b.(*array.TimestampBuilder).Append(arrow.Timestamp(ms))
	default:
		return fmt.Errorf("type %s cannot be read from a database column", t)
	}
	return nil
}

// Len is the number of rows appended so far.
func (c *TextColumns) Len() int {
	if len(c.builders) == 0 {
		return 0
	}
	return c.builders[0].Len()
}

// NewRecord returns the rows appended so far as a record batch of schema
// (whose fields have the builders' types) and resets the builders.
func (c *TextColumns) NewRecord(schema *arrow.Schema) arrow.RecordBatch {
	n := c.Len()
	cols := make([]arrow.Array, len(c.builders))
	for i, b := range c.builders {
		cols[i] = b.NewArray()
	}
	rec := array.NewRecordBatch(schema, cols, int64(n))
	for _, a := range cols {
		a.Release()
	}
	return rec
}

// Release releases the builders.
func (c *TextColumns) Release() {
	for _, b := range c.builders {
		b.Release()
	}
}

// ParseDecimal parses the exact decimal text s ("-12.5", "3") as a
// DECIMAL(prec, scale). Digits beyond scale must be zeros: nothing is
// rounded.
func ParseDecimal(s string, prec, scale int32) (decimal128.Num, error) {
	t := strings.TrimSpace(s)
	neg := false
	if t != "" && (t[0] == '-' || t[0] == '+') {
		neg, t = t[0] == '-', t[1:]
	}
	intPart, frac, _ := strings.Cut(t, ".")
	if intPart == "" && frac == "" {
		return decimal128.Num{}, fmt.Errorf("bad decimal %q", s)
	}
	for len(frac) > int(scale) {
		if frac[len(frac)-1] != '0' {
			return decimal128.Num{}, fmt.Errorf("decimal %q has more than %d digits after the point", s, scale)
		}
		frac = frac[:len(frac)-1]
	}
	digits := intPart + frac + strings.Repeat("0", int(scale)-len(frac))
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return decimal128.Num{}, fmt.Errorf("bad decimal %q", s)
		}
	}
	var n decimal128.Num
	if len(digits) <= 18 {
		u, _ := strconv.ParseUint(digits, 10, 64)
		n = decimal128.FromU64(u)
	} else {
		bi, ok := new(big.Int).SetString(digits, 10)
		if !ok || bi.BitLen() > 127 {
			return decimal128.Num{}, fmt.Errorf("decimal %q out of range", s)
		}
		n = decimal128.FromBigInt(bi)
	}
	if neg {
		n = n.Negate()
	}
	if !n.FitsInPrecision(prec) {
		return decimal128.Num{}, fmt.Errorf("decimal %q does not fit DECIMAL(%d,%d)", s, prec, scale)
	}
	return n, nil
}

// daysFromCivil is the inverse of civil.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y
	if y < 0 {
		era = y - 399
	}
	era /= 400
	yoe := y - era*400
	mp := m + 9
	if m > 2 {
		mp = m - 3
	}
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func atoiFixed(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int64(s[i]-'0')
	}
	return n, true
}

// ParseDate parses YYYY-MM-DD into days since the epoch.
func ParseDate(s string) (int64, error) {
	if len(s) < 10 || s[len(s)-3] != '-' || s[len(s)-6] != '-' {
		return 0, fmt.Errorf("bad date %q (want YYYY-MM-DD)", s)
	}
	y, ok1 := atoiFixed(s[:len(s)-6])
	m, ok2 := atoiFixed(s[len(s)-5 : len(s)-3])
	d, ok3 := atoiFixed(s[len(s)-2:])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, fmt.Errorf("bad date %q (want YYYY-MM-DD)", s)
	}
	return daysFromCivil(y, m, d), nil
}

// ParseTimestamp parses YYYY-MM-DD HH:MM:SS[.fraction] (or with a T) into
// milliseconds since the epoch; fraction digits beyond milliseconds must
// be zeros.
func ParseTimestamp(s string) (int64, error) {
	i := strings.IndexAny(s, " T")
	if i < 0 {
		return 0, fmt.Errorf("bad timestamp %q (want YYYY-MM-DD HH:MM:SS)", s)
	}
	days, err := ParseDate(s[:i])
	if err != nil {
		return 0, fmt.Errorf("bad timestamp %q: %w", s, err)
	}
	clock, frac, _ := strings.Cut(s[i+1:], ".")
	if len(clock) != 8 || clock[2] != ':' || clock[5] != ':' {
		return 0, fmt.Errorf("bad timestamp %q (want YYYY-MM-DD HH:MM:SS)", s)
	}
	h, ok1 := atoiFixed(clock[:2])
	mi, ok2 := atoiFixed(clock[3:5])
	sec, ok3 := atoiFixed(clock[6:])
	if !ok1 || !ok2 || !ok3 {
		return 0, fmt.Errorf("bad timestamp %q", s)
	}
	var ms int64
	for j := 0; j < len(frac); j++ {
		c := frac[j]
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("bad timestamp %q", s)
		}
		switch {
		case j < 3:
			ms = ms*10 + int64(c-'0')
		case c != '0':
			return 0, fmt.Errorf("timestamp %q is finer than milliseconds", s)
		}
	}
	for j := len(frac); j < 3; j++ {
		ms *= 10
	}
	return days*86400000 + h*3600000 + mi*60000 + sec*1000 + ms, nil
}
