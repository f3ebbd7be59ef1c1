package duckdb

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
	"github.com/sqlstream/sqlstream/sinks/render"
)

// QuoteIdent quotes a DuckDB identifier: "name" with " doubled.
func QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// SQLType returns the DuckDB column type of a catalog type. TIMESTAMP(3)
// values (milliseconds) are stored as DuckDB's TIMESTAMP (microseconds) so
// users see an ordinary timestamp. An untyped NULL column is INTEGER, as in
// DuckDB's own CREATE TABLE AS.
func SQLType(t catalog.Type) (string, error) {
	switch t.ID {
	case catalog.Null, catalog.Int:
		return "INTEGER", nil
	case catalog.Boolean:
		return "BOOLEAN", nil
	case catalog.BigInt:
		return "BIGINT", nil
	case catalog.Double:
		return "DOUBLE", nil
	case catalog.Decimal:
		if t.Precision < 1 || t.Precision > catalog.MaxDecimalPrecision || t.Scale < 0 || t.Scale > t.Precision {
			return "", fmt.Errorf("DECIMAL(%d,%d) is out of range", t.Precision, t.Scale)
		}
		return fmt.Sprintf("DECIMAL(%d,%d)", t.Precision, t.Scale), nil
	case catalog.Varchar:
		return "VARCHAR", nil
	case catalog.Date:
		return "DATE", nil
	case catalog.Timestamp:
		return "TIMESTAMP", nil
	case catalog.Interval:
		return "INTERVAL", nil
	}
	return "", fmt.Errorf("no DuckDB type for %s", t)
}

// createTableSQL is CREATE OR REPLACE TABLE name (...) with an optional
// primary key.
func createTableSQL(name string, schema catalog.Schema, pk []int) (string, error) {
	var b strings.Builder
	b.WriteString("CREATE OR REPLACE TABLE ")
	b.WriteString(QuoteIdent(name))
	b.WriteString(" (")
	for i, c := range schema.Columns {
		typ, err := SQLType(c.Type)
		if err != nil {
			return "", fmt.Errorf("column %s: %w", c.Name, err)
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(QuoteIdent(c.Name) + " " + typ)
		if c.NotNull {
			b.WriteString(" NOT NULL")
		}
	}
	if len(pk) > 0 {
		b.WriteString(", PRIMARY KEY (")
		for i, k := range pk {
			if k < 0 || k >= schema.Len() {
				return "", fmt.Errorf("primary key column %d out of range", k)
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(QuoteIdent(schema.Columns[k].Name))
		}
		b.WriteString(")")
	}
	b.WriteString(")")
	return b.String(), nil
}

// literalSQL renders a constant-folded literal as DuckDB SQL of type t.
func literalSQL(l *scalar.Literal, t catalog.Type) (string, error) {
	typ, err := SQLType(t)
	if err != nil {
		return "", err
	}
	var lit string
	switch v := l.Value.(type) {
	case nil:
		lit = "NULL"
	case bool:
		lit = strings.ToUpper(strconv.FormatBool(v))
	case int64:
		lit = strconv.FormatInt(v, 10)
	case int32:
		if l.T.ID == catalog.Date {
			lit = "DATE '" + string(render.AppendDate(nil, int64(v))) + "'"
		} else {
			lit = strconv.FormatInt(int64(v), 10)
		}
	case float64:
		lit = "'" + string(render.AppendFloat(nil, v, 64)) + "'::DOUBLE"
	case decimal128.Num:
		lit = fmt.Sprintf("'%s'::DECIMAL(38,%d)", render.AppendDecimal(nil, v, l.T.Scale), l.T.Scale)
	case string:
		lit = "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case scalar.IntervalValue:
		lit = fmt.Sprintf("(INTERVAL %d MONTH + INTERVAL %d MILLISECOND)", v.Months, v.Millis)
	default:
		return "", fmt.Errorf("unsupported literal %v of type %s", l.Value, l.T)
	}
	if l.T.ID == catalog.Timestamp && l.Value != nil {
		ms, ok := l.Value.(int64)
		if !ok {
			return "", fmt.Errorf("TIMESTAMP literal holds %T, want int64 milliseconds", l.Value)
		}
		lit = "TIMESTAMP '" + string(render.AppendTimestampMillis(nil, ms)) + "'"
	}
	return "CAST(" + lit + " AS " + typ + ")", nil
}
