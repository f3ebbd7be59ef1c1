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
	out, err := p.planSelect(q, sel, loc)
	if err != nil {
		return nil, err
	}
	return optimize(out), nil
}

// planSelect binds one SELECT of q (the query itself or a subquery in its
// FROM clause) into a logical plan, not yet optimized.
func (p *planner) planSelect(q *parser.Query, sel *ast.SelectStmt, loc locator) (Logical, error) {
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
	var out Logical
	switch {
	case hasWindowFunc(sel):
		out, err = p.overSelect(q, sel, input, scope, loc)
	case isAggregate(sel):
		out, err = p.aggregate(q, sel, input, scope, loc)
	default:
		out, err = p.selectList(input, scope, sel.Fields, loc, q.Offset)
	}
	if err != nil {
		return nil, err
	}
	if sel.Distinct {
		out = p.distinct(out, q.Offset)
	}
	return out, nil
}

// distinct is SELECT DISTINCT: a grouping by every output column; pos is
// the query's start.
func (p *planner) distinct(in Logical, pos int) Logical {
	s := in.Schema()
	groupBy := identityMapping(s.Len())
	return &LogicalAgg{Input: in, GroupBy: groupBy, Names: s.Names(), StateTTLMs: p.stateTTLMs, Pos: pos}
}

// relation returns the logical plan that reads a named source or view: a
// scan of a source, a scan of a materialized view's changelog, or a plain
// view's plan inlined.
func (p *planner) relation(name string, pos int) (Logical, error) {
	obj, ok := p.cat.Relation(name)
	if !ok {
		return nil, p.errorf(pos, "unknown source or view %s%s", name, didYouMean(name, p.cat.Names()))
	}
	switch o := obj.(type) {
	case *catalog.Source:
		return &LogicalScan{Source: o}, nil
	case *catalog.View:
		if o.Materialized {
			return &LogicalViewScan{View: o}, nil
		}
		return p.views[strings.ToLower(o.Name)], nil
	case *catalog.Table:
		return nil, p.errorf(pos, "not supported yet: reading table %s (tables are read by lookup joins)", o.Name)
	}
	return nil, p.errorf(pos, "cannot read %s", name)
}

// where binds the WHERE clause into a filter.
func (p *planner) where(in Logical, scope *relScope, cond ast.ExprNode, loc locator, fallback int) (Logical, error) {
	pos := at(loc, cond, fallback)
	if agg := findAgg(cond); agg != nil {
		return nil, p.errorf(at(loc, agg, pos), "aggregate function %s is not allowed in WHERE; filter groups with HAVING", strings.ToUpper(agg.F))
	}
	e, err := scope.bind(cond)
	if err != nil {
		return nil, p.positioned(err, loc, pos)
	}
	if id := e.Type().ID; id != catalog.Boolean && id != catalog.Null {
		return nil, p.errorf(pos, "type mismatch: WHERE needs a BOOLEAN condition, not %s", e.Type())
	}
	return &LogicalFilter{Input: in, Cond: e}, nil
}
