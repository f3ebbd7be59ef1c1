package planner

import (
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/test_driver"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// aggFuncs maps SQL aggregate names to AggFunc.
var aggFuncs = map[string]AggFunc{"count": AggCount, "sum": AggSum, "avg": AggAvg, "min": AggMin, "max": AggMax}

// addAgg binds one aggregate call of the query (its argument and FILTER
// condition become columns of the pre-aggregation projection) and returns
// its index in a.calls; equal calls share one index.
func (a *aggQuery) addAgg(n *ast.AggregateFuncExpr) (int, error) {
	pos := at(a.loc, n, a.q.Offset)
	name := strings.ToLower(n.F)
	f, ok := aggFuncs[name]
	if !ok {
		return 0, a.p.errorf(pos, "not supported yet: aggregate function %s", strings.ToUpper(n.F))
	}
	if len(n.Args) != 1 {
		return 0, a.p.errorf(pos, "%s takes one argument", strings.ToUpper(n.F))
	}
	if inner := findAgg(n.Args[0]); inner != nil {
		return 0, a.p.errorf(at(a.loc, inner, pos), "aggregate functions cannot be nested")
	}
	call := AggCall{Func: f, Arg: -1, Filter: -1, Distinct: n.Distinct && f != AggMin && f != AggMax}
	var arg scalar.Expr
	if f == AggCount && !n.Distinct && isNonNullConstant(n.Args[0]) {
		call.Func = AggCountStar
	} else {
		e, err := a.scope.bind(n.Args[0])
		if err != nil {
			return 0, a.p.positioned(err, a.loc, pos)
		}
		arg = e
		if call.T, err = aggType(f, e.Type()); err != nil {
			return 0, a.p.errorf(pos, "%s %s", strings.ToUpper(n.F), err.Error())
		}
	}
	if call.Func == AggCountStar || call.Func == AggCount {
		call.T = catalog.BigIntType
	}
	filter, err := a.aggFilter(pos)
	if err != nil {
		return 0, err
	}
	if arg != nil {
		call.Arg = a.addPre(arg)
	}
	if filter != nil {
		call.Filter = a.addPre(filter)
	}
	for i, c := range a.calls {
		if c.Func == call.Func && c.Arg == call.Arg && c.Distinct == call.Distinct && c.Filter == call.Filter {
			return i, nil
		}
	}
	a.calls = append(a.calls, call)
	return len(a.calls) - 1, nil
}

// aggFilter binds the FILTER (WHERE ...) of the aggregate at pos, if any.
func (a *aggQuery) aggFilter(pos int) (scalar.Expr, error) {
	for i, f := range a.q.Filters {
		if f.Agg != pos {
			continue
		}
		a.usedFilter[i] = true
		e, err := a.scope.bind(f.Where)
		if err != nil {
			return nil, a.p.positioned(err, a.loc, f.Pos)
		}
		if inner := findAgg(f.Where); inner != nil {
			return nil, a.p.errorf(at(a.loc, inner, f.Pos), "aggregate functions are not allowed in FILTER (WHERE ...)")
		}
		if id := e.Type().ID; id != catalog.Boolean && id != catalog.Null {
			return nil, a.p.errorf(at(a.loc, f.Where, f.Pos), "type mismatch: FILTER (WHERE ...) needs a BOOLEAN condition, not %s", e.Type())
		}
		return e, nil
	}
	return nil, nil
}

// checkFilters reports a FILTER of sel that no aggregate call of sel
// used (it follows something else). FILTERs of other SELECTs sharing the
// query's text (a subquery in FROM, or the query around one) are theirs
// to check.
func (a *aggQuery) checkFilters(sel *ast.SelectStmt) error {
	var owners *callOwners
	for i, used := range a.usedFilter {
		if used {
			continue
		}
		if owners == nil {
			owners = ownersOf(a.q, a.loc)
		}
		if owners.ownsFilter(a.q, i, sel) {
			return a.p.errorf(a.q.Filters[i].Pos, "FILTER (WHERE ...) applies only to aggregate functions")
		}
	}
	return nil
}

// aggType is the result type of an aggregate over arg (the rules of
// AggCall).
func aggType(f AggFunc, arg catalog.Type) (catalog.Type, error) {
	switch f {
	case AggCount, AggCountStar:
		return catalog.BigIntType, nil
	case AggSum, AggAvg:
		switch {
		case arg.IsInteger() && f == AggSum:
			return catalog.DecimalType(38, 0), nil
		case arg.IsInteger() || arg.ID == catalog.Double:
			return catalog.DoubleType, nil
		case arg.ID == catalog.Decimal && f == AggSum:
			return catalog.DecimalType(38, arg.Scale), nil
		case arg.ID == catalog.Decimal:
			return catalog.DecimalType(38, min(arg.Scale+4, 38)), nil
		}
		return catalog.Type{}, fmt.Errorf("needs a numeric argument, not %s", arg)
	}
	if arg.ID == catalog.Null || arg.ID == catalog.Interval {
		return catalog.Type{}, fmt.Errorf("cannot aggregate %s values", arg)
	}
	return arg, nil
}

// isNonNullConstant reports COUNT(*) (TiDB passes it as COUNT(1)) and
// COUNT(literal): both count rows.
func isNonNullConstant(e ast.ExprNode) bool {
	v, ok := e.(*test_driver.ValueExpr)
	return ok && v.GetValue() != nil
}

// aggText renders a call for names and EXPLAIN; names are its input's
// column names.
func aggText(c AggCall, names []string) string {
	if c.Func == AggCountStar {
		return withFilter("count(*)", c, names)
	}
	arg := names[c.Arg]
	if c.Distinct {
		arg = "DISTINCT " + arg
	}
	return withFilter(c.Func.String()+"("+arg+")", c, names)
}

func withFilter(s string, c AggCall, names []string) string {
	if c.Filter < 0 {
		return s
	}
	return s + " FILTER (WHERE " + names[c.Filter] + ")"
}

// findAgg returns the first aggregate call in e, or nil.
func findAgg(e ast.Node) *ast.AggregateFuncExpr {
	if e == nil {
		return nil
	}
	v := &aggFinder{}
	e.Accept(v)
	if len(v.found) == 0 {
		return nil
	}
	return v.found[0]
}

// aggFinder collects the outermost aggregate calls of an expression.
type aggFinder struct{ found []*ast.AggregateFuncExpr }

func (v *aggFinder) Enter(n ast.Node) (ast.Node, bool) {
	if a, ok := n.(*ast.AggregateFuncExpr); ok {
		v.found = append(v.found, a)
		return n, true
	}
	return n, false
}

func (v *aggFinder) Leave(n ast.Node) (ast.Node, bool) { return n, true }
