package planner

import (
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// LogicalLookupJoin joins a stream with a dimension table read by key at
// processing time (a join whose right side is a table). Type is InnerJoin
// or LeftJoin. Cond is over the input columns followed by every table
// column; lowering splits it into key pairs (table column = input
// expression) and a residual. Names name the output columns.
type LogicalLookupJoin struct {
	Input Logical
	Table *catalog.Table
	Type  JoinType
	Cond  scalar.Expr
	Names []string
	Pos   int
}

// Schema is the input columns then the table columns (nullable under a
// left join).
func (n *LogicalLookupJoin) Schema() catalog.Schema {
	in := n.Input.Schema()
	cols := append([]catalog.Column(nil), in.Columns...)
	for _, c := range n.Table.Schema.Columns {
		c.NotNull = c.NotNull && n.Type == InnerJoin
		cols = append(cols, c)
	}
	for i := range cols {
		cols[i].Name = n.Names[i]
	}
	return catalog.Schema{Columns: cols}
}

// Children returns the input; the table is not a plan node.
func (n *LogicalLookupJoin) Children() []Logical { return []Logical{n.Input} }

func (n *LogicalLookupJoin) withChildren(c []Logical) Logical {
	out := *n
	out.Input = c[0]
	return &out
}
