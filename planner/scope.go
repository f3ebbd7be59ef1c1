package planner

import (
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// scopeRel is one relation of a FROM clause inside a relScope: its
// qualifier (name or alias), its columns under their declared names, and
// where they start in the combined row.
type scopeRel struct {
	qualifier string
	schema    catalog.Schema
	offset    int
	// hidden marks columns an unqualified name skips: the duplicate side
	// of a USING column.
	hidden []bool
}

// relScope resolves column names against the relations of a FROM clause
// (one, or several joined): `col` or `q.col` where q is a relation's name
// or alias. Names are case-insensitive. An unqualified name found in more
// than one relation is ambiguous.
type relScope struct {
	rels []scopeRel
}

var _ scalar.Scope = (*relScope)(nil)

// newRelScope is the scope of a single relation.
func newRelScope(qualifier string, schema catalog.Schema) *relScope {
	return &relScope{rels: []scopeRel{{qualifier: qualifier, schema: schema, hidden: make([]bool, schema.Len())}}}
}

// join returns the scope of s's relations followed by r's.
func (s *relScope) join(r *relScope) *relScope {
	out := &relScope{rels: append([]scopeRel(nil), s.rels...)}
	w := s.width()
	for _, rel := range r.rels {
		rel.offset += w
		rel.hidden = append([]bool(nil), rel.hidden...)
		out.rels = append(out.rels, rel)
	}
	return out
}

// width is the number of columns of the combined row.
func (s *relScope) width() int {
	n := 0
	for _, r := range s.rels {
		n += r.schema.Len()
	}
	return n
}

// column returns the relation and column index of combined column i.
func (s *relScope) column(i int) (*scopeRel, int) {
	for k := range s.rels {
		r := &s.rels[k]
		if i >= r.offset && i < r.offset+r.schema.Len() {
			return r, i - r.offset
		}
	}
	return nil, -1
}

// plainName is the declared name of combined column i.
func (s *relScope) plainName(i int) string {
	r, c := s.column(i)
	if r == nil {
		return fmt.Sprintf("col%d", i)
	}
	return r.schema.Columns[c].Name
}

// names are the combined row's column names in plans: the declared name,
// qualified (`a.id`) when another relation has a column of that name.
func (s *relScope) names() []string {
	count := map[string]int{}
	for _, r := range s.rels {
		for _, c := range r.schema.Columns {
			count[strings.ToLower(c.Name)]++
		}
	}
	var out []string
	for _, r := range s.rels {
		for _, c := range r.schema.Columns {
			n := c.Name
			if count[strings.ToLower(n)] > 1 {
				n = r.qualifier + "." + n
			}
			out = append(out, n)
		}
	}
	return out
}

// rel finds a relation by qualifier.
func (s *relScope) rel(qualifier string) *scopeRel {
	for k := range s.rels {
		if strings.EqualFold(s.rels[k].qualifier, qualifier) {
			return &s.rels[k]
		}
	}
	return nil
}

func (s *relScope) qualifiers() []string {
	out := make([]string, len(s.rels))
	for i, r := range s.rels {
		out[i] = r.qualifier
	}
	return out
}

// Resolve implements scalar.Scope.
func (s *relScope) Resolve(qualifier, column string) (int, catalog.Type, error) {
	if qualifier != "" {
		r := s.rel(qualifier)
		if r == nil {
			return 0, catalog.Type{}, fmt.Errorf("unknown table %s in %s.%s%s",
				qualifier, qualifier, column, didYouMean(qualifier, s.qualifiers()))
		}
		i := r.schema.Index(column)
		if i < 0 {
			return 0, catalog.Type{}, fmt.Errorf("unknown column %s in %s%s",
				column, r.qualifier, didYouMean(column, r.schema.Names()))
		}
		return r.offset + i, r.schema.Columns[i].Type, nil
	}
	var found []string
	idx, t := -1, catalog.Type{}
	var all []string
	for _, r := range s.rels {
		all = append(all, r.schema.Names()...)
		i := r.schema.Index(column)
		if i < 0 || r.hidden[i] {
			continue
		}
		found = append(found, r.qualifier+"."+r.schema.Columns[i].Name)
		idx, t = r.offset+i, r.schema.Columns[i].Type
	}
	switch len(found) {
	case 0:
		where := s.rels[0].qualifier
		if len(s.rels) > 1 {
			where = strings.Join(s.qualifiers(), ", ")
		}
		return 0, catalog.Type{}, fmt.Errorf("unknown column %s in %s%s", column, where, didYouMean(column, all))
	case 1:
		return idx, t, nil
	}
	return 0, catalog.Type{}, fmt.Errorf("column %s is ambiguous: %s", column, strings.Join(found, ", "))
}

// bind binds e in the scope and names its column references as the plan
// names the combined row's columns (the binder names them as written,
// `b.price`), so that EXPLAIN prints one spelling however a query
// qualifies them.
func (s *relScope) bind(e ast.ExprNode) (scalar.Expr, error) {
	bound, err := scalar.Bind(s, e)
	if err != nil {
		return nil, err
	}
	names := s.names()
	return mapColRefs(bound, func(r *scalar.ColRef) scalar.Expr {
		if r.Index >= len(names) {
			return r
		}
		return &scalar.ColRef{Index: r.Index, Name: names[r.Index], T: r.T}
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
