package planner

import (
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// LogicalProject computes one output column per expression over the
// input's columns. Names are the output column names (already unique).
type LogicalProject struct {
	Input Logical
	Exprs []scalar.Expr
	Names []string
}

// Schema names and types the expressions. A column passed through
// unchanged keeps its NOT NULL flag.
func (n *LogicalProject) Schema() catalog.Schema {
	in := n.Input.Schema()
	cols := make([]catalog.Column, len(n.Exprs))
	for i, e := range n.Exprs {
		cols[i] = catalog.Column{Name: n.Names[i], Type: e.Type()}
		if ref, ok := e.(*scalar.ColRef); ok && ref.Index < in.Len() {
			cols[i].NotNull = in.Columns[ref.Index].NotNull
		}
	}
	return catalog.Schema{Columns: cols}
}

// Children returns the input.
func (n *LogicalProject) Children() []Logical { return []Logical{n.Input} }

func (n *LogicalProject) withChildren(c []Logical) Logical {
	return &LogicalProject{Input: c[0], Exprs: n.Exprs, Names: n.Names}
}

// isIdentity reports whether the project outputs exactly its input's
// columns, in order and with the same names.
func (n *LogicalProject) isIdentity() bool {
	in := n.Input.Schema()
	if len(n.Exprs) != in.Len() {
		return false
	}
	for i, e := range n.Exprs {
		ref, ok := e.(*scalar.ColRef)
		if !ok || ref.Index != i || n.Names[i] != in.Columns[i].Name {
			return false
		}
	}
	return true
}
