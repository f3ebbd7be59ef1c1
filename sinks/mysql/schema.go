package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/sinks/sqlsink"
)

// quoteIdent quotes a MySQL identifier.
func quoteIdent(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }

// quoteName quotes a possibly database-qualified name.
func quoteName(name string) string {
	db, table := sqlsink.SplitName(name)
	if db == "" {
		return quoteIdent(table)
	}
	return quoteIdent(db) + "." + quoteIdent(table)
}

// keyVarcharLength is the length of an unbounded VARCHAR key column in
// a created table (InnoDB keys hold at most 3072 bytes).
const keyVarcharLength = 255

// myType is the MySQL type of a catalog type; key columns need a bounded
// VARCHAR.
func myType(t catalog.Type, key bool) (string, error) {
	switch t.ID {
	case catalog.Boolean:
		return "BOOLEAN", nil
	case catalog.Int:
		return "INT", nil
	case catalog.BigInt:
		return "BIGINT", nil
	case catalog.Double:
		return "DOUBLE", nil
	case catalog.Decimal:
		return fmt.Sprintf("DECIMAL(%d,%d)", t.Precision, t.Scale), nil
	case catalog.Varchar:
		switch {
		case t.Length > 0:
			return fmt.Sprintf("VARCHAR(%d)", t.Length), nil
		case key:
			return fmt.Sprintf("VARCHAR(%d)", keyVarcharLength), nil
		}
		return "LONGTEXT", nil
	case catalog.Date:
		return "DATE", nil
	case catalog.Timestamp:
		return "DATETIME(3)", nil
	}
	return "", fmt.Errorf("type %s has no MySQL column type", t)
}

// checkTypes rejects column types MySQL cannot store.
func checkTypes(schema catalog.Schema) error {
	for _, c := range schema.Columns {
		if _, err := myType(c.Type, false); err != nil {
			return fmt.Errorf("column %s: %w", c.Name, err)
		}
	}
	return nil
}

// dbColumn is a column of an existing table as information_schema tells.
type dbColumn struct {
	name, dataType, columnType string
	precision, scale, dtPrec   sql.NullInt64
}

// ColumnName implements sqlsink.TableColumn.
func (c dbColumn) ColumnName() string { return c.name }

// TypeText implements sqlsink.TableColumn: the full column type.
func (c dbColumn) TypeText() string { return c.columnType }

// Holds implements sqlsink.TableColumn: whether the column stores every
// value of t exactly.
func (c dbColumn) Holds(t catalog.Type) bool {
	unsigned := strings.Contains(c.columnType, "unsigned")
	switch t.ID {
	case catalog.Boolean:
		return c.dataType == "tinyint"
	case catalog.Int:
		return (c.dataType == "int" || c.dataType == "bigint") && !unsigned
	case catalog.BigInt:
		return c.dataType == "bigint" && !unsigned
	case catalog.Double:
		return c.dataType == "double"
	case catalog.Decimal:
		return c.dataType == "decimal" && c.scale.Valid && c.precision.Valid && int32(c.scale.Int64) == t.Scale &&
			int32(c.precision.Int64-c.scale.Int64) >= t.Precision-t.Scale
	case catalog.Varchar:
		switch c.dataType {
		case "varchar", "tinytext", "text", "mediumtext", "longtext":
			return true
		}
		return false
	case catalog.Date:
		return c.dataType == "date"
	case catalog.Timestamp:
		return c.dataType == "datetime" && c.dtPrec.Valid && c.dtPrec.Int64 >= 3
	}
	return false
}

// tableColumns reads the columns of table name (nil when it does not
// exist).
func tableColumns(ctx context.Context, db *sql.DB, name string) ([]dbColumn, error) {
	schema, table := sqlsink.SplitName(name)
	rows, err := db.QueryContext(ctx, `SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION
		FROM information_schema.COLUMNS
		WHERE TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE()) AND TABLE_NAME = ?
		ORDER BY ORDINAL_POSITION`, schema, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dbColumn
	for rows.Next() {
		var c dbColumn
		if err := rows.Scan(&c.name, &c.dataType, &c.columnType, &c.precision, &c.scale, &c.dtPrec); err != nil {
			return nil, err
		}
		c.dataType, c.columnType = strings.ToLower(c.dataType), strings.ToLower(c.columnType)
		out = append(out, c)
	}
	return out, rows.Err()
}

// uniqueKeys lists the lower-cased, sorted column sets of the table's
// unique indexes.
func uniqueKeys(ctx context.Context, db *sql.DB, name string) ([][]string, error) {
	schema, table := sqlsink.SplitName(name)
	rows, err := db.QueryContext(ctx, `SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS
		WHERE TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE()) AND TABLE_NAME = ? AND NON_UNIQUE = 0 AND SUB_PART IS NULL`, schema, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byIndex := map[string][]string{}
	for rows.Next() {
		var idx, col string
		if err := rows.Scan(&idx, &col); err != nil {
			return nil, err
		}
		byIndex[idx] = append(byIndex[idx], strings.ToLower(col))
	}
	var out [][]string
	for _, cols := range byIndex {
		sort.Strings(cols)
		out = append(out, cols)
	}
	return out, rows.Err()
}

// prepareTable checks (or creates) the sink's table and returns the
// table's own spelling of each sink column.
func prepareTable(ctx context.Context, db *sql.DB, sink, table string, create bool, schema catalog.Schema, key []int) ([]string, error) {
	have, err := tableColumns(ctx, db, table)
	if err != nil {
		return nil, fmt.Errorf("read columns of table %s: %w", table, err)
	}
	if len(have) == 0 {
		if !create {
			return nil, fmt.Errorf("table %s does not exist (set 'sink.create-table' = 'true' to create it)", table)
		}
		if _, err := db.ExecContext(ctx, createSQL(table, schema, key)); err != nil {
			return nil, fmt.Errorf("create table %s: %w", table, err)
		}
		if have, err = tableColumns(ctx, db, table); err != nil {
			return nil, fmt.Errorf("read columns of table %s: %w", table, err)
		}
	}
	names, err := matchColumns(table, have, schema, key)
	if err != nil || len(key) == 0 {
		return names, err
	}
	keys, err := uniqueKeys(ctx, db, table)
	if err != nil {
		return nil, fmt.Errorf("read unique indexes of table %s: %w", table, err)
	}
	if err := sqlsink.MatchKey(sink, table, names, key, keys, true); err != nil {
		return nil, err
	}
	return names, nil
}

// createSQL is the CREATE TABLE of a sink's table.
func createSQL(table string, schema catalog.Schema, key []int) string {
	return sqlsink.CreateTableSQL(quoteName(table), schema, key, quoteIdent, func(i int, isKey bool) string {
		t, _ := myType(schema.Columns[i].Type, isKey) // checked by checkTypes
		return t
	}, " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin")
}

// matchColumns finds every sink column in the table (MySQL column names
// are case-insensitive) and checks its type.
func matchColumns(table string, have []dbColumn, schema catalog.Schema, key []int) ([]string, error) {
	isKey := map[int]bool{}
	for _, k := range key {
		isKey[k] = true
	}
	return sqlsink.MatchColumns(table, have, schema, func(i int) string {
		t, _ := myType(schema.Columns[i].Type, isKey[i])
		return t
	})
}

// ensureEpochTable creates the marker table unless it exists.
func ensureEpochTable(ctx context.Context, db *sql.DB, table string) error {
	_, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+quoteName(table)+
		" (sink VARCHAR(255) NOT NULL PRIMARY KEY, epoch BIGINT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin")
	if err != nil {
		return fmt.Errorf("create epoch table %s: %w", table, err)
	}
	return nil
}
