package duckdb

import (
	"fmt"
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// Late creates (or replaces, like the views the run rebuilds)
// late_<source> with the columns of exec.LateSchema(src): the source's
// columns, _op for changelog sources, and _watermark, the source watermark
// the row was behind. It returns the append-only writer of its rows, which
// commit in the epoch's transaction with the views.
func (s *Store) Late(src *catalog.Source) (exec.Stream, error) {
	table := exec.LateTable(src.Name)
	schema := exec.LateSchema(src)
	for _, c := range src.Schema.Columns {
		if strings.EqualFold(c.Name, exec.LateOpColumn) || strings.EqualFold(c.Name, exec.LateWatermarkColumn) {
			return nil, fmt.Errorf("duckdb: %s: source column %s clashes with a column the late table adds", table, c.Name)
		}
	}
	ddl, err := createTableSQL(table, schema, nil)
	if err != nil {
		return nil, fmt.Errorf("duckdb: %s: %w", table, err)
	}
	return s.newWriter(ddl, table, schema, nil)
}
