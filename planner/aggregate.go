package planner

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/test_driver"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// aggQuery is the state of binding one aggregate query (GROUP BY,
// aggregate calls or HAVING). Its plan is
//
//	Project(select list) ← Filter(HAVING) ← Agg ← Project(pre) ← input
//
// where pre computes the group expressions (pre[:groups]), then the
// aggregate arguments and FILTER conditions, each expression once.
type aggQuery struct {
	p          *planner
	q          *parser.Query
	loc        locator
	scope      *relScope
	pre        []scalar.Expr
	groups     int
	calls      []AggCall
	aggOf      map[*ast.AggregateFuncExpr]int
	usedFilter []bool
	// fieldExpr[j] is the first select expression of field j (wildcards
	// expand to several).
	fieldExpr []int
	// pos is the file offset of the GROUP BY keyword, or the query's start.
	pos int
}

// isAggregate reports whether sel needs an aggregation.
func isAggregate(sel *ast.SelectStmt) bool {
	if sel.GroupBy != nil || sel.Having != nil {
		return true
	}
	for _, f := range sel.Fields.Fields {
		if f.Expr != nil && findAgg(f.Expr) != nil {
			return true
		}
	}
	return false
}

// aggregate plans the aggregation, HAVING and select list of sel over in.
func (p *planner) aggregate(q *parser.Query, sel *ast.SelectStmt, in Logical, scope *relScope, loc locator) (Logical, error) {
	a := &aggQuery{p: p, q: q, loc: loc, scope: scope, aggOf: map[*ast.AggregateFuncExpr]int{}, usedFilter: make([]bool, len(q.Filters)), pos: q.Offset}
	if err := a.groupBy(sel); err != nil {
		return nil, err
	}
	if err := a.collectAggs(sel); err != nil {
		return nil, err
	}
	exprs, names, err := a.selectList(sel.Fields.Fields)
	if err != nil {
		return nil, err
	}
	agg := a.node(in, exprs, sel.Fields.Fields)
	out := p.emitOnClose(q, agg)
	if sel.Having != nil {
		cond, err := a.having(sel.Having.Expr, sel.Fields.Fields, exprs)
		if err != nil {
			return nil, err
		}
		out = &LogicalFilter{Input: out, Cond: renameCols(cond, agg.Names)}
	}
	for i, e := range exprs {
		exprs[i] = renameCols(e, agg.Names)
	}
	return &LogicalProject{Input: out, Exprs: exprs, Names: dedupNames(names)}, nil
}

// renameCols names every column reference of e by names.
func renameCols(e scalar.Expr, names []string) scalar.Expr {
	return mapColRefs(e, func(r *scalar.ColRef) scalar.Expr {
		return &scalar.ColRef{Index: r.Index, Name: names[r.Index], T: r.T}
	})
}

// addPre adds e to the pre-aggregation projection (once) and returns its
// column.
func (a *aggQuery) addPre(e scalar.Expr) int {
	for i, x := range a.pre {
		if exprEqual(x, e) {
			return i
		}
	}
	a.pre = append(a.pre, e)
	return len(a.pre) - 1
}

// groupBy binds the GROUP BY items: expressions over the input, select
// list positions (`GROUP BY 1`) and select-list aliases not naming an
// input column, as MySQL resolves them.
func (a *aggQuery) groupBy(sel *ast.SelectStmt) error {
	if sel.GroupBy == nil {
		return nil
	}
	for i, item := range sel.GroupBy.Items {
		pos := at(a.loc, item.Expr, at(a.loc, item, a.q.Offset))
		if i == 0 {
			a.pos = keywordBefore(a.p.file.Text, a.q.Offset, pos, "GROUP")
		}
		e, err := a.groupItem(item.Expr, sel.Fields.Fields, pos)
		if err != nil {
			return err
		}
		if agg := findAgg(e); agg != nil {
			return a.p.errorf(pos, "GROUP BY cannot contain aggregate functions")
		}
		bound, err := a.scope.bind(e)
		if err != nil {
			return a.p.positioned(err, a.loc, pos)
		}
		if i := a.addPre(bound); i == a.groups {
			a.groups++
		}
	}
	return nil
}

// groupItem returns the expression a GROUP BY item denotes.
func (a *aggQuery) groupItem(e ast.ExprNode, fields []*ast.SelectField, pos int) (ast.ExprNode, error) {
	if k, ok := positionLiteral(e); ok {
		if k < 1 || int(k) > len(fields) {
			return nil, a.p.errorf(pos, "GROUP BY position %d is not in the select list (1..%d)", k, len(fields))
		}
		if fields[k-1].WildCard != nil {
			return nil, a.p.errorf(pos, "GROUP BY position %d is a wildcard; name the columns", k)
		}
		return fields[k-1].Expr, nil
	}
	c, ok := e.(*ast.ColumnNameExpr)
	if !ok || c.Name.Table.O != "" {
		return e, nil
	}
	if _, _, err := a.scope.Resolve("", c.Name.Name.O); err == nil {
		return e, nil
	}
	for _, f := range fields {
		if f.WildCard == nil && strings.EqualFold(f.AsName.O, c.Name.Name.O) {
			return f.Expr, nil
		}
	}
	return e, nil
}

// collectAggs binds every aggregate call of the select list and HAVING.
func (a *aggQuery) collectAggs(sel *ast.SelectStmt) error {
	var nodes []ast.Node
	for _, f := range sel.Fields.Fields {
		if f.Expr != nil {
			nodes = append(nodes, f.Expr)
		}
	}
	if sel.Having != nil {
		nodes = append(nodes, sel.Having.Expr)
	}
	for _, n := range nodes {
		v := &aggFinder{}
		n.Accept(v)
		for _, agg := range v.found {
			k, err := a.addAgg(agg)
			if err != nil {
				return err
			}
			a.aggOf[agg] = k
		}
	}
	return a.checkFilters(sel)
}

// selectList binds the select list over the aggregation's output.
func (a *aggQuery) selectList(fields []*ast.SelectField) ([]scalar.Expr, []string, error) {
	var exprs []scalar.Expr
	var names []string
	for _, f := range fields {
		pos := at(a.loc, f, a.q.Offset)
		a.fieldExpr = append(a.fieldExpr, len(exprs))
		if f.WildCard != nil {
			es, ns, err := a.p.wildcard(a.scope, f, a.loc, a.q.Offset)
			if err != nil {
				return nil, nil, err
			}
			for _, e := range es {
				t, err := a.translate(e, f, pos, nil)
				if err != nil {
					return nil, nil, err
				}
				exprs = append(exprs, t)
			}
			names = append(names, ns...)
			continue
		}
		s := &aggScope{in: a.scope, width: a.scope.width(), calls: a.calls}
		e, err := bindWithAggs(s, f.Expr, a.aggOf)
		if err != nil {
			return nil, nil, a.p.positioned(err, a.loc, pos)
		}
		if e, err = a.translate(e, f.Expr, pos, nil); err != nil {
			return nil, nil, err
		}
		exprs, names = append(exprs, e), append(names, fieldName(f, a.scope))
	}
	return exprs, names, nil
}

// translate rewrites a bound expression over input ++ aggregates (++
// select aliases) into one over the aggregation's output: group
// expressions become group columns, placeholders aggregate columns. An
// input column outside every group expression is an error, as under
// MySQL's ONLY_FULL_GROUP_BY.
func (a *aggQuery) translate(e scalar.Expr, node ast.Node, pos int, selected []scalar.Expr) (scalar.Expr, error) {
	w := a.scope.width()
	return rewriteExpr(e, func(x scalar.Expr) (scalar.Expr, error) {
		for g := 0; g < a.groups; g++ {
			if exprEqual(x, a.pre[g]) {
				return &scalar.ColRef{Index: g, T: x.Type()}, nil
			}
		}
		r, ok := x.(*scalar.ColRef)
		switch {
		case !ok:
			return nil, nil
		case r.Index >= w+len(a.calls):
			return selected[r.Index-w-len(a.calls)], nil
		case r.Index >= w:
			return &scalar.ColRef{Index: a.groups + r.Index - w, T: r.T}, nil
		}
		if n := columnNode(node, a.scope, r.Index); n != nil {
			pos = at(a.loc, n, pos)
		}
		return nil, a.p.errorf(pos, "column %s must appear in GROUP BY or be used in an aggregate function", a.scope.names()[r.Index])
	})
}

// having binds HAVING over the aggregation's output; select-list aliases
// denote their (already translated) select expressions.
func (a *aggQuery) having(cond ast.ExprNode, fields []*ast.SelectField, selected []scalar.Expr) (scalar.Expr, error) {
	pos := at(a.loc, cond, a.q.Offset)
	s := &aggScope{in: a.scope, width: a.scope.width(), calls: a.calls, aliases: map[string]int{}}
	for j, f := range fields {
		if f.WildCard == nil && f.AsName.O != "" {
			s.aliases[strings.ToLower(f.AsName.O)] = a.fieldExpr[j]
		}
	}
	s.types = make([]catalog.Type, len(selected))
	for i, e := range selected {
		s.types[i] = e.Type()
	}
	e, err := bindWithAggs(s, cond, a.aggOf)
	if err != nil {
		return nil, a.p.positioned(err, a.loc, pos)
	}
	if id := e.Type().ID; id != catalog.Boolean && id != catalog.Null {
		return nil, a.p.errorf(pos, "type mismatch: HAVING needs a BOOLEAN condition, not %s", e.Type())
	}
	return a.translate(e, cond, pos, selected)
}

// positionLiteral recognizes `GROUP BY 2` (TiDB's PositionExpr, or an
// integer literal).
func positionLiteral(e ast.ExprNode) (int, bool) {
	if p, ok := e.(*ast.PositionExpr); ok && p.P == nil {
		return p.N, true
	}
	v, ok := e.(*test_driver.ValueExpr)
	if !ok {
		return 0, false
	}
	switch n := v.GetValue().(type) {
	case int64:
		return int(n), true
	case uint64:
		return int(n), true
	}
	return 0, false
}

// keywordBefore is the file offset of the last occurrence of the keyword
// kw (upper case, as a whole word) in text[from:to], or to when there is none.
func keywordBefore(text string, from, to int, kw string) int {
	if from < 0 || to > len(text) || from > to {
		return to
	}
	up := strings.ToUpper(text[from:to])
	for end := len(up); end > 0; {
		i := strings.LastIndex(up[:end], kw)
		if i < 0 {
			break
		}
		if (i == 0 || !isWordByte(up[i-1])) && (i+len(kw) == len(up) || !isWordByte(up[i+len(kw)])) {
			return from + i
		}
		end = i
	}
	return to
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}
