package duckdb

import (
	"database/sql"
	"fmt"
	"strings"

	"github.com/sqlstream/sqlstream/exec"
)

// Temporary tables of flushMultiset, on the store's connection.
const (
	netTable = "_sqlstream_net" // net count per distinct changed row
	delTable = "_sqlstream_del" // stored rows matching a net retraction
)

// flushMultiset applies the pending changes to a view without a key as a
// multiset: within the commit, the +1 (+I/+U) and -1 (-U/-D) of every
// distinct row (all columns, NULLs equal) are netted out; each net
// retraction deletes exactly that many equal stored rows, and each net
// insertion inserts that many copies. A retraction of rows the view does
// not hold is an upstream bug: it fails the commit with an error naming
// the view and the row. Every step is one set-based statement.
func (w *writer) flushMultiset() error {
	reader, err := newBatchReader(w.pending, true)
	if err != nil {
		return err
	}
	defer reader.Release()
	s := w.store
	err = s.registerView(reader, func(view string) error { return s.exec(w.netSQL(view)) })
	if err != nil {
		return err
	}
	steps := []func() error{
		func() error { return s.exec(w.matchSQL()) },
		w.checkRetractions,
		func() error {
			return s.exec(fmt.Sprintf("DELETE FROM %s WHERE rowid IN (SELECT rid FROM %s WHERE rn <= -_n)", QuoteIdent(w.name), delTable))
		},
		func() error {
			return s.exec(fmt.Sprintf("INSERT INTO %s SELECT %s FROM (SELECT *, unnest(range(_n)) FROM %s WHERE _n > 0)",
				QuoteIdent(w.name), w.positional(""), netTable))
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	if err := s.exec("DROP TABLE " + netTable); err != nil {
		return err
	}
	return s.exec("DROP TABLE " + delTable)
}

// netSQL creates the net table: the distinct changed rows (cast to the
// view's types) with their net count _n (non-zero) and a group number _g.
func (w *writer) netSQL(view string) string {
	var casted strings.Builder
	for i := range w.schema.Columns {
		fmt.Fprintf(&casted, "%s AS c%d, ", w.castOne("", i), i)
	}
	plus := fmt.Sprintf("CASE WHEN %s IN (%d, %d) THEN 1 ELSE -1 END", opColumn, exec.Insert, exec.UpdateAfter)
	return fmt.Sprintf("CREATE OR REPLACE TEMP TABLE %s AS SELECT *, row_number() OVER () AS _g FROM ("+
		"SELECT %s, CAST(sum(%s) AS BIGINT) AS _n FROM (SELECT %s%s FROM %s) GROUP BY %s HAVING sum(%s) <> 0)",
		netTable, w.positional(""), plus, casted.String(), opColumn, view, w.positional(""), plus)
}

// matchSQL creates the match table: for every net retraction, the rowids
// of the equal stored rows, numbered within the retraction.
func (w *writer) matchSQL() string {
	var on strings.Builder
	for i, c := range w.schema.Columns {
		if i > 0 {
			on.WriteString(" AND ")
		}
		fmt.Fprintf(&on, "t.%s IS NOT DISTINCT FROM d.c%d", QuoteIdent(c.Name), i)
	}
	return fmt.Sprintf("CREATE OR REPLACE TEMP TABLE %s AS SELECT t.rowid AS rid, d._g, d._n, "+
		"row_number() OVER (PARTITION BY d._g ORDER BY t.rowid) AS rn "+
		"FROM %s AS t JOIN (SELECT * FROM %s WHERE _n < 0) AS d ON %s",
		delTable, QuoteIdent(w.name), netTable, on.String())
}

// checkRetractions fails when a net retraction has fewer equal stored rows
// than it takes back, naming the view and the first such row.
func (w *writer) checkRetractions() error {
	var fields strings.Builder
	for i, c := range w.schema.Columns {
		if i > 0 {
			fields.WriteString(", ")
		}
		fmt.Fprintf(&fields, "'%s': n.c%d", strings.ReplaceAll(c.Name, "'", "''"), i)
	}
	q := fmt.Sprintf("SELECT CAST({%s} AS VARCHAR), -n._n, coalesce(m.have, 0) FROM %s AS n "+
		"LEFT JOIN (SELECT _g, count(*) AS have FROM %s GROUP BY _g) AS m ON m._g = n._g "+
		"WHERE n._n < 0 AND coalesce(m.have, 0) < -n._n LIMIT 1",
		fields.String(), netTable, delTable)
	var row string
	var want, have int64
	err := w.store.conn.QueryRowContext(w.store.ctx, q).Scan(&row, &want, &have)
	switch {
	case err == sql.ErrNoRows:
		return nil
	case err != nil:
		return fmt.Errorf("duckdb: %w\n  in: %s", err, abbreviate(q))
	}
	return fmt.Errorf("view %s: retraction of a row the view does not hold (an upstream bug): %s retracted %d time(s), held %d time(s)",
		w.name, row, want, have)
}

// positional is "p.c0, p.c1, ..." (prefix p.) over the view's columns.
func (w *writer) positional(prefix string) string {
	var b strings.Builder
	for i := range w.schema.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%sc%d", prefix, i)
	}
	return b.String()
}
