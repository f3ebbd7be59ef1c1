package duckdb

import (
	"fmt"
	"strings"

	"github.com/sqlstream/sqlstream/exec"
)

// flushChangelog applies the pending changes by key: the last change of
// each key in this commit wins; +I/+U rows replace, -U/-D rows delete.
// The changes are netted per key in Go (changeNet), so DuckDB sees one
// DELETE of the touched keys, as a hash join, and one INSERT of the
// surviving rows. Key types without a key encoding, and key columns whose
// Arrow type is not the view's, fall back to the set-based
// flushChangelogSQL.
func (w *writer) flushChangelog() error {
	if w.net == nil && !w.viaSQL {
		net, err := newChangeNet(w)
		if err != nil {
			w.viaSQL = true // e.g. a NULL-typed key column
		}
		w.net = net
	}
	if w.viaSQL || !w.net.accepts(w.pending, w.key) {
		return w.flushChangelogSQL()
	}
	n := w.net
	n.add(w.pending, w.key)
	n.selectRows(len(w.pending), w.retract)
	del, ups, err := n.takeRecords(w.pending, w.key)
	defer releaseBatches(del)
	defer releaseBatches(ups)
	if err != nil {
		return fmt.Errorf("net changes: %w", err)
	}
	if len(del) > 0 {
		if err := w.deleteKeys(del); err != nil {
			return err
		}
	}
	if len(ups) > 0 {
		return w.insertRows(ups)
	}
	return nil
}

// deleteKeys deletes the stored rows whose key is one of keys (batches of
// the key columns), NULLs equal.
func (w *writer) deleteKeys(keys []exec.Batch) error {
	reader, err := newBatchReader(keys, false)
	if err != nil {
		return err
	}
	defer reader.Release()
	var on []string
	for j, k := range w.key {
		on = append(on, fmt.Sprintf("t.%s IS NOT DISTINCT FROM %s",
			QuoteIdent(w.schema.Columns[k].Name), w.castAs("k.", j, k)))
	}
	return w.store.registerView(reader, func(view string) error {
		return w.store.exec(fmt.Sprintf("DELETE FROM %s AS t USING %s AS k WHERE %s",
			QuoteIdent(w.name), view, strings.Join(on, " AND ")))
	})
}

// insertRows inserts every row of rows.
func (w *writer) insertRows(rows []exec.Batch) error {
	reader, err := newBatchReader(rows, false)
	if err != nil {
		return err
	}
	defer reader.Release()
	return w.store.registerView(reader, func(view string) error {
		return w.store.exec(fmt.Sprintf("INSERT INTO %s SELECT %s FROM %s", QuoteIdent(w.name), w.castList(""), view))
	})
}

// castAs is "CAST(<prefix>c<pos> AS <type of view column col>)".
func (w *writer) castAs(prefix string, pos, col int) string {
	typ, err := SQLType(w.schema.Columns[col].Type)
	if err != nil {
		typ = "VARCHAR" // unreachable: the table was created with this schema
	}
	return fmt.Sprintf("CAST(%sc%d AS %s)", prefix, pos, typ)
}

func releaseBatches(bs []exec.Batch) {
	for _, b := range bs {
		b.Release()
	}
}
