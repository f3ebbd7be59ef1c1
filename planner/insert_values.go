package planner

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// insertValues folds INSERT ... VALUES rows into literals of the table's
// column types and appends them to the table's TableInit.
func (p *planner) insertValues(t *catalog.Table, targets []int, st *parser.Insert) error {
	init, ok := p.inits[strings.ToLower(t.Name)]
	if !ok {
		return p.errorf(st.Table.Pos, "INSERT ... VALUES needs a DuckDB table; %s is read through connector '%s'", t.Name, t.Connector)
	}
	loc := func(n ast.Node) int { return st.Locate(n) }
	for _, vals := range st.Values {
		if len(vals) != len(targets) {
			pos := st.Table.Pos
			if len(vals) > 0 {
				pos = at(loc, vals[0], pos)
			}
			return p.errorf(pos, "VALUES row has %d values, table %s expects %d", len(vals), t.Name, len(targets))
		}
		row, err := p.valuesRow(t, targets, vals, loc, st.Table.Pos)
		if err != nil {
			return err
		}
		init.Rows = append(init.Rows, row)
	}
	return nil
}

// valuesRow folds one VALUES row, in table column order; columns the
// INSERT does not name are NULL.
func (p *planner) valuesRow(t *catalog.Table, targets []int, vals []ast.ExprNode, loc locator, fallback int) ([]*scalar.Literal, error) {
	row := make([]*scalar.Literal, t.Schema.Len())
	for j, c := range t.Schema.Columns {
		row[j] = &scalar.Literal{T: c.Type}
	}
	for i, v := range vals {
		pos := at(loc, v, fallback)
		e, err := scalar.Bind(constScope{}, v)
		if err != nil {
			return nil, p.positioned(err, loc, pos)
		}
		col := t.Schema.Columns[targets[i]]
		lit, err := foldConstant(e)
		if err == nil {
			lit, err = coerceLiteral(lit, col.Type)
		}
		if err != nil {
			return nil, p.errorf(pos, "column %s: %s", col.Name, err.Error())
		}
		if lit.Value == nil && col.NotNull {
			return nil, p.errorf(pos, "column %s is NOT NULL", col.Name)
		}
		row[targets[i]] = lit
	}
	return row, nil
}
