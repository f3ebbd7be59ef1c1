package duckdb

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// writer is the buffered stream of one view or table. Push retains batches
// into pending; Store.Commit flushes and releases them.
type writer struct {
	store   *Store
	name    string
	schema  catalog.Schema
	key     []int
	pending []exec.Batch
	closed  bool

	retract bool       // the view's stream is a retract changelog
	net     *changeNet // nets keyed changes; nil until the first use
	viaSQL  bool       // apply keyed changes with flushChangelogSQL
}

var _ exec.Stream = (*writer)(nil)

// Push buffers b until the next Commit. It borrows b and retains it.
func (w *writer) Push(b exec.Batch) error {
	if b.NumRows() == 0 {
		return nil
	}
	if int(b.Rec.NumCols()) != w.schema.Len() {
		return fmt.Errorf("duckdb: %s: batch has %d columns, table has %d", w.name, b.Rec.NumCols(), w.schema.Len())
	}
	w.store.mu.Lock()
	defer w.store.mu.Unlock()
	if w.closed {
		return fmt.Errorf("duckdb: %s: push after close", w.name)
	}
	w.pending = append(w.pending, b.Keep())
	return nil
}

// Watermark is ignored: the store has no event-time behaviour.
func (w *writer) Watermark(int64) error { return nil }

// Barrier is a no-op: the runner calls Store.Commit once every writer has
// seen the barrier.
func (w *writer) Barrier(uint64) error { return nil }

// Close ends the stream. Pending batches are still written by the next
// Commit.
func (w *writer) Close() error {
	w.store.mu.Lock()
	defer w.store.mu.Unlock()
	w.closed = true
	return nil
}

func (w *writer) releasePending() {
	for _, b := range w.pending {
		b.Release()
	}
	w.pending = nil
}

// flush writes the pending batches inside the store's open transaction.
// The caller holds store.mu.
func (w *writer) flush() error {
	if len(w.pending) == 0 {
		return nil
	}
	appendOnly := true
	for _, b := range w.pending {
		if !b.AppendOnly() {
			appendOnly = false
			break
		}
	}
	switch {
	case appendOnly:
		return w.flushAppend()
	case len(w.key) == 0:
		return w.flushMultiset()
	}
	return w.flushChangelog()
}

// flushAppend inserts every pending row.
func (w *writer) flushAppend() error {
	reader, err := newBatchReader(w.pending, false)
	if err != nil {
		return err
	}
	defer reader.Release()
	return w.store.registerView(reader, func(view string) error {
		q := fmt.Sprintf("INSERT INTO %s SELECT %s FROM %s", QuoteIdent(w.name), w.castList(""), view)
		return w.store.exec(q)
	})
}

// flushChangelogSQL is flushChangelog done in DuckDB alone: the pending
// changes are copied to a temporary table, every changed key deleted and
// the last row per key inserted when it is a +I/+U. It is the fallback for
// keys that changeNet cannot encode, and the benchmarks' baseline.
func (w *writer) flushChangelogSQL() error {
	reader, err := newBatchReader(w.pending, true)
	if err != nil {
		return err
	}
	defer reader.Release()
	const chg = "_sqlstream_changes"
	s := w.store
	err = s.registerView(reader, func(view string) error {
		return s.exec(fmt.Sprintf("CREATE OR REPLACE TEMP TABLE %s AS SELECT * FROM %s", chg, view))
	})
	if err != nil {
		return err
	}
	var keyMatch, keyCols []string
	for _, k := range w.key {
		c := w.schema.Columns[k]
		typ, err := SQLType(c.Type)
		if err != nil {
			return err
		}
		keyMatch = append(keyMatch, fmt.Sprintf("t.%s IS NOT DISTINCT FROM CAST(c.c%d AS %s)", QuoteIdent(c.Name), k, typ))
		keyCols = append(keyCols, fmt.Sprintf("c%d", k))
	}
	table := QuoteIdent(w.name)
	del := fmt.Sprintf("DELETE FROM %s AS t WHERE EXISTS (SELECT 1 FROM %s AS c WHERE %s)",
		table, chg, strings.Join(keyMatch, " AND "))
	ins := fmt.Sprintf("INSERT INTO %s SELECT %s FROM (SELECT *, row_number() OVER (PARTITION BY %s ORDER BY %s DESC) AS _rn FROM %s) WHERE _rn = 1 AND %s IN (%d, %d)",
		table, w.castList(""), strings.Join(keyCols, ", "), seqColumn, chg, opColumn, exec.Insert, exec.UpdateAfter)
	for _, q := range []string{del, ins, "DROP TABLE " + chg} {
		if err := s.exec(q); err != nil {
			return err
		}
	}
	return nil
}

// castList is "CAST(c0 AS T0), CAST(c1 AS T1), ..." over the positional
// column names of a batch reader.
func (w *writer) castList(prefix string) string {
	var b strings.Builder
	for i := range w.schema.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(w.castOne(prefix, i))
	}
	return b.String()
}

// castOne is "CAST(<prefix>c<i> AS <type of column i>)".
func (w *writer) castOne(prefix string, i int) string {
	typ, err := SQLType(w.schema.Columns[i].Type)
	if err != nil {
		typ = "VARCHAR" // unreachable: the table was created with this schema
	}
	return fmt.Sprintf("CAST(%sc%d AS %s)", prefix, i, typ)
}

// positionalSchema renames the fields of s to c0, c1, ... so that SQL over
// the registered view never depends on user spelling.
func positionalSchema(s *arrow.Schema, extra ...arrow.Field) *arrow.Schema {
	fields := make([]arrow.Field, 0, s.NumFields()+len(extra))
	for i, f := range s.Fields() {
		fields = append(fields, arrow.Field{Name: fmt.Sprintf("c%d", i), Type: f.Type, Nullable: true})
	}
	return arrow.NewSchema(append(fields, extra...), nil)
}
