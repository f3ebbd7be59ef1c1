package exectest

import (
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
	_ "github.com/pingcap/tidb/pkg/parser/test_driver" // literal values for the parser

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// schemaScope resolves unqualified (or t-qualified) names in a schema.
type schemaScope struct{ s catalog.Schema }

func (sc schemaScope) Resolve(qualifier, column string) (int, catalog.Type, error) {
	if qualifier != "" && !strings.EqualFold(qualifier, "t") {
		return 0, catalog.Type{}, fmt.Errorf("unknown table %s (the input is t)", qualifier)
	}
	i := sc.s.Index(column)
	if i < 0 {
		return 0, catalog.Type{}, fmt.Errorf("unknown column %s in %s", column, sc.s)
	}
	return i, sc.s.Columns[i].Type, nil
}

// BoundExpr is one bound SELECT item with its output name.
type BoundExpr struct {
	Name string
	Expr scalar.Expr
}

// Bind parses `SELECT <list> FROM t` with TiDB's parser and binds each item
// against s. Output names are the aliases, else the item's text.
func Bind(s catalog.Schema, list string) ([]BoundExpr, error) {
	stmt, err := parser.New().ParseOneStmt("SELECT "+list+" FROM t", "", "")
	if err != nil {
		return nil, fmt.Errorf("parse %q: %w", list, err)
	}
	sel, ok := stmt.(*ast.SelectStmt)
	if !ok || sel.Fields == nil {
		return nil, fmt.Errorf("parse %q: not a select list", list)
	}
	var out []BoundExpr
	for _, f := range sel.Fields.Fields {
		if f.Expr == nil {
			return nil, fmt.Errorf("bind %q: * is not supported here", list)
		}
		e, err := scalar.Bind(schemaScope{s}, f.Expr)
		if err != nil {
			return nil, fmt.Errorf("bind %q: %w", f.Text(), err)
		}
		name := f.AsName.O
		for _, alt := range []string{f.Text(), f.Expr.Text(), e.String()} {
			if name == "" {
				name = strings.TrimSpace(alt)
			}
		}
		out = append(out, BoundExpr{Name: name, Expr: e})
	}
	return out, nil
}

// BindOne binds a single expression (a WHERE condition).
func BindOne(s catalog.Schema, sql string) (scalar.Expr, error) {
	es, err := Bind(s, sql)
	if err != nil {
		return nil, err
	}
	if len(es) != 1 {
		return nil, fmt.Errorf("want one expression, got %d in %q", len(es), sql)
	}
	return es[0].Expr, nil
}
