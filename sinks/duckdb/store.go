package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"
	duckdrv "github.com/duckdb/duckdb-go/v2"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// EpochsTable is the bookkeeping table: one row per committed epoch.
const EpochsTable = "_sqlstream_epochs"

// Options configure a Store.
type Options struct {
	// Threads caps DuckDB's worker threads; 0 keeps DuckDB's default.
	Threads int
}

// Store is the DuckDB store. Its methods may be called from several
// goroutines; writers' streams each from one goroutine.
type Store struct {
	path string
	db   *sql.DB
	conn *sql.Conn
	ctx  context.Context

	mu      sync.Mutex // guards writers, errs and every writer's pending list
	writers []*writer
	errs    []*errorSink
	seq     int // names of registered Arrow views
	closed  bool

	// ck is the checkpoint state of the run (see checkpoint.go), set by
	// Resume; nil before, when Commit writes only views and tables.
	ck *checkpoint
	// resumed makes ViewWriter and Late keep existing tables (set by
	// Resume when it continues a checkpoint).
	resumed bool
}

var _ exec.Store = (*Store)(nil)

// Open opens (creating if needed) the DuckDB database at path; "" or
// ":memory:" is a private in-memory database.
func Open(path string, opts Options) (*Store, error) {
	dsn := path
	if path == ":memory:" {
		dsn = ""
	}
	if opts.Threads > 0 {
		dsn += fmt.Sprintf("?threads=%d", opts.Threads)
	}
	connector, err := duckdrv.NewConnector(dsn, nil)
	if err != nil {
		return nil, fmt.Errorf("open duckdb %q: %w", path, err)
	}
	db := sql.OpenDB(connector)
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open duckdb %q: %w", path, err)
	}
	s := &Store{path: path, db: db, conn: conn, ctx: ctx}
	create := fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (epoch UBIGINT PRIMARY KEY, committed_at TIMESTAMP)", EpochsTable)
	if err := s.exec(create); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// exec runs one statement on the store's connection.
func (s *Store) exec(query string, args ...any) error {
	if _, err := s.conn.ExecContext(s.ctx, query, args...); err != nil {
		return fmt.Errorf("duckdb: %w\n  in: %s", err, abbreviate(query))
	}
	return nil
}

// inTx runs f in one DuckDB transaction, rolling back when it fails.
func (s *Store) inTx(f func() error) error {
	if err := s.exec("BEGIN TRANSACTION"); err != nil {
		return err
	}
	if err := f(); err != nil {
		if rbErr := s.exec("ROLLBACK"); rbErr != nil {
			return fmt.Errorf("%w (and rollback failed: %v)", err, rbErr)
		}
		return err
	}
	return s.exec("COMMIT")
}

// registerView exposes reader as a temporary view for the duration of f.
// The reader is consumed by the first query that scans the view.
func (s *Store) registerView(reader array.RecordReader, f func(view string) error) error {
	s.seq++
	view := fmt.Sprintf("_sqlstream_in_%d", s.seq)
	var release func()
	err := s.conn.Raw(func(dc any) error {
		ar, err := duckdrv.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		release, err = ar.RegisterView(reader, view)
		return err
	})
	if err != nil {
		return fmt.Errorf("duckdb: register arrow view: %w", err)
	}
	defer release()
	ferr := f(view)
	if err := s.exec("DROP VIEW IF EXISTS " + view); err != nil && ferr == nil {
		ferr = err
	}
	return ferr
}

// Commit writes every writer's pending batches and bad records and records
// epoch in _sqlstream_epochs, all in one transaction. On success the
// buffered batches are released; on failure the transaction is rolled back
// and the pending changes are kept.
func (s *Store) Commit(epoch uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("duckdb: commit epoch %d: store is closed", epoch)
	}
	err := s.inTx(func() error {
		for _, w := range s.writers {
			if err := w.flush(); err != nil {
				return fmt.Errorf("commit epoch %d: %s: %w", epoch, w.name, err)
			}
		}
		for _, e := range s.errs {
			if err := e.flush(); err != nil {
				return fmt.Errorf("commit epoch %d: %s: %w", epoch, e.table, err)
			}
		}
		if err := s.flushCheckpoint(epoch); err != nil {
			return fmt.Errorf("commit epoch %d: %w", epoch, err)
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		return s.exec("INSERT OR REPLACE INTO "+EpochsTable+" VALUES (?, ?)", epoch, now)
	})
	if err != nil {
		return err
	}
	s.checkpointCommitted()
	for _, w := range s.writers {
		w.releasePending()
	}
	for _, e := range s.errs {
		e.pending = nil
	}
	return nil
}

// LastEpoch returns the last committed epoch, and false when none was.
func (s *Store) LastEpoch() (uint64, bool, error) {
	var epoch sql.NullInt64
	row := s.conn.QueryRowContext(s.ctx, "SELECT max(epoch) FROM "+EpochsTable)
	if err := row.Scan(&epoch); err != nil {
		return 0, false, fmt.Errorf("duckdb: last epoch: %w", err)
	}
	return uint64(epoch.Int64), epoch.Valid, nil
}

// Close releases every uncommitted batch and closes the database. Pending
// changes that were not committed are lost.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	for _, w := range s.writers {
		w.releasePending()
	}
	s.releaseCheckpoint()
	err := s.conn.Close()
	if cerr := s.db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("duckdb: close %q: %w", s.path, err)
	}
	return nil
}

// ViewWriter creates (or replaces) the table of materialized view v and
// returns the stream that maintains it. After a Resume that continues a
// checkpoint, an existing table is kept: it holds the committed epochs.
func (s *Store) ViewWriter(v *catalog.View) (exec.Stream, error) {
	ddl, err := createTableSQL(v.Name, v.Schema, nil)
	if err != nil {
		return nil, fmt.Errorf("view %s: %w", v.Name, err)
	}
	w, err := s.newWriter(ddl, v.Name, v.Schema, v.Key)
	if err != nil {
		return nil, err
	}
	w.retract = v.Changelog == catalog.Retract
	return w, nil
}

// TableWriter returns a stream appending to the existing table t.
func (s *Store) TableWriter(t *catalog.Table) (exec.Stream, error) {
	return s.newWriter("", t.Name, t.Schema, nil)
}

func (s *Store) newWriter(ddl, name string, schema catalog.Schema, key []int) (*writer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, fmt.Errorf("duckdb: %s: store is closed", name)
	}
	if s.resumed {
		// Resuming a checkpoint: the table holds the committed epochs.
		ddl = keepTable(ddl)
	}
	if ddl != "" {
		if err := s.exec(ddl); err != nil {
			return nil, fmt.Errorf("create table of %s: %w", name, err)
		}
	}
	w := &writer{store: s, name: name, schema: schema, key: key}
	s.writers = append(s.writers, w)
	return w, nil
}

func abbreviate(q string) string {
	if len(q) > 300 {
		return q[:300] + "..."
	}
	return q
}
