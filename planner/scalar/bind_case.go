package scalar

import (
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/catalog"
)

// bindCase binds both CASE forms. With an operand, the operand and every
// WHEN value are cast to their common comparison type; without, each WHEN
// is BOOLEAN. THEN and ELSE results are unified (types.go).
func (b *binder) bindCase(n *ast.CaseExpr) (Expr, error) {
	c := &Case{}
	var err error
	if n.Value != nil {
		if c.Operand, err = b.bind(n.Value); err != nil {
			return nil, err
		}
	}
	conds, condNodes, results, resNodes, err := b.caseArms(n)
	if err != nil {
		return nil, err
	}
	if c.Operand != nil {
		all, err := toCommon(n, append([]Expr{c.Operand}, conds...), append([]ast.ExprNode{n.Value}, condNodes...))
		if err != nil {
			return nil, err
		}
		c.Operand, conds = all[0], all[1:]
	} else if conds, err = boolArgs(n, conds, condNodes); err != nil {
		return nil, err
	}
	if results, c.T, err = unifyAll(n, results, resNodes, "CASE results"); err != nil {
		return nil, err
	}
	for i := range conds {
		c.Whens = append(c.Whens, When{Cond: conds[i], Then: results[i]})
	}
	if n.ElseClause != nil {
		c.Else = results[len(results)-1]
	}
	return c, nil
}

// caseArms binds the WHEN conditions and the THEN/ELSE results.
func (b *binder) caseArms(n *ast.CaseExpr) (conds []Expr, condNodes []ast.ExprNode, results []Expr, resNodes []ast.ExprNode, err error) {
	for _, w := range n.WhenClauses {
		condNodes = append(condNodes, w.Expr)
		resNodes = append(resNodes, w.Result)
	}
	if n.ElseClause != nil {
		resNodes = append(resNodes, n.ElseClause)
	}
	if conds, err = b.bindAll(condNodes); err != nil {
		return
	}
	results, err = b.bindAll(resNodes)
	return
}

// boolArgs checks and casts conditions to BOOLEAN.
func boolArgs(n ast.Node, args []Expr, nodes []ast.ExprNode) ([]Expr, error) {
	for i, a := range args {
		if t := a.Type(); t.ID != catalog.Boolean && t.ID != catalog.Null && !t.IsNumeric() {
			return nil, errorf(nodes[i], "condition must be BOOLEAN, got %s", t)
		}
	}
	return coerceAll(args, catalog.BooleanType, nodes)
}
