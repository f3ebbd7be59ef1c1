package exectest

import (
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/sqlstream/sqlstream/catalog/sqlval"
	"github.com/sqlstream/sqlstream/exec"
)

// FormatBatch renders each row of b as a line `<op> <v1> <v2> ...`, in the
// syntax ParseBatch reads.
func FormatBatch(b exec.Batch) []string {
	n := b.NumRows()
	out := make([]string, n)
	var sb strings.Builder
	for r := 0; r < n; r++ {
		sb.Reset()
		sb.WriteString(b.Op(r).String())
		for _, col := range b.Rec.Columns() {
			sb.WriteByte(' ')
			sb.WriteString(FormatValue(col, r))
		}
		out[r] = sb.String()
	}
	return out
}

// FormatValue renders row r of a: NULL, numbers as SQL prints them, strings
// quoted when they hold spaces or quotes or could be read as NULL,
// timestamps as '2006-01-02 15:04:05.000'.
func FormatValue(a arrow.Array, r int) string {
	if a.IsNull(r) {
		return "NULL"
	}
	switch a := a.(type) {
	case *array.Boolean:
		return strconv.FormatBool(a.Value(r))
	case *array.Int32:
		return strconv.FormatInt(int64(a.Value(r)), 10)
	case *array.Int64:
		return strconv.FormatInt(a.Value(r), 10)
	case *array.Float64:
		return strconv.FormatFloat(a.Value(r), 'g', -1, 64)
	case *array.Decimal128:
		return a.Value(r).ToString(a.DataType().(*arrow.Decimal128Type).Scale)
	case *array.String:
		return quote(a.Value(r))
	case *array.Date32:
		return string(sqlval.AppendDate(nil, int64(a.Value(r))))
	case *array.Timestamp:
		return FormatTimestamp(int64(a.Value(r)))
	case *array.MonthDayNanoInterval:
		v := a.Value(r)
		return strconv.Itoa(int(v.Months)) + "mon" + strconv.Itoa(int(v.Days)) + "d" + strconv.FormatInt(v.Nanoseconds, 10) + "ns"
	}
	return a.ValueStr(r)
}

// FormatTimestamp renders epoch milliseconds as a quoted golden timestamp.
func FormatTimestamp(ms int64) string {
	return "'" + string(sqlval.AppendTimestamp(nil, ms, sqlval.FracMillis)) + "'"
}

func quote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'") && !strings.EqualFold(s, "NULL") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
