package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/jackc/pgx/v5"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sinks/sqlsink"
)

// lookupMaxKeys bounds the distinct keys of one lookup query.
const lookupMaxKeys = 10000

// fetcher runs lookup queries over one connection, reopened when a
// failure dropped it.
type fetcher struct {
	cfg   *pgx.ConnConfig
	conn  *pgx.Conn
	table string
	query string
	types []catalog.Type // of the key columns
	args  []any
	vals  [][]string
	buf   []byte
}

// OpenLookup opens the PostgreSQL table named by t's options as a lookup
// table keyed by keyCols (exec.LookupFactory). Every declared column must
// exist in the table.
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
	cfg, err := connConfig(o.DSN)
	if err != nil {
		return nil, fmt.Errorf("table %s: %w", t.Name, err)
	}
	if err := checkTypes(t.Schema); err != nil {
		return nil, fmt.Errorf("table %s: %w", t.Name, err)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("table %s: connect to %s: %w", t.Name, redact(o.DSN), err)
	}
	have, err := tableColumns(ctx, conn, o.Table)
	if err == nil && len(have) == 0 {
		err = fmt.Errorf("table %s does not exist", o.Table)
	}
	var names []string
	if err == nil {
		names, err = matchColumns(o.Table, have, t.Schema)
	}
	if err != nil {
		conn.Close(ctx)
		return nil, fmt.Errorf("table %s: %w", t.Name, err)
	}
	f := &fetcher{cfg: cfg, conn: conn, table: o.Table}
	for _, k := range keyCols {
		if k < 0 || k >= len(t.Schema.Columns) {
			conn.Close(ctx)
			return nil, fmt.Errorf("table %s: lookup key column %d out of range", t.Name, k)
		}
		f.types = append(f.types, t.Schema.Columns[k].Type)
	}
	f.query = lookupSQL(quoteName(o.Table), names, keyCols, t.Schema)
	f.args = make([]any, len(keyCols))
	f.vals = make([][]string, len(keyCols))
	l, err := sqlsink.NewLookup(t, keyCols, f, lookupMaxKeys)
	if err != nil {
		conn.Close(ctx)
		return nil, err
	}
	return l, nil
}

// lookupSQL selects every column as text for the keys given as text
// arrays, one per key column, cast to the key columns' types.
func lookupSQL(table string, names []string, keyCols []int, schema catalog.Schema) string {
	sel := make([]string, len(names))
	for i, n := range names {
		sel[i] = "t." + quoteIdent(n) + "::text"
	}
	var tk, casts, arrays, alias []string
	for j, k := range keyCols {
		typ, _ := pgType(schema.Columns[k].Type)
		tk = append(tk, "t."+quoteIdent(names[k]))
		casts = append(casts, fmt.Sprintf("CAST(u.k%d AS %s)", j, typ))
		arrays = append(arrays, fmt.Sprintf("$%d::text[]", j+1))
		alias = append(alias, fmt.Sprintf("k%d", j))
	}
	return fmt.Sprintf("SELECT %s FROM %s AS t WHERE (%s) IN (SELECT %s FROM unnest(%s) AS u(%s))",
		strings.Join(sel, ", "), table, strings.Join(tk, ", "), strings.Join(casts, ", "),
		strings.Join(arrays, ", "), strings.Join(alias, ", "))
}

// Fetch implements sqlsink.Fetcher. A connection failure is retried once
// on a new connection, then reported wrapping exec.ErrRetry.
func (f *fetcher) Fetch(ctx context.Context, keys arrow.RecordBatch, row func([][]byte) error) error {
	n := int(keys.NumRows())
	for j := range f.types {
		w, err := sqlsink.NewValueWriter(keys.Column(j), f.types[j], sqlsink.PlainText)
		if err != nil {
			return err
		}
		vals := f.vals[j][:0]
		for i := range n {
			f.buf = w.Append(f.buf[:0], i)
			vals = append(vals, string(f.buf))
		}
		f.vals[j] = vals
		f.args[j] = vals
	}
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		var partial bool
		partial, err = f.run(ctx, row)
		if err == nil || !transient(err) && (f.conn == nil || !f.conn.IsClosed()) {
			return err
		}
		f.drop()
		if partial {
			break
		}
	}
	return sqlsink.Retry(fmt.Errorf("table %s: %w", f.table, err))
}

// run queries on the (re)opened connection; partial reports whether rows
// reached row before a failure (the query cannot then be repeated).
func (f *fetcher) run(ctx context.Context, row func([][]byte) error) (partial bool, err error) {
	if f.conn == nil || f.conn.IsClosed() {
		conn, err := pgx.ConnectConfig(ctx, f.cfg)
		if err != nil {
			return false, err
		}
		f.conn = conn
	}
	rows, err := f.conn.Query(ctx, f.query, f.args...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		partial = true
		if err := row(rows.RawValues()); err != nil {
			return true, fmt.Errorf("table %s: %w", f.table, err)
		}
	}
	return partial, rows.Err()
}

func (f *fetcher) drop() {
	if f.conn == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = f.conn.Close(ctx)
	f.conn = nil
}

// Close implements sqlsink.Fetcher.
func (f *fetcher) Close() error {
	f.drop()
	return nil
}
