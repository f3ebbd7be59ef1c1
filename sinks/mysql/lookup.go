package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sinks/sqlsink"
)

// lookupMaxKeys bounds the distinct keys of one lookup query.
const lookupMaxKeys = 1000

// fetcher runs lookup queries with the keys as literals (so the text
// protocol returns every value as text).
type fetcher struct {
	db     *sql.DB
	table  string
	head   string // SELECT cols FROM t WHERE (keys) IN (
	types  []catalog.Type
	single bool
	buf    []byte
	cells  [][]byte
	dest   []any
}

// OpenLookup opens the MySQL table named by t's options as a lookup table
// keyed by keyCols (exec.LookupFactory). Every declared column must exist
// in the table.
func OpenLookup(ctx context.Context, t *catalog.Table, keyCols []int) (exec.LookupTable, error) {
	lt, err := openLookup(ctx, t, keyCols)
	if err != nil && transient(err) {
		// A database that is down or restarting: the runner retries.
		return nil, sqlsink.Retry(err)
	}
	return lt, err
}

func openLookup(ctx context.Context, t *catalog.Table, keyCols []int) (exec.LookupTable, error) {
	o, err := sqlsink.ParseOptions(Connector, t.Name, t.Options)
	if err != nil {
		return nil, err
	}
	if err := checkTypes(t.Schema); err != nil {
		return nil, fmt.Errorf("table %s: %w", t.Name, err)
	}
	db, err := openDB(o.DSN)
	if err != nil {
		return nil, fmt.Errorf("table %s: %w", t.Name, err)
	}
	have, err := tableColumns(ctx, db, o.Table)
	if err == nil && len(have) == 0 {
		err = fmt.Errorf("table %s does not exist", o.Table)
	}
	var names []string
	if err == nil {
		names, err = matchColumns(o.Table, have, t.Schema, nil)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("table %s: %w", t.Name, err)
	}
	f := &fetcher{db: db, table: o.Table, single: len(keyCols) == 1}
	sel := make([]string, len(names))
	for i, n := range names {
		sel[i] = quoteIdent(n)
	}
	var keys []string
	for _, k := range keyCols {
		if k < 0 || k >= len(names) {
			db.Close()
			return nil, fmt.Errorf("table %s: lookup key column %d out of range", t.Name, k)
		}
		keys = append(keys, quoteIdent(names[k]))
		f.types = append(f.types, t.Schema.Columns[k].Type)
	}
	if f.single {
		f.head = fmt.Sprintf("SELECT %s FROM %s WHERE %s IN (", strings.Join(sel, ", "), quoteName(o.Table), keys[0])
	} else {
		f.head = fmt.Sprintf("SELECT %s FROM %s WHERE (%s) IN (", strings.Join(sel, ", "), quoteName(o.Table), strings.Join(keys, ", "))
	}
	f.cells = make([][]byte, len(names))
	f.dest = make([]any, len(names))
	for i := range f.dest {
		f.dest[i] = (*sql.RawBytes)(&f.cells[i])
	}
	l, err := sqlsink.NewLookup(t, keyCols, f, lookupMaxKeys)
	if err != nil {
		db.Close()
		return nil, err
	}
	return l, nil
}

// Fetch implements sqlsink.Fetcher. The pool retries a broken connection
// before the query is sent; a failure after that wraps exec.ErrRetry when
// transient.
func (f *fetcher) Fetch(ctx context.Context, keys arrow.RecordBatch, row func([][]byte) error) error {
	n := int(keys.NumRows())
	ws := make([]sqlsink.ValueWriter, len(f.types))
	for j := range f.types {
		w, err := sqlsink.NewValueWriter(keys.Column(j), f.types[j], sqlsink.MySQLLiteral)
		if err != nil {
			return err
		}
		ws[j] = w
	}
	buf := append(f.buf[:0], f.head...)
	for i := range n {
		if i > 0 {
			buf = append(buf, ", "...)
		}
		if !f.single {
			buf = append(buf, '(')
		}
		for j := range ws {
			if j > 0 {
				buf = append(buf, ", "...)
			}
			buf = ws[j].Append(buf, i)
		}
		if !f.single {
			buf = append(buf, ')')
		}
	}
	buf = append(buf, ')')
	f.buf = buf
	rows, err := f.db.QueryContext(ctx, string(buf))
	if err != nil {
		return fail(fmt.Errorf("table %s: %w", f.table, err))
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(f.dest...); err != nil {
			return fail(fmt.Errorf("table %s: %w", f.table, err))
		}
		if err := row(f.cells); err != nil {
			return fmt.Errorf("table %s: %w", f.table, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fail(fmt.Errorf("table %s: %w", f.table, err))
	}
	return nil
}

// Close implements sqlsink.Fetcher.
func (f *fetcher) Close() error { return f.db.Close() }
