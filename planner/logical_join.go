package planner

import (
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// LogicalJoin joins two streams. Cond (nil: TRUE) is a BOOLEAN expression
// over the left columns followed by the right columns; lowering splits it
// into equi-key pairs and a residual. Names name the output columns (a
// name both sides have is qualified, `a.id`). Pos is the file offset of
// the join's right relation, for errors found when lowering.
type LogicalJoin struct {
	Left, Right Logical
	Type        JoinType
	Cond        scalar.Expr
	Names       []string
	StateTTLMs  int64
	Pos         int
}

// Schema is the left columns then the right columns. The side an outer
// join pads with NULLs loses its NOT NULL flags.
func (n *LogicalJoin) Schema() catalog.Schema {
	l, r := n.Left.Schema(), n.Right.Schema()
	cols := make([]catalog.Column, 0, l.Len()+r.Len())
	for _, c := range l.Columns {
		c.NotNull = c.NotNull && (n.Type == InnerJoin || n.Type == LeftJoin)
		cols = append(cols, c)
	}
	for _, c := range r.Columns {
		c.NotNull = c.NotNull && (n.Type == InnerJoin || n.Type == RightJoin)
		cols = append(cols, c)
	}
	for i := range cols {
		cols[i].Name = n.Names[i]
	}
	return catalog.Schema{Columns: cols}
}

// Children returns the left and right inputs.
func (n *LogicalJoin) Children() []Logical { return []Logical{n.Left, n.Right} }

func (n *LogicalJoin) withChildren(c []Logical) Logical {
	out := *n
	out.Left, out.Right = c[0], c[1]
	return &out
}
