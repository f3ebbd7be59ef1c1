package exec

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sqlstream/sqlstream/catalog"
)

// LookupTable answers batched point lookups against a dimension table. It
// does I/O (a DuckDB query, a PostgreSQL round trip), so operators reach it
// only through this interface and tests replace it with an in-memory one.
type LookupTable interface {
	// Lookup finds the table rows whose key columns equal each row of
	// keys (a batch of the key values, one column per key column, in
	// key order; NULL keys match nothing). It returns the matching table
	// rows (all table columns, in table order) and, for each returned row,
	// the index of the key row it matched. The caller releases rows.
	Lookup(ctx context.Context, keys arrow.RecordBatch) (rows arrow.RecordBatch, keyRow []int32, err error)
	Close() error
}

// LookupFactory opens a lookup table of an external connector (postgres,
// mysql, ...) keyed by the given table columns.
type LookupFactory func(ctx context.Context, t *catalog.Table, keyCols []int) (LookupTable, error)

var lookups = struct {
	sync.Mutex
	m map[string]LookupFactory
}{m: map[string]LookupFactory{}}

// RegisterLookup makes a lookup-table connector available by name.
func RegisterLookup(connector string, f LookupFactory) {
	lookups.Lock()
	defer lookups.Unlock()
	lookups.m[strings.ToLower(connector)] = f
}

// OpenLookup opens the lookup table of t: the store's own table when t has
// no connector or is loaded from a file (see TableInit.Load), otherwise the
// registered connector.
func OpenLookup(ctx context.Context, store Store, t *catalog.Table, keyCols []int) (LookupTable, error) {
	if t.Connector == "" || strings.EqualFold(t.Connector, "file") {
		return store.Lookup(t, keyCols)
	}
	lookups.Lock()
	f, ok := lookups.m[strings.ToLower(t.Connector)]
	lookups.Unlock()
	if !ok {
		return nil, fmt.Errorf("table %s: no lookup connector %q", t.Name, t.Connector)
	}
	return f(ctx, t, keyCols)
}
