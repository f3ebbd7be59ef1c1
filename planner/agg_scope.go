package planner

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// aggPlaceholder prefixes the column names that stand for aggregate calls
// while an expression over the aggregation's output is bound. No SQL
// identifier can start with it.
const aggPlaceholder = "\x00agg"

// aggScope binds expressions over an aggregation: input columns resolve
// as in the FROM scope (index < width), placeholders of aggregate calls
// to width+k, and (in HAVING) select-list aliases to width+len(calls)+j.
type aggScope struct {
	in      *relScope
	width   int
	calls   []AggCall
	aliases map[string]int // lower-cased alias → select field; nil outside HAVING
	types   []catalog.Type // select field types, for aliases
}

var _ scalar.Scope = (*aggScope)(nil)

// Resolve implements scalar.Scope. In HAVING an unqualified name that is a
// select-list alias denotes that output column (MySQL prefers the alias).
func (s *aggScope) Resolve(qualifier, column string) (int, catalog.Type, error) {
	if qualifier == "" && strings.HasPrefix(column, aggPlaceholder) {
		k, err := strconv.Atoi(column[len(aggPlaceholder):])
		if err != nil || k >= len(s.calls) {
			return 0, catalog.Type{}, fmt.Errorf("planner: bad aggregate placeholder %q", column)
		}
		return s.width + k, s.calls[k].T, nil
	}
	if j, ok := s.aliases[strings.ToLower(column)]; ok && qualifier == "" {
		return s.width + len(s.calls) + j, s.types[j], nil
	}
	return s.in.Resolve(qualifier, column)
}

// bindWithAggs binds e over the aggregation's scope: every aggregate call
// in e (already added to a.calls, see aggOf) is replaced by its
// placeholder for binding, and put back afterwards so the AST stays as
// parsed. It returns e as its own root when e is itself an aggregate.
func bindWithAggs(s *aggScope, e ast.ExprNode, aggOf map[*ast.AggregateFuncExpr]int) (scalar.Expr, error) {
	r := &aggReplacer{aggOf: aggOf, orig: map[ast.Node]*ast.AggregateFuncExpr{}}
	root, _ := e.Accept(r)
	bound, err := scalar.Bind(s, root.(ast.ExprNode))
	root.Accept(&aggRestorer{orig: r.orig})
	return bound, err
}

// aggReplacer swaps aggregate calls for placeholder column references.
type aggReplacer struct {
	aggOf map[*ast.AggregateFuncExpr]int
	orig  map[ast.Node]*ast.AggregateFuncExpr
}

func (v *aggReplacer) Enter(n ast.Node) (ast.Node, bool) {
	_, ok := n.(*ast.AggregateFuncExpr)
	return n, ok
}

func (v *aggReplacer) Leave(n ast.Node) (ast.Node, bool) {
	a, ok := n.(*ast.AggregateFuncExpr)
	if !ok {
		return n, true
	}
	k, ok := v.aggOf[a]
	if !ok {
		return n, true
	}
	ph := &ast.ColumnNameExpr{Name: &ast.ColumnName{Name: ast.NewCIStr(aggPlaceholder + strconv.Itoa(k))}}
	v.orig[ph] = a
	return ph, true
}

// aggRestorer puts the aggregate calls back.
type aggRestorer struct {
	orig map[ast.Node]*ast.AggregateFuncExpr
}

func (v *aggRestorer) Enter(n ast.Node) (ast.Node, bool) { return n, false }

func (v *aggRestorer) Leave(n ast.Node) (ast.Node, bool) {
	if a, ok := v.orig[n]; ok {
		return a, true
	}
	return n, true
}

// columnNode finds, outside aggregate calls, the column reference of e
// that resolves to input column idx (for positioning errors).
func columnNode(e ast.Node, scope *relScope, idx int) ast.Node {
	v := &columnFinder{scope: scope, idx: idx}
	e.Accept(v)
	return v.found
}

type columnFinder struct {
	scope *relScope
	idx   int
	found ast.Node
}

func (v *columnFinder) Enter(n ast.Node) (ast.Node, bool) {
	if v.found != nil {
		return n, true
	}
	switch n := n.(type) {
	case *ast.AggregateFuncExpr:
		return n, true
	case *ast.ColumnNameExpr:
		if i, _, err := v.scope.Resolve(n.Name.Table.O, n.Name.Name.O); err == nil && i == v.idx {
			v.found = n
		}
	}
	return n, false
}

func (v *columnFinder) Leave(n ast.Node) (ast.Node, bool) { return n, true }
