package planner

import (
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/format"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// selectList binds the SELECT list into a projection over in.
//
// Output column names: the alias when given; else the column's declared
// name for a bare column reference (`SELECT AUCTION` outputs "auction" if
// the source declares "auction"); else the expression text as written
// (`price * 0.908`). Duplicates (case-insensitive) are renamed as DuckDB
// does: the first keeps its name, later ones become name_1, name_2, ...
func (p *planner) selectList(in Logical, scope *relScope, fields *ast.FieldList, loc locator, fallback int) (Logical, error) {
	var exprs []scalar.Expr
	var names []string
	for _, f := range fields.Fields {
		if f.WildCard != nil {
			e, n, err := p.wildcard(scope, f, loc, fallback)
			if err != nil {
				return nil, err
			}
			exprs, names = append(exprs, e...), append(names, n...)
			continue
		}
		e, err := scope.bind(f.Expr)
		if err != nil {
			return nil, p.positioned(err, loc, at(loc, f.Expr, fallback))
		}
		exprs, names = append(exprs, e), append(names, fieldName(f, scope))
	}
	return &LogicalProject{Input: in, Exprs: exprs, Names: dedupNames(names)}, nil
}

// wildcard expands `*` or `t.*` into references to every input column
// (of relation t), skipping the hidden side of USING columns for `*`.
func (p *planner) wildcard(scope *relScope, f *ast.SelectField, loc locator, fallback int) ([]scalar.Expr, []string, error) {
	rels := scope.rels
	if q := f.WildCard.Table.O; q != "" {
		r := scope.rel(q)
		if r == nil {
			return nil, nil, p.errorf(at(loc, f, fallback), "unknown table %s in %s.*%s",
				q, q, didYouMean(q, scope.qualifiers()))
		}
		rels = []scopeRel{*r}
	}
	planNames := scope.names()
	var exprs []scalar.Expr
	var names []string
	for _, r := range rels {
		for i, c := range r.schema.Columns {
			if r.hidden[i] && f.WildCard.Table.O == "" {
				continue
			}
			exprs = append(exprs, &scalar.ColRef{Index: r.offset + i, Name: planNames[r.offset+i], T: c.Type})
			names = append(names, c.Name)
		}
	}
	return exprs, names, nil
}

// fieldName names one output column (see selectList).
func fieldName(f *ast.SelectField, scope *relScope) string {
	if f.AsName.O != "" {
		return f.AsName.O
	}
	if c, ok := f.Expr.(*ast.ColumnNameExpr); ok {
		if i, _, err := scope.Resolve(c.Name.Table.O, c.Name.Name.O); err == nil {
			return scope.plainName(i)
		}
	}
	if t := strings.TrimSpace(f.Text()); t != "" {
		return t
	}
	return restore(f.Expr)
}

// restore renders an AST expression as SQL text.
func restore(n ast.Node) string {
	var b strings.Builder
	if err := n.Restore(format.NewRestoreCtx(format.DefaultRestoreFlags, &b)); err != nil {
		return fmt.Sprintf("%T", n)
	}
	return b.String()
}

// dedupNames renames case-insensitive duplicates to name_1, name_2, ...,
// skipping suffixed names that are already taken.
func dedupNames(names []string) []string {
	written := make(map[string]bool, len(names))
	for _, n := range names {
		written[strings.ToLower(n)] = true
	}
	assigned := make(map[string]bool, len(names))
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		for j := 1; assigned[strings.ToLower(out[i])]; j++ {
			if c := fmt.Sprintf("%s_%d", n, j); !written[strings.ToLower(c)] {
				out[i] = c
			}
		}
		assigned[strings.ToLower(out[i])] = true
	}
	return out
}
