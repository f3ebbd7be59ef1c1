package planner

import (
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/parser"
)

// derivedTable binds a subquery in FROM, `(SELECT ...) AS alias`: the
// inner query is planned like a top-level one (it shares the enclosing
// parser.Query, so its errors and lifted clauses are found by file
// offset; a FILTER applies to the SELECT of its call, see callOwners) and
// read under its alias. This is how a filter applies to a
// window function's column (the Top-N pattern `WHERE rn <= 3`).
func (p *planner) derivedTable(q *parser.Query, ts *ast.TableSource, loc locator) (*fromItem, error) {
	pos := at(loc, ts, q.Offset)
	sel, ok := ts.Source.(*ast.SelectStmt)
	if !ok {
		return nil, p.errorf(pos, "not supported yet: UNION, EXCEPT and INTERSECT")
	}
	if ts.AsName.O == "" {
		return nil, p.errorf(pos, "a subquery in FROM needs an alias: (SELECT ...) AS name")
	}
	// EMIT ON WINDOW CLOSE ends the query's text but applies to the
	// outermost SELECT only: the subquery is planned without it.
	inner := *q
	inner.Emit = parser.EmitOnUpdate
	plan, err := p.planSelect(&inner, sel, loc)
	if err != nil {
		return nil, err
	}
	return &fromItem{plan: plan, scope: newRelScope(ts.AsName.O, plan.Schema()), pos: pos}, nil
}
