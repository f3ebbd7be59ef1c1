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
	it, err := p.fromNode(q, sel.From.TableRefs, loc, false)
	if err != nil {
		return nil, nil, err
	}
	if it.table != nil {
		return nil, nil, p.errorf(it.pos, "not supported yet: reading table %s (tables are read by lookup joins)", it.table.Name)
	}
	return it.plan, it.scope, nil
}

// fromNode binds one FROM item. noAlias drops a TableSource's alias (see
// fullJoinAlias).
func (p *planner) fromNode(q *parser.Query, n ast.ResultSetNode, loc locator, noAlias bool) (*fromItem, error) {
	switch n := n.(type) {
	case *ast.Join:
		if n.Right == nil {
			return p.fromNode(q, n.Left, loc, noAlias)
		}
		return p.join(q, n, loc)
	case *ast.TableSource:
		return p.tableSource(q, n, loc, noAlias)
	}
	return nil, p.errorf(at(loc, n, q.Offset), "not supported yet: subqueries in FROM")
}

// tableSource binds `name [AS alias]` or a parenthesized join.
func (p *planner) tableSource(q *parser.Query, ts *ast.TableSource, loc locator, noAlias bool) (*fromItem, error) {
	if j, ok := ts.Source.(*ast.Join); ok {
		return p.fromNode(q, j, loc, false)
	}
	tn, ok := ts.Source.(*ast.TableName)
	if !ok {
		return nil, p.errorf(at(loc, ts.Source, q.Offset), "not supported yet: subqueries in FROM")
	}
	pos := at(loc, tn, q.Offset)
	if tn.Schema.O != "" {
		return nil, p.errorf(pos, "qualified name %s.%s: pipelines have a single namespace", tn.Schema.O, tn.Name.O)
	}
	qual := tn.Name.O
	if ts.AsName.O != "" && !noAlias {
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
	return &fromItem{plan: rel, scope: newRelScope(qual, rel.Schema()), pos: pos}, nil
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

// fullJoinAlias reports whether the left side of a join is `t FULL`: TiDB
// has no FULL JOIN and parses `a FULL JOIN b` as `a AS full JOIN b`, so a
// left table aliased FULL marks a full outer join.
func fullJoinAlias(n *ast.Join) bool {
	ts, ok := n.Left.(*ast.TableSource)
	return ok && n.Tp == ast.CrossJoin && strings.EqualFold(ts.AsName.O, "full") && (n.On != nil || len(n.Using) > 0)
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
