package planner

import (
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/parser"
)

// rejectUnsupported returns a positioned "not supported yet" error for
// the first clause of sel that this version cannot plan.
func (p *planner) rejectUnsupported(q *parser.Query, sel *ast.SelectStmt, loc locator) error {
	type clause struct {
		present bool
		node    ast.Node
		what    string
	}
	var orderBy, limit ast.Node
	if sel.OrderBy != nil && len(sel.OrderBy.Items) > 0 {
		orderBy = sel.OrderBy.Items[0].Expr
	}
	if sel.Limit != nil {
		limit = sel.Limit.Count
	}
	for _, c := range []clause{
		{sel.With != nil, nil, "WITH (common table expressions)"},
		{len(sel.WindowSpecs) > 0, nil, "WINDOW clauses"},
		{sel.OrderBy != nil, orderBy, "ORDER BY"},
		{sel.Limit != nil, limit, "LIMIT"},
	} {
		if c.present {
			return p.errorf(at(loc, c.node, q.Offset), "not supported yet: %s", c.what)
		}
	}
	// q.Emit is set for the outermost SELECT only (derivedTable plans a
	// subquery without it).
	if q.Emit == parser.EmitOnWindowClose && !isAggregate(sel) {
		return p.errorf(p.emitPos(q), "EMIT ON WINDOW CLOSE applies to an aggregation (GROUP BY window_start, window_end or an event-time column)")
	}
	if err := p.rejectStrayFilters(q, sel, loc); err != nil {
		return err
	}
	return p.rejectUnsupportedExprs(sel, loc, q.Offset)
}

// rejectStrayFilters reports a FILTER of a SELECT that is not an
// aggregation (an aggregation checks its own, aggQuery.checkFilters): it
// follows a call that is not an aggregate. One after a window function is
// left to the window binder, which says that it is not supported there.
func (p *planner) rejectStrayFilters(q *parser.Query, sel *ast.SelectStmt, loc locator) error {
	if len(q.Filters) == 0 || isAggregate(sel) {
		return nil
	}
	owners := ownersOf(q, loc)
	for i, f := range q.Filters {
		if owners.ownsFilter(q, i, sel) && !owners.window[f.Agg] {
			return p.errorf(f.Pos, "FILTER (WHERE ...) applies only to aggregate functions")
		}
	}
	return nil
}

// rejectUnsupportedExprs finds window functions and subqueries in the
// SELECT list, WHERE and HAVING.
func (p *planner) rejectUnsupportedExprs(sel *ast.SelectStmt, loc locator, fallback int) error {
	v := &unsupportedExpr{windowsOK: true}
	if sel.Fields != nil {
		for _, f := range sel.Fields.Fields {
			if f.Expr != nil {
				f.Expr.Accept(v)
			}
		}
	}
	v.windowsOK = false // OVER is computed after WHERE and HAVING
	for _, e := range []ast.ExprNode{sel.Where, havingExpr(sel)} {
		if e != nil && v.node == nil {
			e.Accept(v)
		}
	}
	if v.node != nil {
		return p.errorf(at(loc, v.node, fallback), "not supported yet: %s", v.what)
	}
	return nil
}

// unsupportedExpr is an AST visitor that stops at the first expression
// kind the planner cannot handle yet. Window functions are allowed only
// where windowsOK (the select list).
type unsupportedExpr struct {
	node      ast.Node
	what      string
	windowsOK bool
}

func (v *unsupportedExpr) Enter(n ast.Node) (ast.Node, bool) {
	if v.node != nil {
		return n, true
	}
	switch n := n.(type) {
	case *ast.WindowFuncExpr:
		if !v.windowsOK {
			v.node, v.what = n, "OVER window function "+n.Name+" outside the select list; filter on a window column in an outer query: SELECT * FROM (SELECT ..., ROW_NUMBER() OVER (...) AS rn FROM t) AS x WHERE rn <= 3"
		}
	case *ast.SubqueryExpr:
		v.node, v.what = n, "subqueries"
	case *ast.ExistsSubqueryExpr:
		v.node, v.what = n, "EXISTS subqueries"
	}
	return n, v.node != nil
}

func (v *unsupportedExpr) Leave(n ast.Node) (ast.Node, bool) { return n, true }

func havingExpr(sel *ast.SelectStmt) ast.ExprNode {
	if sel.Having == nil {
		return nil
	}
	return sel.Having.Expr
}
