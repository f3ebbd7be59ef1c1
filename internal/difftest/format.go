package difftest

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/sqlstream/sqlstream/catalog"
)

// Sep separates the values of a normalized row.
const Sep = " | "

// FormatRow normalizes a Row of schema s.
func FormatRow(s catalog.Schema, row Row) string {
	parts := make([]string, len(row))
	for c, v := range row {
		parts[c] = formatGo(s.Columns[c].Type, v)
	}
	return strings.Join(parts, Sep)
}

func formatGo(t catalog.Type, v any) string {
	if v == nil {
		return "NULL"
	}
	switch t.ID {
	case catalog.Decimal:
		return trimDecimal(v.(decimal128.Num).ToString(t.Scale))
	case catalog.Date:
		return formatDate(int64(v.(int32)))
	case catalog.Timestamp:
		return formatTimestamp(v.(int64))
	}
	return formatScalar(v)
}

// FormatArrowRow normalizes row i of rec.
func FormatArrowRow(rec arrow.RecordBatch, i int) string {
	parts := make([]string, rec.NumCols())
	for c, col := range rec.Columns() {
		parts[c] = FormatArrow(col, i)
	}
	return strings.Join(parts, Sep)
}

// FormatArrow normalizes the value at row i of a.
func FormatArrow(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return "NULL"
	}
	switch a := a.(type) {
	case *array.Decimal128:
		return trimDecimal(a.Value(i).ToString(a.DataType().(*arrow.Decimal128Type).Scale))
	case *array.Date32:
		return formatDate(int64(a.Value(i)))
	case *array.Timestamp:
		return formatTimestamp(int64(a.Value(i)))
	case *array.Boolean:
		return formatScalar(a.Value(i))
	case *array.Int32:
		return formatScalar(a.Value(i))
	case *array.Int64:
		return formatScalar(a.Value(i))
	case *array.Float64:
		return formatScalar(a.Value(i))
	case *array.String:
		return a.Value(i)
	}
	return a.ValueStr(i)
}

// formatScalar normalizes Go scalars as both Rows and DuckDB scans hold them.
func formatScalar(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case bool:
		return strconv.FormatBool(v)
	case int8:
		return strconv.FormatInt(int64(v), 10)
	case int16:
		return strconv.FormatInt(int64(v), 10)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case int64:
		return strconv.FormatInt(v, 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case float32:
		return formatDouble(float64(v))
	case float64:
		return formatDouble(v)
	case string:
		return v
	case *big.Int:
		return v.String()
	case time.Time:
		return v.UTC().Format("2006-01-02 15:04:05.000")
	}
	return "?" + strconv.Quote(fmt.Sprint(v))
}

// formatDouble keeps 9 significant digits, enough to absorb summation
// order while catching wrong results.
func formatDouble(f float64) string {
	if f == 0 {
		return "0"
	}
	if math.IsNaN(f) {
		return "NaN"
	}
	return strconv.FormatFloat(f, 'g', 9, 64)
}

// trimDecimal drops trailing fractional zeros: 1.500 → 1.5, 2.00 → 2.
func trimDecimal(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

func formatDate(days int64) string {
	return time.Unix(days*86400, 0).UTC().Format("2006-01-02")
}

func formatTimestamp(ms int64) string {
	return time.UnixMilli(ms).UTC().Format("2006-01-02 15:04:05.000")
}
