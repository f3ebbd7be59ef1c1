package planner

import (
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/parser"
)

// callOwners maps the file offset of every call in a query (function,
// aggregate or window function, by the locator) to the innermost SELECT
// that contains it. A subquery in FROM is planned with its enclosing
// parser.Query, whose lifted clauses (FILTER) are listed once for the whole
// text; a FILTER belongs to the SELECT of the call it follows, so each
// SELECT applies, and checks, only its own.
type callOwners struct {
	owner  map[int]*ast.SelectStmt
	window map[int]bool // calls that are window functions
	outer  *ast.SelectStmt
}

// ownersOf walks q's statement; it is cheap and only needed when q has
// lifted FILTER clauses.
func ownersOf(q *parser.Query, loc locator) *callOwners {
	outer, _ := q.Stmt.(*ast.SelectStmt)
	o := &callOwners{owner: map[int]*ast.SelectStmt{}, window: map[int]bool{}, outer: outer}
	if len(q.Filters) > 0 && q.Stmt != nil {
		q.Stmt.Accept(&ownerVisitor{o: o, loc: loc})
	}
	return o
}

// of returns the SELECT that owns the call at file offset pos: the
// outermost SELECT when no call is found there (its checks report it).
func (o *callOwners) of(pos int) *ast.SelectStmt {
	if s, ok := o.owner[pos]; ok {
		return s
	}
	return o.outer
}

// ownsFilter reports whether FILTER i of q belongs to sel.
func (o *callOwners) ownsFilter(q *parser.Query, i int, sel *ast.SelectStmt) bool {
	return o.of(q.Filters[i].Agg) == sel
}

// ownerVisitor records each call's innermost enclosing SELECT.
type ownerVisitor struct {
	o     *callOwners
	loc   locator
	stack []*ast.SelectStmt
}

func (v *ownerVisitor) Enter(n ast.Node) (ast.Node, bool) {
	switch x := n.(type) {
	case *ast.SelectStmt:
		v.stack = append(v.stack, x)
	case *ast.FuncCallExpr, *ast.AggregateFuncExpr, *ast.WindowFuncExpr:
		if len(v.stack) == 0 {
			break
		}
		pos := v.loc(n)
		if _, seen := v.o.owner[pos]; pos >= 0 && !seen {
			v.o.owner[pos] = v.stack[len(v.stack)-1]
			_, v.o.window[pos] = x.(*ast.WindowFuncExpr)
		}
	}
	return n, false
}

func (v *ownerVisitor) Leave(n ast.Node) (ast.Node, bool) {
	if _, ok := n.(*ast.SelectStmt); ok {
		v.stack = v.stack[:len(v.stack)-1]
	}
	return n, true
}
