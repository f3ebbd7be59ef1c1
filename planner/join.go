package planner

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/opcode"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// join binds `left [INNER|LEFT|RIGHT|FULL] JOIN right ON cond | USING (cols)`
// and comma joins (no condition: the WHERE clause supplies it). A join
// whose right side is a table is a lookup join.
func (p *planner) join(q *parser.Query, n *ast.Join, loc locator) (*fromItem, error) {
	full := fullJoin(q, n, loc)
	left, err := p.fromNode(q, n.Left, loc)
	if err != nil {
		return nil, err
	}
	right, err := p.fromNode(q, n.Right, loc)
	if err != nil {
		return nil, err
	}
	if n.NaturalJoin {
		return nil, p.errorf(right.pos, "not supported yet: NATURAL JOIN; use JOIN ... USING (columns)")
	}
	if left.table != nil {
		return nil, p.errorf(left.pos, "table %s can only be the right side of a join (tables are read by lookups)", left.table.Name)
	}
	for _, qual := range right.scope.qualifiers() {
		if left.scope.rel(qual) != nil {
			return nil, p.errorf(right.pos, "table name %s is used twice in FROM; give one an alias", qual)
		}
	}
	typ := joinType(n, full)
	scope := left.scope.join(right.scope)
	cond, err := p.joinCond(q, n, left.scope, scope, typ, loc, right.pos)
	if err != nil {
		return nil, err
	}
	if right.table != nil {
		return p.lookupJoin(q, left, right, typ, cond, scope)
	}
	pos := right.pos
	if pos == q.Offset && n.On != nil {
		pos = at(loc, n.On.Expr, pos) // a subquery has no position of its own
	}
	j := &LogicalJoin{Left: left.plan, Right: right.plan, Type: typ, Cond: cond, Names: scope.names(), StateTTLMs: p.stateTTLMs, Pos: pos}
	return &fromItem{plan: j, scope: scope, pos: left.pos}, nil
}

// lookupJoin builds the join of a stream with a table.
func (p *planner) lookupJoin(q *parser.Query, left, right *fromItem, typ JoinType, cond scalar.Expr, scope *relScope) (*fromItem, error) {
	if typ != InnerJoin && typ != LeftJoin {
		return nil, p.errorf(right.pos, "%s JOIN to table %s: a lookup join is INNER or LEFT (the table is read by lookups, not streamed)",
			strings.ToUpper(typ.String()), right.table.Name)
	}
	if cond == nil {
		return nil, p.errorf(right.pos, "lookup join to table %s needs ON equalities between columns of %s and the input", right.table.Name, right.table.Name)
	}
	j := &LogicalLookupJoin{Input: left.plan, Table: right.table, Type: typ, Cond: cond, Names: scope.names(), Pos: right.pos}
	return &fromItem{plan: j, scope: scope, pos: left.pos}, nil
}

// joinCond binds ON or USING over the combined row; nil means none (a
// comma or cross join).
func (p *planner) joinCond(q *parser.Query, n *ast.Join, leftScope, scope *relScope, typ JoinType, loc locator, pos int) (scalar.Expr, error) {
	if n.On != nil {
		e, err := scope.bind(n.On.Expr)
		if err != nil {
			return nil, p.positioned(err, loc, at(loc, n.On.Expr, pos))
		}
		if id := e.Type().ID; id != catalog.Boolean && id != catalog.Null {
			return nil, p.errorf(at(loc, n.On.Expr, pos), "type mismatch: ON needs a BOOLEAN condition, not %s", e.Type())
		}
		return e, nil
	}
	var cond scalar.Expr
	for _, c := range n.Using {
		e, err := p.usingColumn(c, leftScope, scope, typ, loc, pos)
		if err != nil {
			return nil, err
		}
		if cond == nil {
			cond = e
		} else {
			cond = and(cond, e)
		}
	}
	return cond, nil
}

// usingColumn binds one USING column as left.c = right.c and hides the
// column of the side whose values the unqualified name does not denote
// (the right side's, the left side's for a RIGHT JOIN).
func (p *planner) usingColumn(c *ast.ColumnName, leftScope, scope *relScope, typ JoinType, loc locator, pos int) (scalar.Expr, error) {
	li, _, err := leftScope.Resolve("", c.Name.O)
	if err != nil {
		return nil, p.errorf(at(loc, c, pos), "USING column %s: %s", c.Name.O, err.Error())
	}
	lrel, _ := scope.column(li)
	var rrel *scopeRel
	ri := -1
	for k := len(leftScope.rels); k < len(scope.rels); k++ {
		if i := scope.rels[k].schema.Index(c.Name.O); i >= 0 {
			if rrel != nil {
				return nil, p.errorf(at(loc, c, pos), "USING column %s is ambiguous on the right side", c.Name.O)
			}
			rrel, ri = &scope.rels[k], i
		}
	}
	if rrel == nil {
		return nil, p.errorf(at(loc, c, pos), "USING column %s is not a column of the right side", c.Name.O)
	}
	eq := &ast.BinaryOperationExpr{Op: opcode.EQ, L: colExpr(lrel.qualifier, c.Name.O), R: colExpr(rrel.qualifier, c.Name.O)}
	e, err := scope.bind(eq)
	if err != nil {
		return nil, p.errorf(at(loc, c, pos), "USING column %s: %s", c.Name.O, err.Error())
	}
	if typ == RightJoin {
		_, lc := scope.column(li)
		lrel.hidden[lc] = true
	} else {
		rrel.hidden[ri] = true
	}
	return e, nil
}

// colExpr builds the AST of `qualifier.column`.
func colExpr(qualifier, column string) *ast.ColumnNameExpr {
	return &ast.ColumnNameExpr{Name: &ast.ColumnName{Table: ast.NewCIStr(qualifier), Name: ast.NewCIStr(column)}}
}
