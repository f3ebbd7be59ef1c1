package duckdb

import (
	"fmt"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// Lookup opens a lookup over a pipeline table. Placeholder until the lookup
// join lands: it refuses.
func (s *Store) Lookup(t *catalog.Table, keyCols []int) (exec.LookupTable, error) {
	return nil, fmt.Errorf("table %s: lookups are not implemented yet", t.Name)
}
