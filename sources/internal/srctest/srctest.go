// Package srctest holds test helpers shared by the source connector tests:
// a schema mini-language and a text rendering of Arrow rows. It is imported only from _test files.
package srctest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/catalog/sqlval"
)

// ParseSchema parses "name TYPE [NOT NULL], ..." where TYPE is one of
// boolean, int, bigint, double, decimal(p,s), varchar, date, timestamp.
func ParseSchema(s string) (catalog.Schema, error) {
	var sch catalog.Schema
	for _, part := range splitTop(s) {
		f := strings.Fields(strings.TrimSpace(part))
		if len(f) < 2 {
			return sch, fmt.Errorf("bad column %q", part)
		}
		t, err := parseType(strings.ToLower(f[1]))
		if err != nil {
			return sch, err
		}
		notNull := len(f) >= 4 && strings.EqualFold(f[2], "not") && strings.EqualFold(f[3], "null")
		sch.Columns = append(sch.Columns, catalog.Column{Name: f[0], Type: t, NotNull: notNull})
	}
	return sch, nil
}

func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

func parseType(t string) (catalog.Type, error) {
	switch t {
	case "boolean":
		return catalog.BooleanType, nil
	case "int":
		return catalog.IntType, nil
	case "bigint":
		return catalog.BigIntType, nil
	case "double":
		return catalog.DoubleType, nil
	case "varchar", "text":
		return catalog.VarcharType, nil
	case "date":
		return catalog.DateType, nil
	case "timestamp", "timestamp(3)":
		return catalog.TimestampType, nil
	}
	var p, s int32
	if _, err := fmt.Sscanf(t, "decimal(%d,%d)", &p, &s); err == nil {
		return catalog.DecimalType(p, s), nil
	}
	return catalog.Type{}, fmt.Errorf("unknown type %q", t)
}

// Rows renders each row of rec as "v1 | v2 | ...", NULL as NULL.
func Rows(rec arrow.RecordBatch) []string {
	var out []string
	for r := 0; r < int(rec.NumRows()); r++ {
		vals := make([]string, rec.NumCols())
		for c := range vals {
			vals[c] = Value(rec.Column(c), r)
		}
		out = append(out, strings.Join(vals, " | "))
	}
	return out
}

// Value renders one value as the goldens print it.
func Value(a arrow.Array, r int) string {
	if a.IsNull(r) {
		return "NULL"
	}
	switch a := a.(type) {
	case *array.Boolean:
		return strconv.FormatBool(a.Value(r))
	case *array.Int32:
		return strconv.Itoa(int(a.Value(r)))
	case *array.Int64:
		return strconv.FormatInt(a.Value(r), 10)
	case *array.Float64:
		return strconv.FormatFloat(a.Value(r), 'g', -1, 64)
	case *array.Decimal128:
		return a.Value(r).ToString(a.DataType().(*arrow.Decimal128Type).Scale)
	case *array.String:
		return strconv.Quote(a.Value(r))
	case *array.Date32:
		return string(sqlval.AppendDate(nil, int64(a.Value(r))))
	case *array.Timestamp:
		return string(sqlval.AppendTimestamp(nil, int64(a.Value(r)), sqlval.FracMillis))
	}
	return a.ValueStr(r)
}
