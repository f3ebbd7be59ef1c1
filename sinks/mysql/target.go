package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	mysqldrv "github.com/go-sql-driver/mysql"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/sinks/sqlsink"
)

// statementBytes bounds one multi-row statement (and half the server's
// max_allowed_packet bounds it further).
const statementBytes = 4 << 20

// target writes a sink's epochs into one MySQL table (sqlsink.Target).
// The pool holds one connection and replaces it after a failure.
type target struct {
	db      *sql.DB
	sink    string
	table   string
	names   []string
	types   []catalog.Type
	key     []int // nil: keyless, plain inserts
	all     []int
	maxStmt int
	buf     []byte
	sql     statements
}

var _ sqlsink.Target = (*target)(nil)

// statements are the target's SQL, built once.
type statements struct {
	insert, upsertTail    string // INSERT INTO t (cols) VALUES | ON DUPLICATE KEY UPDATE ...
	delete, clear         string // DELETE FROM t WHERE (keys) IN (
	lock, mark, delivered string
}

// openDB opens a pool of one connection for dsn, with the settings the
// text protocol decoding relies on (no time parsing).
func openDB(dsn string) (*sql.DB, error) {
	cfg, err := mysqldrv.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("bad dsn %s: %w", redact(dsn), err)
	}
	cfg.ParseTime = false
	cfg.InterpolateParams = true
	cfg.Loc = time.UTC
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	conn, err := mysqldrv.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("bad dsn %s: %w", redact(dsn), err)
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	return db, nil
}

// redact hides a password in a DSN for messages.
func redact(dsn string) string {
	cfg, err := mysqldrv.ParseDSN(dsn)
	if err != nil || cfg.Passwd == "" {
		return dsn
	}
	return strings.Replace(dsn, ":"+cfg.Passwd+"@", ":***@", 1)
}

// openTarget connects, checks or creates the table and the marker table.
func openTarget(ctx context.Context, o sqlsink.Options, sink string, schema catalog.Schema, key []int) (*target, error) {
	if err := checkTypes(schema); err != nil {
		return nil, err
	}
	db, err := openDB(o.DSN)
	if err != nil {
		return nil, err
	}
	t := &target{db: db, sink: sink, table: o.Table, key: key, maxStmt: statementBytes}
	for i, c := range schema.Columns {
		t.names = append(t.names, c.Name)
		t.types = append(t.types, c.Type)
		t.all = append(t.all, i)
	}
	fail := func(err error) (*target, error) {
		db.Close()
		return nil, err
	}
	var packet int64
	if err := db.QueryRowContext(ctx, "SELECT @@max_allowed_packet").Scan(&packet); err != nil {
		return fail(fmt.Errorf("connect to %s: %w", redact(o.DSN), err))
	}
	t.maxStmt = int(min(int64(statementBytes), max(packet/2, 64<<10)))
	cols, err := prepareTable(ctx, db, sink, o.Table, o.CreateTable, schema, key)
	if err == nil {
		err = ensureEpochTable(ctx, db, o.EpochTable)
	}
	if err != nil {
		return fail(err)
	}
	t.sql = buildStatements(quoteName(o.Table), quoteName(o.EpochTable), cols, key)
	return t, nil
}

func buildStatements(table, epochs string, cols []string, key []int) statements {
	q := sqlsink.QuoteAll(cols, quoteIdent)
	var s statements
	s.insert = fmt.Sprintf("INSERT INTO %s (%s) VALUES ", table, strings.Join(q, ", "))
	s.clear = "DELETE FROM " + table
	s.lock, s.delivered, s.mark = sqlsink.MarkerSQL(epochs, "?", "?", "ON DUPLICATE KEY UPDATE epoch = VALUES(epoch)")
	if len(key) == 0 {
		return s
	}
	isKey := map[int]bool{}
	keys := make([]string, len(key))
	for j, k := range key {
		isKey[k] = true
		keys[j] = q[k]
	}
	var set []string
	for i := range q {
		if !isKey[i] {
			set = append(set, fmt.Sprintf("%s = VALUES(%s)", q[i], q[i]))
		}
	}
	if len(set) == 0 { // every column is a key column: nothing to update
		set = append(set, fmt.Sprintf("%s = %s", keys[0], keys[0]))
	}
	s.upsertTail = " ON DUPLICATE KEY UPDATE " + strings.Join(set, ", ")
	if len(keys) == 1 {
		s.delete = fmt.Sprintf("DELETE FROM %s WHERE %s IN (", table, keys[0])
	} else {
		s.delete = fmt.Sprintf("DELETE FROM %s WHERE (%s) IN (", table, strings.Join(keys, ", "))
	}
	return s
}

// fail classifies err: transient ones wrap exec.ErrRetry (the pool
// replaces a broken connection by itself).
func fail(err error) error {
	if err != nil && transient(err) {
		return sqlsink.Retry(err)
	}
	return err
}

// LastDelivered implements sqlsink.Target.
func (t *target) LastDelivered(ctx context.Context) (uint64, error) {
	var e int64
	err := t.db.QueryRowContext(ctx, t.sql.delivered, t.sink).Scan(&e)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, nil
	case err != nil:
		return 0, fail(err)
	}
	return uint64(e), nil
}

// Apply implements sqlsink.Target.
func (t *target) Apply(ctx context.Context, epoch uint64, ch *sqlsink.Changes) (bool, error) {
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fail(fmt.Errorf("table %s: begin: %w", t.table, err))
	}
	applied, err := t.apply(ctx, tx, epoch, ch)
	if err != nil || !applied {
		rerr := tx.Rollback()
		if err == nil && rerr != nil {
			err = fmt.Errorf("table %s: rollback: %w", t.table, rerr)
		}
		return false, fail(err)
	}
	if err := tx.Commit(); err != nil {
		return false, fail(fmt.Errorf("table %s: commit epoch %d: %w", t.table, epoch, err))
	}
	return true, nil
}

// apply runs the epoch's statements in tx.
func (t *target) apply(ctx context.Context, tx *sql.Tx, epoch uint64, ch *sqlsink.Changes) (bool, error) {
	var stored int64
	err := tx.QueryRowContext(ctx, t.sql.lock, t.sink).Scan(&stored)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("table %s: read epoch marker: %w", t.table, err)
	}
	if err == nil && stored >= 0 && uint64(stored) >= epoch {
		return false, nil
	}
	if ch.ReplaceAll {
		if _, err := tx.ExecContext(ctx, t.sql.clear); err != nil {
			return false, fmt.Errorf("table %s: delete: %w", t.table, err)
		}
	}
	if t.key != nil && len(t.key) > 0 && len(ch.Deletes) > 0 {
		if err := t.rows(ctx, tx, ch, ch.Deletes, t.key, t.sql.delete, ")", true); err != nil {
			return false, err
		}
	}
	if len(ch.Upserts) > 0 {
		tail := ""
		if len(t.key) > 0 {
			tail = t.sql.upsertTail
		}
		if err := t.rows(ctx, tx, ch, ch.Upserts, t.all, t.sql.insert, tail, false); err != nil {
			return false, err
		}
	}
	if _, err := tx.ExecContext(ctx, t.sql.mark, t.sink, int64(epoch)); err != nil {
		return false, fmt.Errorf("table %s: write epoch marker: %w", t.table, err)
	}
	return true, nil
}

// rows writes rows refs (columns cols) as multi-row statements head +
// tuples + tail of at most maxStmt bytes each. A delete with a single
// key column lists bare values instead of tuples.
func (t *target) rows(ctx context.Context, tx *sql.Tx, ch *sqlsink.Changes, refs []sqlsink.RowRef, cols []int, head, tail string, del bool) error {
	writers := make([][]sqlsink.ValueWriter, len(ch.Batches))
	for bi, b := range ch.Batches {
		ws := make([]sqlsink.ValueWriter, len(cols))
		for j, c := range cols {
			w, err := sqlsink.NewValueWriter(b.Rec.Column(c), t.types[c], sqlsink.MySQLLiteral)
			if err != nil {
				return fmt.Errorf("table %s: column %s: %w", t.table, t.names[c], err)
			}
			ws[j] = w
		}
		writers[bi] = ws
	}
	bare := del && len(cols) == 1
	for start := 0; start < len(refs); {
		buf := append(t.buf[:0], head...)
		end := start
		for end < len(refs) && (end == start || len(buf) < t.maxStmt) {
			ref := refs[end]
			ws := writers[ref.Batch]
			if end > start {
				buf = append(buf, ", "...)
			}
			if !bare {
				buf = append(buf, '(')
			}
			for j := range ws {
				if ws[j].NonFinite(int(ref.Row)) {
					return fmt.Errorf("table %s: column %s: MySQL cannot store NaN or infinity, in the row with %s",
						t.table, t.names[cols[j]], t.describe(ch, ref))
				}
				if j > 0 {
					buf = append(buf, ", "...)
				}
				buf = ws[j].Append(buf, int(ref.Row))
			}
			if !bare {
				buf = append(buf, ')')
			}
			end++
		}
		buf = append(buf, tail...)
		t.buf = buf
		if _, err := tx.ExecContext(ctx, string(buf)); err != nil {
			if transient(err) {
				return fmt.Errorf("table %s: %w", t.table, err)
			}
			if n := errorRow(err); n > 0 && start+n-1 < end {
				return fmt.Errorf("table %s: %w, in the row with %s", t.table, err, t.describe(ch, refs[start+n-1]))
			}
			return fmt.Errorf("table %s: %w", t.table, err)
		}
		start = end
	}
	return nil
}

// describe names a row by its key (every column when keyless).
func (t *target) describe(ch *sqlsink.Changes, ref sqlsink.RowRef) string {
	cols := t.key
	if len(cols) == 0 {
		cols = t.all
	}
	return sqlsink.DescribeRow(ch.Batches[ref.Batch], int(ref.Row), cols, t.names, t.types)
}

// Close implements sqlsink.Target.
func (t *target) Close() error { return t.db.Close() }
