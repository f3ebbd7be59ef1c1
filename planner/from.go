package planner

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
)

// fromItem is a bound FROM item: a plan with its scope, or a table, which
// only the right side of a join may name (it is read by lookups).
type fromItem struct {
	plan  Logical
	scope *relScope
	table *catalog.Table
	pos   int
}

// from resolves the FROM clause: one source or view, or a tree of joins.
func (p *planner) from(q *parser.Query, sel *ast.SelectStmt, loc locator) (Logical, *relScope, error) {
	if sel.From == nil || sel.From.TableRefs == nil {
		return nil, nil, p.errorf(q.Offset, "a streaming query needs a FROM clause")
	}
	it, err := p.fromNode(q, sel.From.TableRefs, loc)
	if err != nil {
		return nil, nil, err
	}
	if it.table != nil {
		return nil, nil, p.errorf(it.pos, "not supported yet: reading table %s (tables are read by lookup joins)", it.table.Name)
	}
	return it.plan, it.scope, nil
}

// fromNode binds one FROM item.
func (p *planner) fromNode(q *parser.Query, n ast.ResultSetNode, loc locator) (*fromItem, error) {
	switch n := n.(type) {
	case *ast.Join:
		if n.Right == nil {
			return p.fromNode(q, n.Left, loc)
		}
		return p.join(q, n, loc)
	case *ast.TableSource:
		return p.tableSource(q, n, loc)
	}
	return nil, p.errorf(at(loc, n, q.Offset), "not supported yet: subqueries in FROM")
}

// tableSource binds `name [AS alias]` or a parenthesized join.
func (p *planner) tableSource(q *parser.Query, ts *ast.TableSource, loc locator) (*fromItem, error) {
	if j, ok := ts.Source.(*ast.Join); ok {
		return p.fromNode(q, j, loc)
	}
	if _, ok := ts.Source.(*ast.SelectStmt); ok {
		return p.derivedTable(q, ts, loc)
	}
	tn, ok := ts.Source.(*ast.TableName)
	if !ok {
		return nil, p.errorf(at(loc, ts.Source, q.Offset), "not supported yet: UNION, EXCEPT and INTERSECT in FROM")
	}
	pos := at(loc, tn, q.Offset)
	if tn.Schema.O != "" {
		return nil, p.errorf(pos, "qualified name %s.%s: pipelines have a single namespace", tn.Schema.O, tn.Name.O)
	}
	qual := tn.Name.O
	if ts.AsName.O != "" {
		qual = ts.AsName.O
	}
	if t, ok := p.cat.Tables[strings.ToLower(tn.Name.O)]; ok {
		return &fromItem{table: t, scope: newRelScope(qual, t.Schema), pos: pos}, nil
	}
	if a := asOfAt(q, pos); a != nil {
		return nil, p.errorf(a.Pos, "FOR SYSTEM_TIME AS OF needs a table (a lookup join); %s is not a table", tn.Name.O)
	}
	rel, err := p.relation(tn.Name.O, pos)
	if err != nil {
		return nil, err
	}
	if w := windowAt(q, pos); w != nil {
		return p.windowTVF(q, w, rel, qual, pos)
	}
	return &fromItem{plan: rel, scope: newRelScope(qual, rel.Schema()), pos: pos}, nil
}

// windowAt returns the window table function whose table argument is the
// table reference at file offset pos, or nil.
func windowAt(q *parser.Query, pos int) *parser.WindowTVF {
	for i := range q.Windows {
		if q.Windows[i].Table.Pos == pos {
			return &q.Windows[i]
		}
	}
	return nil
}

// asOfAt returns the FOR SYSTEM_TIME AS OF clause of the table reference
// at file offset pos, or nil.
func asOfAt(q *parser.Query, pos int) *parser.AsOfJoin {
	for i := range q.AsOf {
		if q.AsOf[i].Table.Pos == pos {
			return &q.AsOf[i]
		}
	}
	return nil
}

// fullJoin reports whether a LEFT join is really a FULL join: the parser
// hands TiDB `FULL [OUTER] JOIN` as `LEFT [OUTER] JOIN` and records where
// the right side of each one starts (parser.Query.FullJoins).
func fullJoin(q *parser.Query, n *ast.Join, loc locator) bool {
	if n.Tp != ast.LeftJoin || len(q.FullJoins) == 0 {
		return false
	}
	tn := leftmostTable(n.Right)
	if tn == nil {
		return false
	}
	pos := at(loc, tn, q.Offset)
	for _, f := range q.FullJoins {
		if f == pos {
			return true
		}
	}
	return false
}

// leftmostTable is the first table name written in a FROM item.
func leftmostTable(n ast.ResultSetNode) *ast.TableName {
	switch n := n.(type) {
	case *ast.Join:
		return leftmostTable(n.Left)
	case *ast.TableSource:
		if tn, ok := n.Source.(*ast.TableName); ok {
			return tn
		}
		if rs, ok := n.Source.(ast.ResultSetNode); ok {
			return leftmostTable(rs)
		}
	}
	return nil
}

// joinType maps TiDB's join type.
func joinType(n *ast.Join, full bool) JoinType {
	switch {
	case full:
		return FullJoin
	case n.Tp == ast.LeftJoin:
		return LeftJoin
	case n.Tp == ast.RightJoin:
		return RightJoin
	}
	return InnerJoin
}
