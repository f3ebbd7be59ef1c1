package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	duckdrv "github.com/duckdb/duckdb-go/v2"

	"github.com/sqlstream/sqlstream/sinks/render"
)

// Result is the outcome of Query: column names, and rows of Go values.
//
// Row values by column type: nil for NULL; bool; int64 for every signed
// integer type, uint64 for unsigned ones; float64; Decimal; string
// (VARCHAR); []byte (BLOB); time.Time in UTC for DATE and TIMESTAMP;
// arrow.MonthDayNanoInterval for INTERVAL; any other type (lists, structs,
// ...) as its text.
type Result struct {
	Columns []string
	// Types are the Arrow types DuckDB returned the columns as.
	Types []arrow.DataType
	Rows  [][]any

	text  [][]string // rendered values ("" for NULL, see Rows)
	jsons [][]string // rendered JSON values
}

// Decimal is an exact decimal value: Unscaled × 10^-Scale.
type Decimal struct {
	Unscaled decimal128.Num
	Scale    int32
}

// String renders the exact digits: 2.50, -0.05.
func (d Decimal) String() string { return string(render.AppendDecimal(nil, d.Unscaled, d.Scale)) }

// Text returns the rendered value of a cell, and false for NULL.
func (r *Result) Text(row, col int) (string, bool) {
	return r.text[row][col], r.Rows[row][col] != nil
}

// Query runs query against the DuckDB file at path, opened read-only, and
// returns the whole result. It fails when another process holds the file
// open for writing (DuckDB's single-writer lock; see the package doc).
func Query(ctx context.Context, path, query string) (*Result, error) {
	if path == "" || path == ":memory:" {
		return nil, errors.New("query: a database file is required (--db)")
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	connector, err := duckdrv.NewConnector(path+"?access_mode=read_only", nil)
	if err != nil {
		return nil, fmt.Errorf("query: open %s read-only: %w", path, err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("query: open %s: %w", path, err)
	}
	defer conn.Close()
	res, err := queryConn(ctx, conn, query)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	return res, nil
}

// Query runs a read query on the open store, on its own connection, so it
// may run while the pipeline writes: it sees the last committed epoch.
func (s *Store) Query(ctx context.Context, query string) (*Result, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	defer conn.Close()
	res, err := queryConn(ctx, conn, query)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	return res, nil
}

// queryConn runs query on conn through DuckDB's Arrow interface.
func queryConn(ctx context.Context, conn *sql.Conn, query string) (*Result, error) {
	var res *Result
	err := conn.Raw(func(dc any) error {
		ar, err := duckdrv.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		reader, err := ar.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer reader.Release()
		res, err = collect(reader)
		return err
	})
	return res, err
}

// collect reads every batch of reader into a Result.
func collect(reader array.RecordReader) (*Result, error) {
	schema := reader.Schema()
	res := &Result{}
	for _, f := range schema.Fields() {
		res.Columns = append(res.Columns, f.Name)
		res.Types = append(res.Types, f.Type)
	}
	for reader.Next() {
		rec := reader.RecordBatch()
		cols := render.Columns(rec)
		for i := range int(rec.NumRows()) {
			row := make([]any, len(cols))
			text := make([]string, len(cols))
			jsons := make([]string, len(cols))
			for j, c := range cols {
				jsons[j] = string(c.AppendJSON(nil, i))
				if c.IsNull(i) {
					continue
				}
				text[j] = string(c.AppendText(nil, i))
				row[j] = goValue(rec.Column(j), i, text[j])
			}
			res.Rows = append(res.Rows, row)
			res.text = append(res.text, text)
			res.jsons = append(res.jsons, jsons)
		}
	}
	if err := reader.Err(); err != nil {
		return nil, err
	}
	return res, nil
}

// goValue converts a non-NULL cell to its Go value (see Result).
func goValue(arr arrow.Array, i int, text string) any {
	switch a := arr.(type) {
	case *array.Boolean:
		return a.Value(i)
	case *array.Int8:
		return int64(a.Value(i))
	case *array.Int16:
		return int64(a.Value(i))
	case *array.Int32:
		return int64(a.Value(i))
	case *array.Int64:
		return a.Value(i)
	case *array.Uint8:
		return uint64(a.Value(i))
	case *array.Uint16:
		return uint64(a.Value(i))
	case *array.Uint32:
		return uint64(a.Value(i))
	case *array.Uint64:
		return a.Value(i)
	case *array.Float32:
		return float64(a.Value(i))
	case *array.Float64:
		return a.Value(i)
	case *array.Decimal128:
		return Decimal{Unscaled: a.Value(i), Scale: a.DataType().(*arrow.Decimal128Type).Scale}
	case *array.String, *array.LargeString, *array.StringView:
		return text
	case *array.Binary:
		return append([]byte(nil), a.Value(i)...)
	case *array.Date32:
		return a.Value(i).ToTime()
	case *array.Timestamp:
		return a.Value(i).ToTime(a.DataType().(*arrow.TimestampType).Unit).UTC()
	case *array.MonthDayNanoInterval:
		return a.Value(i)
	}
	return text
}
