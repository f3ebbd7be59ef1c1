package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	duckdrv "github.com/duckdb/duckdb-go/v2"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// lookupRowColumn is the key-row index column of a registered key batch.
const lookupRowColumn = "__row"

// lookupTable answers batched lookups against a pipeline table. Each call
// takes a connection of the store's pool (never the store's write
// connection), registers the key batch as an Arrow view on it, joins it
// with the table and drops the view: it reads the table as last committed
// and never touches the pending write transaction. It holds no connection
// between calls, so closing the store never races with it.
type lookupTable struct {
	store  *Store
	name   string
	schema *arrow.Schema // table columns as exec expects them (catalog Arrow types)
	keys   []int
	cols   string // select list of the table columns, timestamps cast to ms
	mem    memory.Allocator
	closed atomic.Bool
}

var _ exec.LookupTable = (*lookupTable)(nil)

// lookupSeq numbers the key views of all lookups of the process.
var lookupSeq atomic.Int64

// Lookup opens a lookup over the pipeline table t keyed by keyCols (see
// exec.LookupTable). Rows come back in the table's catalog Arrow types:
// TIMESTAMP as timestamp[ms], INT as int32, DECIMAL(p,s) as decimal128.
func (s *Store) Lookup(t *catalog.Table, keyCols []int) (exec.LookupTable, error) {
	if len(keyCols) == 0 {
		return nil, fmt.Errorf("table %s: a lookup needs at least one key column", t.Name)
	}
	for _, k := range keyCols {
		if k < 0 || k >= t.Schema.Len() {
			return nil, fmt.Errorf("table %s: lookup key column %d out of range", t.Name, k)
		}
	}
	cols := make([]string, t.Schema.Len())
	for i, c := range t.Schema.Columns {
		cols[i] = "t." + QuoteIdent(c.Name)
		switch c.Type.ID {
		case catalog.Timestamp:
			cols[i] = "CAST(" + cols[i] + " AS TIMESTAMP_MS)"
		case catalog.Null:
			cols[i] = "CAST(" + cols[i] + " AS INTEGER)"
		}
	}
	return &lookupTable{
		store: s, name: t.Name, schema: t.Schema.Arrow(), keys: append([]int(nil), keyCols...),
		cols: strings.Join(cols, ", "), mem: memory.DefaultAllocator,
	}, nil
}

// Lookup implements exec.LookupTable.
func (l *lookupTable) Lookup(ctx context.Context, keys arrow.RecordBatch) (arrow.RecordBatch, []int32, error) {
	if l.closed.Load() {
		return nil, nil, fmt.Errorf("lookup %s: closed", l.name)
	}
	if int(keys.NumCols()) != len(l.keys) {
		return nil, nil, fmt.Errorf("lookup %s: %d key columns, want %d", l.name, keys.NumCols(), len(l.keys))
	}
	if keys.NumRows() == 0 {
		return l.empty(), nil, nil
	}
	conn, err := l.store.db.Conn(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("lookup %s: %w", l.name, err)
	}
	defer conn.Close()
	rows, keyRow, err := l.query(ctx, conn, keys)
	if err != nil {
		return nil, nil, fmt.Errorf("lookup %s: %w", l.name, err)
	}
	return rows, keyRow, nil
}

// Close implements exec.LookupTable.
func (l *lookupTable) Close() error {
	l.closed.Store(true)
	return nil
}

func (l *lookupTable) empty() arrow.RecordBatch {
	rec, _ := concatColumns(l.schema, make([][]arrow.Array, l.schema.NumFields()), 0, l.mem)
	return rec
}

// query registers keys (plus the __row index column) as a view on conn,
// joins it with the table, collects the result and drops the view.
func (l *lookupTable) query(ctx context.Context, conn *sql.Conn, keys arrow.RecordBatch) (arrow.RecordBatch, []int32, error) {
	reader, err := keyReader(keys, l.mem)
	if err != nil {
		return nil, nil, err
	}
	defer reader.Release()
	view := fmt.Sprintf("_sqlstream_keys_%d", lookupSeq.Add(1))
	var release func()
	err = conn.Raw(func(dc any) error {
		ar, err := duckdrv.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		release, err = ar.RegisterView(reader, view)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("register key view: %w", err)
	}
	defer release()
	var rows arrow.RecordBatch
	var keyRow []int32
	err = conn.Raw(func(dc any) error {
		ar, err := duckdrv.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		rows, keyRow, err = l.run(ctx, ar, view)
		return err
	})
	if _, derr := conn.ExecContext(ctx, "DROP VIEW IF EXISTS "+view); derr != nil && err == nil {
		err = derr
	}
	if err != nil {
		if rows != nil {
			rows.Release()
		}
		return nil, nil, err
	}
	return rows, keyRow, nil
}

// joinSQL is the lookup query over the key view.
func (l *lookupTable) joinSQL(view string) string {
	var on strings.Builder
	for i, k := range l.keys {
		if i > 0 {
			on.WriteString(" AND ")
		}
		fmt.Fprintf(&on, "t.%s = k.c%d", QuoteIdent(l.schemaName(k)), i)
	}
	return fmt.Sprintf("SELECT k.%s, %s FROM %s AS k JOIN %s AS t ON %s",
		lookupRowColumn, l.cols, view, QuoteIdent(l.name), on.String())
}

func (l *lookupTable) schemaName(col int) string { return l.schema.Field(col).Name }

// run executes the join and collects every chunk into one record batch of
// the table columns plus the key-row indices.
func (l *lookupTable) run(ctx context.Context, ar *duckdrv.Arrow, view string) (arrow.RecordBatch, []int32, error) {
	res, err := ar.QueryContext(ctx, l.joinSQL(view))
	if err != nil {
		return nil, nil, err
	}
	defer res.Release()
	var keyRow []int32
	chunks := make([][]arrow.Array, l.schema.NumFields())
	defer func() {
		for _, cs := range chunks {
			for _, c := range cs {
				c.Release()
			}
		}
	}()
	for res.Next() {
		rec := res.RecordBatch()
		if int(rec.NumCols()) != l.schema.NumFields()+1 {
			return nil, nil, fmt.Errorf("lookup query returned %d columns, want %d", rec.NumCols(), l.schema.NumFields()+1)
		}
		keyRow = append(keyRow, rec.Column(0).(*array.Int32).Int32Values()...)
		for i := range chunks {
			c := rec.Column(i + 1)
			if !arrow.TypeEqual(c.DataType(), l.schema.Field(i).Type) {
				return nil, nil, fmt.Errorf("column %s came back as %s, want %s", l.schema.Field(i).Name, c.DataType(), l.schema.Field(i).Type)
			}
			c.Retain()
			chunks[i] = append(chunks[i], c)
		}
	}
	if err := res.Err(); err != nil {
		return nil, nil, err
	}
	rows, err := concatColumns(l.schema, chunks, len(keyRow), l.mem)
	return rows, keyRow, err
}

// keyReader wraps keys (columns renamed c0, c1, ...) with an int32 __row
// column numbering its rows, as a one-batch record reader.
func keyReader(keys arrow.RecordBatch, mem memory.Allocator) (array.RecordReader, error) {
	n := int(keys.NumRows())
	rb := array.NewInt32Builder(mem)
	defer rb.Release()
	rb.Reserve(n)
	for i := range n {
		rb.UnsafeAppend(int32(i))
	}
	idx := rb.NewArray()
	defer idx.Release()
	schema := positionalSchema(keys.Schema(), arrow.Field{Name: lookupRowColumn, Type: arrow.PrimitiveTypes.Int32})
	cols := append(append([]arrow.Array(nil), keys.Columns()...), idx)
	rec := array.NewRecordBatch(schema, cols, int64(n))
	defer rec.Release()
	return array.NewRecordReader(schema, []arrow.RecordBatch{rec})
}

// concatColumns joins the chunks of every column into one record batch
// allocated from mem (the chunks live in DuckDB's memory until released).
func concatColumns(schema *arrow.Schema, chunks [][]arrow.Array, n int, mem memory.Allocator) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, len(chunks))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, cs := range chunks {
		if len(cs) == 0 {
			cols[i] = array.MakeArrayOfNull(mem, schema.Field(i).Type, 0)
			continue
		}
		c, err := array.Concatenate(cs, mem)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", schema.Field(i).Name, err)
		}
		cols[i] = c
	}
	return array.NewRecordBatch(schema, cols, int64(n)), nil
}
