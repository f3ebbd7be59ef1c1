package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/sinks/sqlsink"
)

// quoteIdent quotes a PostgreSQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// quoteName quotes a possibly schema-qualified name.
func quoteName(name string) string {
	schema, table := sqlsink.SplitName(name)
	if schema == "" {
		return quoteIdent(table)
	}
	return quoteIdent(schema) + "." + quoteIdent(table)
}

// pgType is the PostgreSQL type of a catalog type.
func pgType(t catalog.Type) (string, error) {
	switch t.ID {
	case catalog.Boolean:
		return "BOOLEAN", nil
	case catalog.Int:
		return "INTEGER", nil
	case catalog.BigInt:
		return "BIGINT", nil
	case catalog.Double:
		return "DOUBLE PRECISION", nil
	case catalog.Decimal:
		return fmt.Sprintf("NUMERIC(%d,%d)", t.Precision, t.Scale), nil
	case catalog.Varchar:
		if t.Length > 0 {
			return fmt.Sprintf("VARCHAR(%d)", t.Length), nil
		}
		return "TEXT", nil
	case catalog.Date:
		return "DATE", nil
	case catalog.Timestamp:
		return "TIMESTAMP(3)", nil
	}
	return "", fmt.Errorf("type %s has no PostgreSQL column type", t)
}

// dbColumn is a column of an existing table as information_schema tells.
type dbColumn struct {
	name, dataType  string
	precision, scal *int32
	dtPrecision     *int32
}

// ColumnName implements sqlsink.TableColumn.
func (c dbColumn) ColumnName() string { return c.name }

// Holds implements sqlsink.TableColumn: whether the column stores every
// value of t exactly.
func (c dbColumn) Holds(t catalog.Type) bool {
	switch t.ID {
	case catalog.Boolean:
		return c.dataType == "boolean"
	case catalog.Int:
		return c.dataType == "integer" || c.dataType == "bigint"
	case catalog.BigInt:
		return c.dataType == "bigint"
	case catalog.Double:
		return c.dataType == "double precision"
	case catalog.Decimal:
		if c.dataType != "numeric" {
			return false
		}
		if c.precision == nil { // unconstrained NUMERIC
			return true
		}
		return c.scal != nil && *c.scal == t.Scale && *c.precision-*c.scal >= t.Precision-t.Scale
	case catalog.Varchar:
		return c.dataType == "text" || c.dataType == "character varying"
	case catalog.Date:
		return c.dataType == "date"
	case catalog.Timestamp:
		return c.dataType == "timestamp without time zone" && (c.dtPrecision == nil || *c.dtPrecision >= 3)
	}
	return false
}

// TypeText implements sqlsink.TableColumn: the type with its precision
// and scale.
func (c dbColumn) TypeText() string {
	switch {
	case c.dataType == "numeric" && c.precision != nil && c.scal != nil:
		return fmt.Sprintf("numeric(%d,%d)", *c.precision, *c.scal)
	case strings.HasPrefix(c.dataType, "timestamp") && c.dtPrecision != nil:
		return fmt.Sprintf("%s(%d)", c.dataType, *c.dtPrecision)
	}
	return c.dataType
}

// tableColumns reads the columns of table name (nil when it does not
// exist).
func tableColumns(ctx context.Context, conn *pgx.Conn, name string) ([]dbColumn, error) {
	schema, table := sqlsink.SplitName(name)
	rows, err := conn.Query(ctx, `SELECT column_name::text, data_type::text, numeric_precision::int4, numeric_scale::int4, datetime_precision::int4
		FROM information_schema.columns
		WHERE table_schema = COALESCE(NULLIF($1, ''), current_schema()) AND table_name = $2
		ORDER BY ordinal_position`, schema, table)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (dbColumn, error) {
		var c dbColumn
		err := r.Scan(&c.name, &c.dataType, &c.precision, &c.scal, &c.dtPrecision)
		return c, err
	})
}

// uniqueKeys lists the column sets (sorted) of the table's unique indexes.
func uniqueKeys(ctx context.Context, conn *pgx.Conn, name string) ([][]string, error) {
	rows, err := conn.Query(ctx, `SELECT array_agg(a.attname::text ORDER BY a.attname::text)
		FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
		WHERE i.indrelid = $1::text::regclass AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
		GROUP BY i.indexrelid`, quoteName(name))
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[[]string])
}

// prepareTable checks (or creates) the sink's table and returns the
// table's own spelling of each sink column.
func prepareTable(ctx context.Context, conn *pgx.Conn, sink, table string, create bool, schema catalog.Schema, key []int) ([]string, error) {
	have, err := tableColumns(ctx, conn, table)
	if err != nil {
		return nil, fmt.Errorf("read columns of table %s: %w", table, err)
	}
	if len(have) == 0 {
		if !create {
			return nil, fmt.Errorf("table %s does not exist (set 'sink.create-table' = 'true' to create it)", table)
		}
		if _, err := conn.Exec(ctx, createSQL(table, schema, key)); err != nil {
			return nil, fmt.Errorf("create table %s: %w", table, err)
		}
		if have, err = tableColumns(ctx, conn, table); err != nil {
			return nil, fmt.Errorf("read columns of table %s: %w", table, err)
		}
	}
	names, err := matchColumns(table, have, schema)
	if err != nil {
		return nil, err
	}
	if len(key) == 0 {
		return names, nil
	}
	keys, err := uniqueKeys(ctx, conn, table)
	if err != nil {
		return nil, fmt.Errorf("read unique indexes of table %s: %w", table, err)
	}
	if err := sqlsink.MatchKey(sink, table, names, key, keys, false); err != nil {
		return nil, err
	}
	return names, nil
}

// createSQL is the CREATE TABLE of a sink's table.
func createSQL(table string, schema catalog.Schema, key []int) string {
	return sqlsink.CreateTableSQL(quoteName(table), schema, key, quoteIdent, func(i int, _ bool) string {
		t, _ := pgType(schema.Columns[i].Type) // checked by checkTypes
		return t
	}, "")
}

// matchColumns finds every sink column in the table (names compare
// case-insensitively when no exact match exists) and checks its type.
func matchColumns(table string, have []dbColumn, schema catalog.Schema) ([]string, error) {
	return sqlsink.MatchColumns(table, have, schema, func(i int) string {
		t, _ := pgType(schema.Columns[i].Type)
		return t
	})
}

// checkTypes rejects column types PostgreSQL cannot store.
func checkTypes(schema catalog.Schema) error {
	for _, c := range schema.Columns {
		if _, err := pgType(c.Type); err != nil {
			return fmt.Errorf("column %s: %w", c.Name, err)
		}
	}
	return nil
}

// ensureEpochTable creates the marker table unless it exists. Two
// pipelines creating it at once is harmless.
func ensureEpochTable(ctx context.Context, conn *pgx.Conn, table string) error {
	_, err := conn.Exec(ctx, "CREATE TABLE IF NOT EXISTS "+quoteName(table)+" (sink VARCHAR PRIMARY KEY, epoch BIGINT NOT NULL)")
	if err != nil && !isCode(err, "23505", "42P07") {
		return fmt.Errorf("create epoch table %s: %w", table, err)
	}
	return nil
}
