package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/sinks/sqlsink"
)

// Stage tables, temporary and per connection.
const (
	stageUps  = "_sqlstream_ups"
	stageDels = "_sqlstream_dels"
)

// target writes a sink's epochs into one PostgreSQL table (sqlsink.Target)
// over one connection, reopened after a transient failure.
type target struct {
	cfg   *pgx.ConnConfig
	conn  *pgx.Conn
	sink  string
	table string // as named in the options
	names []string
	types []catalog.Type
	key   []int // nil: keyless, plain inserts
	all   []int // every column index
	buf   []byte
	sql   statements
}

var _ sqlsink.Target = (*target)(nil)

// statements are the target's SQL, built once.
type statements struct {
	stageUps, stageDels   string // CREATE TEMP TABLE
	copyUps, copyDels     string // COPY into the stages
	merge, delete, clear  string
	copyTable             string // COPY straight into the table
	lock, mark, delivered string // marker
}

// openTarget connects, checks or creates the table and the marker table
// and prepares the stages.
func openTarget(ctx context.Context, o sqlsink.Options, sink string, schema catalog.Schema, key []int) (*target, error) {
	cfg, err := connConfig(o.DSN)
	if err != nil {
		return nil, err
	}
	if err := checkTypes(schema); err != nil {
		return nil, err
	}
	t := &target{cfg: cfg, sink: sink, table: o.Table, key: key}
	for i, c := range schema.Columns {
		t.names = append(t.names, c.Name)
		t.types = append(t.types, c.Type)
		t.all = append(t.all, i)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", redact(o.DSN), err)
	}
	cols, err := prepareTable(ctx, conn, sink, o.Table, o.CreateTable, schema, key)
	if err == nil {
		err = ensureEpochTable(ctx, conn, o.EpochTable)
	}
	if err != nil {
		conn.Close(ctx)
		return nil, err
	}
	t.sql = buildStatements(quoteName(o.Table), quoteName(o.EpochTable), cols, key)
	t.conn = conn
	if err := t.stages(ctx); err != nil {
		conn.Close(ctx)
		return nil, err
	}
	return t, nil
}

// connConfig parses dsn and fixes the session settings the text formats
// rely on.
func connConfig(dsn string) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("bad dsn %s: %w", redact(dsn), err)
	}
	cfg.RuntimeParams["DateStyle"] = "ISO, YMD"
	cfg.RuntimeParams["TimeZone"] = "UTC"
	cfg.RuntimeParams["extra_float_digits"] = "1"
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "sqlstream"
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	return cfg, nil
}

// redact hides a password in a DSN for messages.
func redact(dsn string) string {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil || cfg.Password == "" {
		return dsn
	}
	return strings.ReplaceAll(dsn, cfg.Password, "***")
}

func buildStatements(table, epochs string, cols []string, key []int) statements {
	q := sqlsink.QuoteAll(cols, quoteIdent)
	list := strings.Join(q, ", ")
	var s statements
	s.copyTable = fmt.Sprintf("COPY %s (%s) FROM STDIN", table, list)
	s.clear = "DELETE FROM " + table
	s.lock, s.delivered, s.mark = sqlsink.MarkerSQL(epochs, "$1", "$2", "ON CONFLICT (sink) DO UPDATE SET epoch = EXCLUDED.epoch")
	if len(key) == 0 {
		return s
	}
	keys := make([]string, len(key))
	isKey := map[int]bool{}
	var on, set []string
	for j, k := range key {
		keys[j] = q[k]
		isKey[k] = true
		on = append(on, fmt.Sprintf("t.%s = d.%s", q[k], q[k]))
	}
	for i := range q {
		if !isKey[i] {
			set = append(set, fmt.Sprintf("%s = EXCLUDED.%s", q[i], q[i]))
		}
	}
	keyList := strings.Join(keys, ", ")
	s.stageUps = fmt.Sprintf("CREATE TEMP TABLE IF NOT EXISTS %s ON COMMIT DELETE ROWS AS SELECT %s FROM %s WITH NO DATA", stageUps, list, table)
	s.stageDels = fmt.Sprintf("CREATE TEMP TABLE IF NOT EXISTS %s ON COMMIT DELETE ROWS AS SELECT %s FROM %s WITH NO DATA", stageDels, keyList, table)
	s.copyUps = fmt.Sprintf("COPY %s (%s) FROM STDIN", stageUps, list)
	s.copyDels = fmt.Sprintf("COPY %s (%s) FROM STDIN", stageDels, keyList)
	conflict := "DO NOTHING"
	if len(set) > 0 {
		conflict = "DO UPDATE SET " + strings.Join(set, ", ")
	}
	s.merge = fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s ON CONFLICT (%s) %s", table, list, list, stageUps, keyList, conflict)
	s.delete = fmt.Sprintf("DELETE FROM %s AS t USING %s AS d WHERE %s", table, stageDels, strings.Join(on, " AND "))
	return s
}

// connect reopens the connection if a failure dropped it.
func (t *target) connect(ctx context.Context) error {
	if t.conn != nil && !t.conn.IsClosed() {
		return nil
	}
	t.conn = nil
	conn, err := pgx.ConnectConfig(ctx, t.cfg)
	if err != nil {
		return err
	}
	t.conn = conn
	if err := t.stages(ctx); err != nil {
		t.drop()
		return err
	}
	return nil
}

// stages creates the connection's temporary stage tables.
func (t *target) stages(ctx context.Context) error {
	if t.sql.stageUps == "" {
		return nil
	}
	for _, q := range []string{t.sql.stageUps, t.sql.stageDels} {
		if _, err := t.conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("create stage table: %w", err)
		}
	}
	return nil
}

// drop closes the connection after a failure; the next call reconnects.
func (t *target) drop() {
	if t.conn == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = t.conn.Close(ctx)
	t.conn = nil
}

// LastDelivered implements sqlsink.Target.
func (t *target) LastDelivered(ctx context.Context) (uint64, error) {
	if err := t.connect(ctx); err != nil {
		return 0, t.fail(fmt.Errorf("connect: %w", err))
	}
	var e int64
	err := t.conn.QueryRow(ctx, t.sql.delivered, t.sink).Scan(&e)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return 0, nil
	case err != nil:
		return 0, t.fail(err)
	}
	return uint64(e), nil
}

// fail classifies err: transient ones drop the connection and wrap
// exec.ErrRetry.
func (t *target) fail(err error) error {
	if err == nil {
		return nil
	}
	if transient(err) || t.conn != nil && t.conn.IsClosed() {
		t.drop()
		return sqlsink.Retry(err)
	}
	return err
}

// Apply implements sqlsink.Target.
func (t *target) Apply(ctx context.Context, epoch uint64, ch *sqlsink.Changes) (bool, error) {
	if err := t.connect(ctx); err != nil {
		return false, t.fail(fmt.Errorf("table %s: connect: %w", t.table, err))
	}
	tx, err := t.conn.Begin(ctx)
	if err != nil {
		return false, t.fail(fmt.Errorf("table %s: begin: %w", t.table, err))
	}
	applied, err := t.apply(ctx, tx, epoch, ch)
	if err != nil {
		rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = tx.Rollback(rctx)
		cancel()
		return false, t.fail(err)
	}
	if !applied {
		return false, t.fail(tx.Rollback(ctx))
	}
	if err := tx.Commit(ctx); err != nil {
		return false, t.fail(fmt.Errorf("table %s: commit epoch %d: %w", t.table, epoch, err))
	}
	return true, nil
}

// apply runs the epoch's statements in tx.
func (t *target) apply(ctx context.Context, tx pgx.Tx, epoch uint64, ch *sqlsink.Changes) (bool, error) {
	var stored int64
	err := tx.QueryRow(ctx, t.sql.lock, t.sink).Scan(&stored)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return false, fmt.Errorf("table %s: read epoch marker: %w", t.table, err)
	}
	if stored >= 0 && uint64(stored) >= epoch && err == nil {
		return false, nil
	}
	switch {
	case ch.ReplaceAll:
		if _, err := tx.Exec(ctx, t.sql.clear); err != nil {
			return false, t.stmtErr("delete", err)
		}
		if err := t.copy(ctx, t.sql.copyTable, ch, ch.Upserts, t.all); err != nil {
			return false, err
		}
	case t.key == nil:
		if err := t.copy(ctx, t.sql.copyTable, ch, ch.Upserts, t.all); err != nil {
			return false, err
		}
	default:
		if len(ch.Deletes) > 0 {
			if err := t.copy(ctx, t.sql.copyDels, ch, ch.Deletes, t.key); err != nil {
				return false, err
			}
			if _, err := tx.Exec(ctx, "ANALYZE "+stageDels); err != nil {
				return false, t.stmtErr("analyze deletes", err)
			}
			if _, err := tx.Exec(ctx, t.sql.delete); err != nil {
				return false, t.stmtErr("delete", err)
			}
		}
		if len(ch.Upserts) > 0 {
			if err := t.copy(ctx, t.sql.copyUps, ch, ch.Upserts, t.all); err != nil {
				return false, err
			}
			if _, err := tx.Exec(ctx, t.sql.merge); err != nil {
				return false, t.stmtErr("upsert", err)
			}
		}
	}
	if _, err := tx.Exec(ctx, t.sql.mark, t.sink, int64(epoch)); err != nil {
		return false, fmt.Errorf("table %s: write epoch marker: %w", t.table, err)
	}
	return true, nil
}

// copy streams rows refs (columns cols) with COPY statement q.
func (t *target) copy(ctx context.Context, q string, ch *sqlsink.Changes, refs []sqlsink.RowRef, cols []int) error {
	if len(refs) == 0 {
		return nil
	}
	r, err := newCopyReader(ch.Batches, refs, cols, t.types, t.buf)
	if err != nil {
		return fmt.Errorf("table %s: %w", t.table, err)
	}
	_, err = t.conn.PgConn().CopyFrom(ctx, r, q)
	t.buf = r.buf
	if err == nil {
		return nil
	}
	if transient(err) {
		return fmt.Errorf("table %s: copy: %w", t.table, err)
	}
	msg := fmt.Sprintf("table %s: %s", t.table, describe(err))
	if n := copyRow(err); n > 0 && n <= len(refs) {
		ref := refs[n-1]
		keyCols := t.key
		if len(keyCols) == 0 {
			keyCols = t.all
		}
		msg += " in the row with " + sqlsink.DescribeRow(ch.Batches[ref.Batch], int(ref.Row), keyCols, t.names, t.types)
	}
	return fmt.Errorf("%s: %w", msg, err)
}

// stmtErr wraps a statement's failure with the server's details (which
// name the offending row for constraint errors).
func (t *target) stmtErr(step string, err error) error {
	if transient(err) {
		return fmt.Errorf("table %s: %s: %w", t.table, step, err)
	}
	return fmt.Errorf("table %s: %s: %s: %w", t.table, step, describe(err), err)
}

// Close implements sqlsink.Target.
func (t *target) Close() error {
	t.drop()
	return nil
}
