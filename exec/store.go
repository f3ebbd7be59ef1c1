package exec

import (
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner"
)

// Store is the embedded store (DuckDB by default) that holds materialized
// views, pipeline tables, errors_<source> and late_<source> tables, and (in
// later work) operator state and source offsets. The runner gets one from
// the CLI; exec does not import its implementation.
//
// Writers buffer what they are pushed; Commit makes every writer's pending
// changes visible in one transaction, so readers see all views at the same
// epoch.
type Store interface {
	// InitTable creates a pipeline table and inserts its rows (run before
	// any source starts). Creating an existing table replaces it.
	InitTable(t *planner.TableInit) error
	// ViewWriter creates (or replaces) the table of a materialized view and
	// returns the stream that maintains it.
	ViewWriter(v *catalog.View) (Stream, error)
	// TableWriter returns a stream that appends to an existing pipeline
	// table (INSERT INTO table SELECT ...).
	TableWriter(t *catalog.Table) (Stream, error)
	// Errors returns the sink of errors_<source>, creating the (possibly
	// empty) table.
	Errors(source string) (ErrorSink, error)
	// Late creates (or replaces) late_<source> with LateSchema(src) and
	// returns the append-only stream of its rows (batches of
	// LateSchema(src), all inserts). The runner calls it for every source
	// with a WATERMARK, so the table exists even when no row is late; its
	// rows commit with the epoch, like the views.
	Late(src *catalog.Source) (Stream, error)
	// Lookup opens a lookup over a pipeline table keyed by keyCols (see
	// LookupTable). Lookups see the table as last committed.
	Lookup(t *catalog.Table, keyCols []int) (LookupTable, error)
	// Commit commits every writer's pending changes as epoch.
	Commit(epoch uint64) error
	Close() error
}
