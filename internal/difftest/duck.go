package difftest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/duckdb/duckdb-go/v2"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// DB is an in-memory DuckDB on one connection.
type DB struct {
	db   *sql.DB
	conn *sql.Conn
}

// Open starts an in-memory DuckDB. Close it when done.
func Open() (*DB, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, fmt.Errorf("difftest: open DuckDB: %w", err)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("difftest: DuckDB connection: %w", err)
	}
	return &DB{db: db, conn: conn}, nil
}

// Close closes the database.
func (d *DB) Close() error {
	err := d.conn.Close()
	if e := d.db.Close(); err == nil {
		err = e
	}
	return err
}

// Load creates table name with the columns and SQL types of s holding
// rows, moving them in as one Arrow batch.
func (d *DB) Load(name string, s catalog.Schema, rows []Row) error {
	changes := make([]Change, len(rows))
	for i, r := range rows {
		changes[i] = Change{Op: exec.Insert, Row: r}
	}
	b, err := ToBatch(s, changes, memory.DefaultAllocator)
	if err != nil {
		return fmt.Errorf("difftest: load %s: %w", name, err)
	}
	defer b.Release()
	return d.conn.Raw(func(dc any) error {
		ar, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		rdr, err := array.NewRecordReader(b.Rec.Schema(), []arrow.RecordBatch{b.Rec})
		if err != nil {
			return err
		}
		defer rdr.Release()
		release, err := ar.RegisterView(rdr, "difftest_src")
		if err != nil {
			return fmt.Errorf("difftest: load %s: %w", name, err)
		}
		defer release()
		q := fmt.Sprintf("CREATE OR REPLACE TABLE %s AS SELECT %s FROM difftest_src", quoteIdent(name), selectList(s))
		if _, err := dc.(driver.ExecerContext).ExecContext(context.Background(), q, nil); err != nil {
			return fmt.Errorf("difftest: load %s: %w", name, err)
		}
		return nil
	})
}

// selectList casts every column to its SQL type (Arrow timestamp[ms]
// arrives as TIMESTAMP_MS).
func selectList(s catalog.Schema) string {
	parts := make([]string, s.Len())
	for i, c := range s.Columns {
		q := quoteIdent(c.Name)
		parts[i] = q
		if c.Type.ID == catalog.Timestamp {
			parts[i] = "CAST(" + q + " AS TIMESTAMP) AS " + q
		}
	}
	return strings.Join(parts, ", ")
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// Exec runs a statement.
func (d *DB) Exec(q string) error {
	if _, err := d.conn.ExecContext(context.Background(), q); err != nil {
		return fmt.Errorf("difftest: %s: %w", q, err)
	}
	return nil
}

// Query runs q and returns its rows normalized (see the package doc), in
// DuckDB's order.
func (d *DB) Query(q string) ([]string, error) {
	rows, err := d.conn.QueryContext(context.Background(), q)
	if err != nil {
		return nil, fmt.Errorf("difftest: query %s: %w", q, err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(types))
	ptrs := make([]any, len(types))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []string
	parts := make([]string, len(types))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("difftest: scan %s: %w", q, err)
		}
		for i, v := range vals {
			parts[i] = formatDuck(types[i].DatabaseTypeName(), v)
		}
		out = append(out, strings.Join(parts, Sep))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("difftest: query %s: %w", q, err)
	}
	return out, nil
}

func formatDuck(typ string, v any) string {
	switch v := v.(type) {
	case duckdb.Decimal:
		return formatBigDecimal(v.Value, int32(v.Scale))
	case time.Time:
		if typ == "DATE" {
			return v.UTC().Format("2006-01-02")
		}
	}
	return formatScalar(v)
}

func formatBigDecimal(v *big.Int, scale int32) string {
	if v.IsInt64() || v.BitLen() < 127 {
		return trimDecimal(decimal128.FromBigInt(v).ToString(scale))
	}
	return "?" + v.String() + "e-" + fmt.Sprint(scale)
}
