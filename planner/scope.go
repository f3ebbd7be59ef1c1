package planner

import (
	"fmt"
	"github.com/pingcap/tidb/pkg/parser/ast"
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// relScope resolves column names against one relation of a FROM clause:
// `col` or `q.col` where q is the relation's name or alias. Names are
// case-insensitive.
type relScope struct {
	qualifier string
	schema    catalog.Schema
}

var _ scalar.Scope = (*relScope)(nil)

// Resolve implements scalar.Scope.
func (s *relScope) Resolve(qualifier, column string) (int, catalog.Type, error) {
	if qualifier != "" && !strings.EqualFold(qualifier, s.qualifier) {
		return 0, catalog.Type{}, fmt.Errorf("unknown table %s in %s.%s%s",
			qualifier, qualifier, column, didYouMean(qualifier, []string{s.qualifier}))
	}
	i := s.schema.Index(column)
	if i < 0 {
		return 0, catalog.Type{}, fmt.Errorf("unknown column %s in %s%s",
			column, s.qualifier, didYouMean(column, s.schema.Names()))
	}
	return i, s.schema.Columns[i].Type, nil
}

// bind binds e in the scope and names its column references by the
// columns' declared names (the binder names them as written, `b.price`),
// so that EXPLAIN prints one spelling however a query qualifies them.
func (s *relScope) bind(e ast.ExprNode) (scalar.Expr, error) {
	bound, err := scalar.Bind(s, e)
	if err != nil {
		return nil, err
	}
	return mapColRefs(bound, func(r *scalar.ColRef) scalar.Expr {
		return &scalar.ColRef{Index: r.Index, Name: s.schema.Columns[r.Index].Name, T: r.T}
	}), nil
}

// constScope is the scope of INSERT ... VALUES: no columns.
type constScope struct{}

var _ scalar.Scope = constScope{}

// Resolve implements scalar.Scope by rejecting every column.
func (constScope) Resolve(qualifier, column string) (int, catalog.Type, error) {
	name := column
	if qualifier != "" {
		name = qualifier + "." + column
	}
	return 0, catalog.Type{}, fmt.Errorf("VALUES must be constants; cannot read column %s", name)
}
