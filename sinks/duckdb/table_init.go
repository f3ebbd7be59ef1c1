package duckdb

import (
	"fmt"
	"strings"

	"github.com/sqlstream/sqlstream/planner"
)

// rowsPerInsert bounds the size of one INSERT ... VALUES statement.
const rowsPerInsert = 500

// InitTable creates (or replaces) a pipeline table, with its primary key,
// and inserts its literal rows, in one transaction.
func (s *Store) InitTable(t *planner.TableInit) error {
	tab := t.Table
	ddl, err := createTableSQL(tab.Name, tab.Schema, tab.PrimaryKey)
	if err != nil {
		return fmt.Errorf("table %s: %w", tab.Name, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("duckdb: table %s: store is closed", tab.Name)
	}
	err = s.inTx(func() error {
		if err := s.exec(ddl); err != nil {
			return err
		}
		for start := 0; start < len(t.Rows); start += rowsPerInsert {
			end := min(start+rowsPerInsert, len(t.Rows))
			q, err := insertValuesSQL(t, start, end)
			if err != nil {
				return err
			}
			if err := s.exec(q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("table %s: %w", tab.Name, err)
	}
	return nil
}

// insertValuesSQL renders rows [start, end) of t as one INSERT.
func insertValuesSQL(t *planner.TableInit, start, end int) (string, error) {
	cols := t.Table.Schema.Columns
	var b strings.Builder
	b.WriteString("INSERT INTO " + QuoteIdent(t.Table.Name) + " VALUES ")
	for r := start; r < end; r++ {
		row := t.Rows[r]
		if len(row) != len(cols) {
			return "", fmt.Errorf("row %d has %d values, want %d", r+1, len(row), len(cols))
		}
		if r > start {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for i, lit := range row {
			if i > 0 {
				b.WriteString(", ")
			}
			if lit == nil {
				return "", fmt.Errorf("row %d, column %s: missing value", r+1, cols[i].Name)
			}
			v, err := literalSQL(lit, cols[i].Type)
			if err != nil {
				return "", fmt.Errorf("row %d, column %s: %w", r+1, cols[i].Name, err)
			}
			b.WriteString(v)
		}
		b.WriteByte(')')
	}
	return b.String(), nil
}
