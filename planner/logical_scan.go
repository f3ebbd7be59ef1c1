package planner

import "github.com/sqlstream/sqlstream/catalog"

// LogicalScan reads a source. Columns are the source column indexes it
// outputs, in source order; nil means every column. Column pruning narrows
// it.
type LogicalScan struct {
	Source  *catalog.Source
	Columns []int
}

// Schema returns the scanned columns.
func (n *LogicalScan) Schema() catalog.Schema {
	if n.Columns == nil {
		return n.Source.Schema
	}
	cols := make([]catalog.Column, len(n.Columns))
	for i, c := range n.Columns {
		cols[i] = n.Source.Schema.Columns[c]
	}
	return catalog.Schema{Columns: cols}
}

// Children returns nil: a scan is a leaf.
func (n *LogicalScan) Children() []Logical { return nil }

func (n *LogicalScan) withChildren([]Logical) Logical { return n }

// columnIndexes returns Columns, or every source column index when nil.
func (n *LogicalScan) columnIndexes() []int {
	if n.Columns != nil {
		return n.Columns
	}
	out := make([]int, n.Source.Schema.Len())
	for i := range out {
		out[i] = i
	}
	return out
}
