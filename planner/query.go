package planner

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
)

// planQuery binds a query and returns its optimized logical plan.
func (p *planner) planQuery(q *parser.Query) (Logical, error) {
	loc := queryLocator(q)
	sel, ok := q.Stmt.(*ast.SelectStmt)
	if !ok {
		return nil, p.errorf(q.Offset, "not supported yet: UNION, EXCEPT and INTERSECT")
	}
	if err := p.rejectUnsupported(q, sel, loc); err != nil {
		return nil, err
	}
	input, scope, err := p.from(q, sel, loc)
	if err != nil {
		return nil, err
	}
	if sel.Where != nil {
		if input, err = p.where(input, scope, sel.Where, loc, q.Offset); err != nil {
			return nil, err
		}
	}
	out, err := p.selectList(input, scope, sel.Fields, loc, q.Offset)
	if err != nil {
		return nil, err
	}
	return optimize(out), nil
}

// from resolves the FROM clause: one source or view, optionally aliased.
func (p *planner) from(q *parser.Query, sel *ast.SelectStmt, loc locator) (Logical, *relScope, error) {
	if sel.From == nil || sel.From.TableRefs == nil {
		return nil, nil, p.errorf(q.Offset, "a streaming query needs a FROM clause")
	}
	join := sel.From.TableRefs
	if join.Right != nil {
		return nil, nil, p.errorf(at(loc, join.Right, q.Offset), "not supported yet: joins")
	}
	ts, ok := join.Left.(*ast.TableSource)
	if !ok {
		return nil, nil, p.errorf(at(loc, join.Left, q.Offset), "not supported yet: joins")
	}
	tn, ok := ts.Source.(*ast.TableName)
	if !ok {
		return nil, nil, p.errorf(at(loc, ts.Source, q.Offset), "not supported yet: subqueries in FROM")
	}
	pos := at(loc, tn, q.Offset)
	if tn.Schema.O != "" {
		return nil, nil, p.errorf(pos, "qualified name %s.%s: pipelines have a single namespace", tn.Schema.O, tn.Name.O)
	}
	rel, err := p.relation(tn.Name.O, pos)
	if err != nil {
		return nil, nil, err
	}
	qual := tn.Name.O
	if ts.AsName.O != "" {
		qual = ts.AsName.O
	}
	return rel, &relScope{qualifier: qual, schema: rel.Schema()}, nil
}

// relation returns the logical plan that reads a named source or view.
func (p *planner) relation(name string, pos int) (Logical, error) {
	obj, ok := p.cat.Relation(name)
	if !ok {
		return nil, p.errorf(pos, "unknown source or view %s%s", name, didYouMean(name, p.cat.Names()))
	}
	switch o := obj.(type) {
	case *catalog.Source:
		return &LogicalScan{Source: o}, nil
	case *catalog.View:
		return p.views[strings.ToLower(o.Name)], nil
	case *catalog.Table:
		return nil, p.errorf(pos, "not supported yet: reading table %s (tables are read by lookup joins)", o.Name)
	}
	return nil, p.errorf(pos, "cannot read %s", name)
}

// where binds the WHERE clause into a filter.
func (p *planner) where(in Logical, scope *relScope, cond ast.ExprNode, loc locator, fallback int) (Logical, error) {
	pos := at(loc, cond, fallback)
	e, err := scope.bind(cond)
	if err != nil {
		return nil, p.positioned(err, loc, pos)
	}
	if id := e.Type().ID; id != catalog.Boolean && id != catalog.Null {
		return nil, p.errorf(pos, "type mismatch: WHERE needs a BOOLEAN condition, not %s", e.Type())
	}
	return &LogicalFilter{Input: in, Cond: e}, nil
}
