package duckdb

import (
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sqlstream/sqlstream/exec"
)

// The checkpoint tables (see exec/checkpoint.go for the protocol). They
// live in the same file as the views and commit in the same transaction:
//
//	_sqlstream_state_log (op VARCHAR, k BLOB, v BLOB, epoch UBIGINT)
//	_sqlstream_positions (source VARCHAR PRIMARY KEY, pos BLOB, epoch UBIGINT)
//	_sqlstream_outbox    (sink VARCHAR, epoch UBIGINT, seq INT, batch BLOB)
//	_sqlstream_pipeline  (fingerprint VARCHAR, epoch UBIGINT, complete BOOLEAN, started_at TIMESTAMP)
//
// _sqlstream_pipeline has one row: the pipeline whose checkpoint the file
// holds, its last committed epoch, and whether that run consumed all its
// input (complete), in which case there is nothing to resume.
const (
	StateTable     = "_sqlstream_state_log"
	PositionsTable = "_sqlstream_positions"
	OutboxTable    = "_sqlstream_outbox"
	PipelineTable  = "_sqlstream_pipeline"
)

var checkpointDDL = []string{
	"CREATE TABLE IF NOT EXISTS " + StateTable + " (op VARCHAR, k BLOB, v BLOB, epoch UBIGINT)",
	"CREATE TABLE IF NOT EXISTS " + PositionsTable + " (source VARCHAR PRIMARY KEY, pos BLOB, epoch UBIGINT)",
	"CREATE TABLE IF NOT EXISTS " + OutboxTable + " (sink VARCHAR, epoch UBIGINT, seq INT, batch BLOB)",
	"CREATE TABLE IF NOT EXISTS " + PipelineTable + " (fingerprint VARCHAR, epoch UBIGINT, complete BOOLEAN, started_at TIMESTAMP)",
}

var (
	_ exec.CheckpointStore = (*Store)(nil)
	_ exec.CompletionStore = (*Store)(nil)
)

// checkpoint is what the next Commit writes besides the views: operator
// state changes, source positions, outbox batches and outbox trims. The
// store's mu guards it.
type checkpoint struct {
	states    map[string]*stateBuf
	log       stateLog
	positions map[string][]byte
	outboxes  []*outbox
	trims     map[string]uint64
	complete  bool
}

// Resume reports the last committed epoch of the pipeline with this
// fingerprint and prepares the store for checkpointing (exec.CheckpointStore).
//
// When the file holds an unfinished checkpoint of the same pipeline, it
// returns its epoch and the store is in resume mode: ViewWriter and Late
// keep the existing tables. When it holds none, or one whose run consumed
// all its input (see MarkComplete), the checkpoint tables are cleared, the
// fingerprint recorded and 0 returned: the run starts fresh. An unfinished
// checkpoint of another pipeline is an error: resuming it would corrupt
// the views, and starting over must be asked for (Reset, run --reset).
func (s *Store) Resume(fingerprint string) (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, fmt.Errorf("duckdb: resume: store is closed")
	}
	if s.ck != nil {
		return 0, fmt.Errorf("duckdb: resume: called twice")
	}
	for _, ddl := range checkpointDDL {
		if err := s.exec(ddl); err != nil {
			return 0, err
		}
	}
	var (
		fp       string
		epoch    uint64
		complete bool
	)
	row := s.conn.QueryRowContext(s.ctx, "SELECT fingerprint, epoch, complete FROM "+PipelineTable+" LIMIT 1")
	err := row.Scan(&fp, &epoch, &complete)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		epoch = 0
	case err != nil:
		return 0, fmt.Errorf("duckdb: resume: read %s: %w", PipelineTable, err)
	case complete:
		// A complete run whose last epoch some sink may not hold yet is
		// resumed to deliver it; otherwise there is nothing to resume.
		var undelivered bool
		row := s.conn.QueryRowContext(s.ctx, "SELECT count(*) > 0 FROM "+OutboxTable)
		if err := row.Scan(&undelivered); err != nil {
			return 0, fmt.Errorf("duckdb: resume: read %s: %w", OutboxTable, err)
		}
		complete = !undelivered
	}
	switch {
	case complete || epoch == 0:
	case fp != fingerprint:
		return 0, fmt.Errorf("the checkpoint in %s (epoch %d) was written by a different pipeline (plan changed); run with --reset to start over", s.path, epoch)
	default:
		s.ck = newCheckpoint()
		s.resumed = true
		return epoch, nil
	}
	err = s.inTx(func() error {
		for _, t := range []string{StateTable, PositionsTable, OutboxTable, PipelineTable} {
			if err := s.exec("DELETE FROM " + t); err != nil {
				return err
			}
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		return s.exec("INSERT INTO "+PipelineTable+" VALUES (?, 0, false, ?)", fingerprint, now)
	})
	if err != nil {
		return 0, fmt.Errorf("duckdb: resume: start a fresh checkpoint: %w", err)
	}
	s.ck = newCheckpoint()
	return 0, nil
}

func newCheckpoint() *checkpoint {
	return &checkpoint{states: map[string]*stateBuf{}, positions: map[string][]byte{}, trims: map[string]uint64{}}
}

// Reset drops the checkpoint tables, so that the next Resume starts
// fresh (run --reset). Call it before Resume.
func (s *Store) Reset() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("duckdb: reset: store is closed")
	}
	if s.ck != nil {
		return fmt.Errorf("duckdb: reset: the run has already resumed")
	}
	return s.inTx(func() error {
		for _, t := range []string{StateTable, PositionsTable, OutboxTable, PipelineTable} {
			if err := s.exec("DROP TABLE IF EXISTS " + t); err != nil {
				return fmt.Errorf("reset: %w", err)
			}
		}
		return nil
	})
}

// Resumed reports whether Resume continued a checkpoint.
func (s *Store) Resumed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.resumed
}

// MarkComplete records with the next Commit that the run consumed all its
// input (exec.CompletionStore): a later Resume starts fresh.
func (s *Store) MarkComplete() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ck == nil {
		return errNoResume("mark complete")
	}
	s.ck.complete = true
	return nil
}

// SavePosition records a source's position with the next Commit.
func (s *Store) SavePosition(source string, pos []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ck == nil {
		return errNoResume("save position of " + source)
	}
	s.ck.positions[source] = append([]byte{}, pos...)
	return nil
}

// Position returns the committed position of source, nil when none.
func (s *Store) Position(source string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ck == nil {
		return nil, errNoResume("position of " + source)
	}
	var pos []byte
	row := s.conn.QueryRowContext(s.ctx, "SELECT pos FROM "+PositionsTable+" WHERE source = ?", source)
	if err := row.Scan(&pos); errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("duckdb: position of %s: %w", source, err)
	}
	if pos == nil {
		pos = []byte{}
	}
	return pos, nil
}

func errNoResume(what string) error {
	return fmt.Errorf("duckdb: %s: the store is not checkpointing (Resume was not called)", what)
}

// flushCheckpoint writes the checkpoint's changes inside Commit's open
// transaction. The caller holds mu.
func (s *Store) flushCheckpoint(epoch uint64) error {
	ck := s.ck
	if ck == nil {
		return nil
	}
	if err := s.flushState(epoch); err != nil {
		return fmt.Errorf("%s: %w", StateTable, err)
	}
	names := make([]string, 0, len(ck.positions))
	for name := range ck.positions {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		q := "INSERT OR REPLACE INTO " + PositionsTable + " VALUES (?, ?, ?)"
		if err := s.exec(q, name, ck.positions[name], epoch); err != nil {
			return fmt.Errorf("%s: source %s: %w", PositionsTable, name, err)
		}
	}
	for _, o := range ck.outboxes {
		if err := o.flush(epoch); err != nil {
			return fmt.Errorf("%s: sink %s: %w", OutboxTable, o.sink, err)
		}
	}
	for sink, upto := range ck.trims {
		if err := s.exec("DELETE FROM "+OutboxTable+" WHERE sink = ? AND epoch <= ?", sink, upto); err != nil {
			return fmt.Errorf("%s: trim sink %s: %w", OutboxTable, sink, err)
		}
	}
	return s.exec("UPDATE "+PipelineTable+" SET epoch = ?, complete = ?", epoch, ck.complete)
}

// checkpointCommitted forgets what the committed transaction wrote. The
// caller holds mu.
func (s *Store) checkpointCommitted() {
	ck := s.ck
	if ck == nil {
		return
	}
	for _, b := range ck.states {
		b.reset()
	}
	clear(ck.positions)
	clear(ck.trims)
	for _, o := range ck.outboxes {
		o.releasePending()
	}
}

// releaseCheckpoint releases the uncommitted outbox batches at Close. The
// caller holds mu.
func (s *Store) releaseCheckpoint() {
	if s.ck == nil {
		return
	}
	for _, o := range s.ck.outboxes {
		o.releasePending()
	}
}

// freshErrors empties an errors_ table the first time a checkpointed run
// that started fresh asks for it. The caller holds mu.
func (s *Store) freshErrors(table string) error {
	if s.ck == nil || s.resumed {
		return nil
	}
	for _, e := range s.errs {
		if e.table == table {
			return nil // already emptied by this run
		}
	}
	return s.exec("DELETE FROM " + QuoteIdent(table))
}

// keepTable turns a CREATE OR REPLACE TABLE into a CREATE TABLE IF NOT
// EXISTS, for tables a resumed run continues.
func keepTable(ddl string) string {
	const replace, keep = "CREATE OR REPLACE TABLE ", "CREATE TABLE IF NOT EXISTS "
	if rest, ok := strings.CutPrefix(ddl, replace); ok {
		return keep + rest
	}
	return ddl
}
