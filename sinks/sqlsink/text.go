package sqlsink

import (
	"encoding/hex"
	"fmt"
	"math"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/catalog/sqlval"
)

// Flavor is how a ValueWriter writes values.
type Flavor uint8

const (
	// CopyText is PostgreSQL's COPY text format: \N for NULL, backslash,
	// tab, newline and carriage return escaped in strings.
	CopyText Flavor = iota
	// PlainText is the bare text of a value (a PostgreSQL text[] element
	// cast to the column type); NULL is written as nothing, so callers
	// only write non-NULL values.
	PlainText
	// MySQLLiteral is a MySQL/MariaDB SQL literal: NULL, numbers bare,
	// dates and timestamps quoted, strings as _utf8mb4 X'hex' (immune to
	// sql_mode's escaping rules).
	MySQLLiteral
)

// ValueWriter appends the text of one Arrow column's values, reading the
// typed values directly (no per-value interface boxing).
type ValueWriter struct {
	flavor Flavor
	id     catalog.TypeID
	arr    arrow.Array
	bools  *array.Boolean
	i32    []int32
	i64    []int64
	f64    []float64
	dec    []decimal128.Num
	scale  int32
	str    *array.String
	date   []arrow.Date32
	ts     []arrow.Timestamp
}

// NewValueWriter returns the writer of arr, a column of SQL type t in its
// catalog Arrow type (catalog.Type.Arrow).
func NewValueWriter(arr arrow.Array, t catalog.Type, f Flavor) (ValueWriter, error) {
	w := ValueWriter{flavor: f, id: t.ID, arr: arr}
	ok := false
	switch t.ID {
	case catalog.Boolean:
		w.bools, ok = arr.(*array.Boolean)
	case catalog.Int:
		var a *array.Int32
		if a, ok = arr.(*array.Int32); ok {
			w.i32 = a.Int32Values()
		}
	case catalog.BigInt:
		var a *array.Int64
		if a, ok = arr.(*array.Int64); ok {
			w.i64 = a.Int64Values()
		}
	case catalog.Double:
		var a *array.Float64
		if a, ok = arr.(*array.Float64); ok {
			w.f64 = a.Float64Values()
		}
	case catalog.Decimal:
		var a *array.Decimal128
		if a, ok = arr.(*array.Decimal128); ok {
			w.dec, w.scale = a.Values(), t.Scale
		}
	case catalog.Varchar:
		w.str, ok = arr.(*array.String)
	case catalog.Date:
		var a *array.Date32
		if a, ok = arr.(*array.Date32); ok {
			w.date = a.Date32Values()
		}
	case catalog.Timestamp:
		var a *array.Timestamp
		if a, ok = arr.(*array.Timestamp); ok && a.DataType().(*arrow.TimestampType).Unit == arrow.Millisecond {
			w.ts = a.TimestampValues()
		} else {
			ok = false
		}
	default:
		return w, fmt.Errorf("type %s cannot be written to a database column", t)
	}
	if !ok {
		return w, fmt.Errorf("column of type %s holds Arrow %s, want %s", t, arr.DataType(), t.Arrow())
	}
	return w, nil
}

// IsNull reports whether row is NULL.
func (w *ValueWriter) IsNull(row int) bool { return w.arr.IsNull(row) }

// NonFinite reports whether row is a DOUBLE NaN or infinity (which MySQL
// cannot store).
func (w *ValueWriter) NonFinite(row int) bool {
	if w.f64 == nil || w.arr.IsNull(row) {
		return false
	}
	v := w.f64[row]
	return math.IsNaN(v) || math.IsInf(v, 0)
}

// Append appends the text of row in the writer's flavor.
func (w *ValueWriter) Append(dst []byte, row int) []byte {
	if w.arr.IsNull(row) {
		switch w.flavor {
		case CopyText:
			return append(dst, `\N`...)
		case MySQLLiteral:
			return append(dst, "NULL"...)
		}
		return dst
	}
	switch w.id {
	case catalog.Boolean:
		if w.bools.Value(row) {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case catalog.Int:
		return strconv.AppendInt(dst, int64(w.i32[row]), 10)
	case catalog.BigInt:
		return strconv.AppendInt(dst, w.i64[row], 10)
	case catalog.Double:
		return appendFloat(dst, w.f64[row])
	case catalog.Decimal:
		return sqlval.AppendDecimal(dst, w.dec[row], w.scale)
	case catalog.Varchar:
		return w.appendString(dst, w.str.Value(row))
	case catalog.Date:
		return w.quoted(dst, func(d []byte) []byte { return sqlval.AppendDate(d, int64(w.date[row])) })
	case catalog.Timestamp:
		return w.quoted(dst, func(d []byte) []byte { return sqlval.AppendTimestamp(d, int64(w.ts[row]), sqlval.FracMillis) })
	}
	return dst
}

func (w *ValueWriter) quoted(dst []byte, f func([]byte) []byte) []byte {
	if w.flavor != MySQLLiteral {
		return f(dst)
	}
	return append(f(append(dst, '\'')), '\'')
}

func (w *ValueWriter) appendString(dst []byte, s string) []byte {
	switch w.flavor {
	case CopyText:
		for i := 0; i < len(s); i++ {
			switch c := s[i]; c {
			case '\\':
				dst = append(dst, '\\', '\\')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			default:
				dst = append(dst, c)
			}
		}
		return dst
	case MySQLLiteral:
		if s == "" {
			return append(dst, "''"...)
		}
		dst = append(dst, "_utf8mb4 X'"...)
		n := len(dst)
		dst = append(dst, make([]byte, hex.EncodedLen(len(s)))...)
		hex.Encode(dst[n:], []byte(s))
		return append(dst, '\'')
	}
	return append(dst, s...)
}

func appendFloat(dst []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, "NaN"...)
	case math.IsInf(v, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(v, -1):
		return append(dst, "-Infinity"...)
	}
	return strconv.AppendFloat(dst, v, 'g', -1, 64)
}
