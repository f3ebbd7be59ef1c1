package planner

import (
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// node builds Agg ← Project(input columns ++ computed pre expressions)
// once the select list is bound; group columns and aggregate arguments
// that are plain input columns are read directly, so pruning usually
// removes the projection. Output names: a group column or aggregate
// selected as a whole takes that select field's name (so the final
// projection is often the identity and disappears); others their
// expression text.
func (a *aggQuery) node(input Logical, exprs []scalar.Expr, fields []*ast.SelectField) *LogicalAgg {
	in, col := a.preProject(input)
	inNames := in.Schema().Names()
	groupBy := append([]int(nil), col[:a.groups]...)
	calls := append([]AggCall(nil), a.calls...)
	names := make([]string, a.groups+len(calls))
	for g := range groupBy {
		names[g] = inNames[groupBy[g]]
	}
	for k := range calls {
		c := &calls[k]
		if c.Arg >= 0 {
			c.Arg = col[c.Arg]
		}
		if c.Filter >= 0 {
			c.Filter = col[c.Filter]
		}
		names[a.groups+k] = aggText(*c, inNames)
	}
	named := make([]bool, len(names))
	for j, f := range fields {
		if f.WildCard != nil {
			continue
		}
		if r, ok := exprs[a.fieldExpr[j]].(*scalar.ColRef); ok && !named[r.Index] {
			names[r.Index], named[r.Index] = fieldName(f, a.scope), true
		}
	}
	return &LogicalAgg{Input: in, GroupBy: groupBy, Aggs: calls, Names: dedupNames(names), StateTTLMs: a.p.stateTTLMs, Pos: a.pos}
}

// preProject returns the aggregation's input: input itself when every pre
// expression is an input column, else a projection of the input columns
// followed by the computed expressions (named by their text). col maps
// each pre expression to its column there.
func (a *aggQuery) preProject(input Logical) (Logical, []int) {
	s := input.Schema()
	exprs := make([]scalar.Expr, s.Len())
	names := s.Names()
	for i, c := range s.Columns {
		exprs[i] = &scalar.ColRef{Index: i, Name: c.Name, T: c.Type}
	}
	col := make([]int, len(a.pre))
	for i, e := range a.pre {
		if r, ok := e.(*scalar.ColRef); ok {
			col[i] = r.Index
			continue
		}
		col[i] = len(exprs)
		exprs = append(exprs, e)
		names = append(names, stripParens(exprString(e)))
	}
	if len(exprs) == s.Len() {
		return input, col
	}
	return &LogicalProject{Input: input, Exprs: exprs, Names: dedupNames(names)}, col
}
