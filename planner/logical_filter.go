package planner

import (
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// LogicalFilter keeps the input rows for which Cond is TRUE. Cond is a
// BOOLEAN expression over the input's columns.
type LogicalFilter struct {
	Input Logical
	Cond  scalar.Expr
}

// Schema is the input's schema.
func (n *LogicalFilter) Schema() catalog.Schema { return n.Input.Schema() }

// Children returns the input.
func (n *LogicalFilter) Children() []Logical { return []Logical{n.Input} }

func (n *LogicalFilter) withChildren(c []Logical) Logical {
	return &LogicalFilter{Input: c[0], Cond: n.Cond}
}
