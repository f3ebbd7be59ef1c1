package planner

import "github.com/sqlstream/sqlstream/catalog"

// LogicalViewScan reads a materialized view's changelog (see ViewScan).
// It is a leaf: the view's own plan is planned once, at its definition.
// Column pruning leaves it whole: the view's stream is shared by all its
// readers and carries every column.
type LogicalViewScan struct {
	View *catalog.View
}

// Schema is the view's schema.
func (n *LogicalViewScan) Schema() catalog.Schema { return n.View.Schema }

// Children returns nil: a view scan is a leaf.
func (n *LogicalViewScan) Children() []Logical { return nil }

func (n *LogicalViewScan) withChildren([]Logical) Logical { return n }
