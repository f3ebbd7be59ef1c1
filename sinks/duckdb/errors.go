package duckdb

import (
	"fmt"
	"strings"
	"time"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sinks/render"
)

// ErrorsTable returns the name of a source's dead-letter table.
func ErrorsTable(source string) string { return "errors_" + source }

// errorRow is one buffered bad record; raw is already text.
type errorRow struct {
	source, file, reason, raw string
	line                      int64
	at                        time.Time
}

// errorSink buffers the bad records of one source until Commit.
type errorSink struct {
	store   *Store
	table   string
	pending []errorRow
}

var _ exec.ErrorSink = (*errorSink)(nil)

// Errors creates errors_<source> (if it does not exist yet; earlier errors
// are kept across restarts) and returns its sink. A checkpointed run that
// starts fresh (Resume returned 0) empties it first, as it replaces the
// views; a resumed one keeps the rows of the committed epochs.
func (s *Store) Errors(source string) (exec.ErrorSink, error) {
	table := ErrorsTable(source)
	ddl := "CREATE TABLE IF NOT EXISTS " + QuoteIdent(table) +
		" (source VARCHAR, file VARCHAR, line BIGINT, reason VARCHAR, raw VARCHAR, received_at TIMESTAMP)"
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, fmt.Errorf("duckdb: %s: store is closed", table)
	}
	if err := s.exec(ddl); err != nil {
		return nil, fmt.Errorf("create %s: %w", table, err)
	}
	if err := s.freshErrors(table); err != nil {
		return nil, fmt.Errorf("empty %s: %w", table, err)
	}
	e := &errorSink{store: s, table: table}
	s.errs = append(s.errs, e)
	return e, nil
}

// BadRecord buffers r (copying Raw as text: invalid UTF-8 bytes are
// escaped as \xNN) until the next Commit.
func (e *errorSink) BadRecord(r exec.BadRecord) error {
	row := errorRow{
		source: r.Source, file: r.File, line: r.Line, reason: r.Reason,
		raw: render.EscapeInvalidUTF8(r.Raw),
		at:  time.Now().UTC().Truncate(time.Millisecond),
	}
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	e.pending = append(e.pending, row)
	return nil
}

// flush inserts the pending rows inside the store's open transaction. The
// caller holds store.mu.
func (e *errorSink) flush() error {
	const perStmt = 200
	for start := 0; start < len(e.pending); start += perStmt {
		rows := e.pending[start:min(start+perStmt, len(e.pending))]
		var b strings.Builder
		args := make([]any, 0, 6*len(rows))
		b.WriteString("INSERT INTO " + QuoteIdent(e.table) + " VALUES ")
		for i, r := range rows {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?)")
			args = append(args, r.source, r.file, r.line, r.reason, r.raw, r.at)
		}
		if err := e.store.exec(b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
