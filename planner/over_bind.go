package planner

import (
	"slices"
	"strconv"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/test_driver"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// overQuery is the state of binding a select list with OVER window
// functions. Its plan is
//
//	Project(select list) ← Over ← ... ← Over ← Project(pre) ← input
//
// with one LogicalOver per distinct (PARTITION BY, ORDER BY), each
// appending its functions' columns; pre is the input's columns followed
// by the partition expressions and function arguments that are not input
// columns.
type overQuery struct {
	p     *planner
	q     *parser.Query
	loc   locator
	scope *relScope
	width int           // input columns
	pre   []scalar.Expr // computed columns after the input's
	specs []*overSpec
	// at maps each window function to its spec and call index.
	at map[*ast.WindowFuncExpr][2]int
}

// overSpec is one window (PARTITION BY, ORDER BY) and its functions.
type overSpec struct {
	partition []int // pre columns
	order     int
	orderPos  int
	partPos   int // file offset of the PARTITION BY keyword (orderPos without one)
	calls     []OverCall
	funcs     []*ast.WindowFuncExpr
	sort      []SortKey // ROW_NUMBER's ORDER BY when not one ascending column (over_sort_bind.go)
}

// overFuncNames lists the supported window functions, for errors.
const overFuncNames = "ROW_NUMBER, LAG, LEAD, SUM, COUNT, AVG, MIN, MAX"

// overPlaceholder prefixes the column names that stand for window
// functions while the select list is bound. No SQL identifier can start
// with it.
const overPlaceholder = "\x00over"

// hasWindowFunc reports whether the select list calls an OVER function.
func hasWindowFunc(sel *ast.SelectStmt) bool {
	for _, f := range sel.Fields.Fields {
		if f.Expr != nil && len(findWindowFuncs(f.Expr)) > 0 {
			return true
		}
	}
	return false
}

// overSelect binds a select list with window functions over in (the FROM
// clause after WHERE).
func (p *planner) overSelect(q *parser.Query, sel *ast.SelectStmt, in Logical, scope *relScope, loc locator) (Logical, error) {
	o := &overQuery{p: p, q: q, loc: loc, scope: scope, width: scope.width(), at: map[*ast.WindowFuncExpr][2]int{}}
	for _, f := range sel.Fields.Fields {
		if f.Expr == nil {
			continue
		}
		for _, wf := range findWindowFuncs(f.Expr) {
			if isAggregate(sel) {
				return nil, p.errorf(at(loc, wf, q.Offset), "not supported yet: OVER window functions in a query with GROUP BY or aggregates; aggregate in a subquery first")
			}
			if err := o.addFunc(wf); err != nil {
				return nil, err
			}
		}
	}
	top, cols := o.build(in, sel.Fields.Fields)
	names := top.Schema().Names()
	s := &overScope{in: scope, cols: cols, types: top.Schema()}
	var exprs []scalar.Expr
	var outNames []string
	for _, f := range sel.Fields.Fields {
		if f.WildCard != nil {
			es, ns, err := p.wildcard(scope, f, loc, q.Offset)
			if err != nil {
				return nil, err
			}
			exprs, outNames = append(exprs, es...), append(outNames, ns...)
			continue
		}
		e, err := bindWithWindows(s, f.Expr, o.at)
		if err != nil {
			return nil, p.positioned(err, loc, at(loc, f.Expr, q.Offset))
		}
		exprs, outNames = append(exprs, renameCols(e, names)), append(outNames, fieldName(f, scope))
	}
	return &LogicalProject{Input: top, Exprs: exprs, Names: dedupNames(outNames)}, nil
}

// build chains the pre projection and one LogicalOver per spec over in.
// It returns the top node and, per spec and call, the output column.
func (o *overQuery) build(in Logical, fields []*ast.SelectField) (Logical, [][]int) {
	cur := in
	if len(o.pre) > 0 {
		s := in.Schema()
		exprs := make([]scalar.Expr, 0, s.Len()+len(o.pre))
		names := s.Names()
		for i, c := range s.Columns {
			exprs = append(exprs, &scalar.ColRef{Index: i, Name: c.Name, T: c.Type})
		}
		for _, e := range o.pre {
			exprs = append(exprs, e)
			names = append(names, stripParens(exprString(e)))
		}
		cur = &LogicalProject{Input: in, Exprs: exprs, Names: dedupNames(names)}
	}
	cols := make([][]int, len(o.specs))
	for k, sp := range o.specs {
		s := cur.Schema()
		names := s.Names()
		for j, wf := range sp.funcs {
			names = append(names, o.windowName(wf, fields))
			cols[k] = append(cols[k], s.Len()+j)
		}
		names = dedupNames(names)
		cur = &LogicalOver{Input: cur, Partition: sp.partition, Order: sp.order, OrderPos: sp.orderPos,
			PartitionPos: sp.partPos, Calls: sp.calls, Names: names[s.Len():], Sort: sp.sort}
	}
	return cur, cols
}

// windowName names a window column: the select field's name when the
// field is the function itself, else the function's text.
func (o *overQuery) windowName(wf *ast.WindowFuncExpr, fields []*ast.SelectField) string {
	for _, f := range fields {
		if f.Expr == wf {
			return fieldName(f, o.scope)
		}
	}
	return restore(wf)
}

// addPre returns the pre column of a bound expression: an input column
// as itself, anything else appended once.
func (o *overQuery) addPre(e scalar.Expr) int {
	if r, ok := e.(*scalar.ColRef); ok && r.Index < o.width {
		return r.Index
	}
	for i, x := range o.pre {
		if exprEqual(x, e) {
			return o.width + i
		}
	}
	o.pre = append(o.pre, e)
	return o.width + len(o.pre) - 1
}

// addFunc binds one window function into the spec of its window.
func (o *overQuery) addFunc(wf *ast.WindowFuncExpr) error {
	pos := at(o.loc, wf, o.q.Offset)
	if err := o.checkSpec(wf, pos); err != nil {
		return err
	}
	for _, a := range wf.Args {
		if inner := findWindowFuncs(a); len(inner) > 0 {
			return o.p.errorf(at(o.loc, inner[0], pos), "window functions cannot be nested")
		}
	}
	sp, err := o.spec(wf, pos)
	if err != nil {
		return err
	}
	call, err := o.call(wf, pos)
	if err != nil {
		return err
	}
	o.at[wf] = [2]int{slices.Index(o.specs, sp), len(sp.calls)}
	sp.calls = append(sp.calls, call)
	sp.funcs = append(sp.funcs, wf)
	return nil
}

// checkSpec rejects the window clauses this version cannot run.
func (o *overQuery) checkSpec(wf *ast.WindowFuncExpr, pos int) error {
	spec := &wf.Spec
	switch {
	case spec.Name.O != "" || spec.Ref.O != "":
		return o.p.errorf(pos, "not supported yet: named windows (OVER w); write the window inline: OVER (PARTITION BY ... ORDER BY ts)")
	case wf.Distinct:
		return o.p.errorf(pos, "not supported yet: DISTINCT in window function %s", strings.ToUpper(wf.Name))
	case wf.IgnoreNull || wf.FromLast:
		return o.p.errorf(pos, "not supported yet: IGNORE NULLS and FROM LAST in window functions")
	case spec.OrderBy == nil || (len(spec.OrderBy.Items) != 1 && !isRowNumber(wf)):
		return o.p.errorf(pos, "%s OVER needs ORDER BY exactly one event-time column, ascending (OVER (PARTITION BY k ORDER BY ts))", strings.ToUpper(wf.Name))
	}
	if f := spec.Frame; f != nil {
		s, e := f.Extent.Start, f.Extent.End
		if f.Type == ast.Groups || !s.UnBounded || s.Type != ast.Preceding || e.Type != ast.CurrentRow {
			return o.p.errorf(pos, "not supported yet: window frame %s; supported: the default frame and ROWS or RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW", restore(f))
		}
	}
	return nil
}

// spec binds the window of wf and returns its spec, shared with earlier
// functions of the same window.
func (o *overQuery) spec(wf *ast.WindowFuncExpr, pos int) (*overSpec, error) {
	if isRowNumber(wf) && o.sortedOrder(wf) {
		return o.sortedSpec(wf, pos)
	}
	item := wf.Spec.OrderBy.Items[0]
	ipos := at(o.loc, item.Expr, pos)
	if item.Desc {
		return nil, o.p.errorf(ipos, "OVER supports only ascending ORDER BY of an event-time column; DESC is not supported")
	}
	oe, err := o.scope.bind(item.Expr)
	if err != nil {
		return nil, o.p.positioned(err, o.loc, ipos)
	}
	ref, ok := oe.(*scalar.ColRef)
	if !ok || ref.Index >= o.width {
		return nil, o.p.errorf(ipos, "OVER needs ORDER BY an event-time column, not the expression %s", restore(item.Expr))
	}
	var part []int
	partPos := ipos
	if pb := wf.Spec.PartitionBy; pb != nil {
		for i, it := range pb.Items {
			if i == 0 {
				partPos = keywordBefore(o.p.file.Text, o.q.Offset, at(o.loc, it.Expr, pos), "PARTITION")
			}
			e, err := o.scope.bind(it.Expr)
			if err != nil {
				return nil, o.p.positioned(err, o.loc, at(o.loc, it.Expr, pos))
			}
			part = append(part, o.addPre(e))
		}
	}
	for _, sp := range o.specs {
		if sp.order == ref.Index && sp.sort == nil && slices.Equal(sp.partition, part) {
			return sp, nil
		}
	}
	sp := &overSpec{partition: part, order: ref.Index, orderPos: ipos, partPos: partPos}
	o.specs = append(o.specs, sp)
	return sp, nil
}

// call binds the function and its arguments.
func (o *overQuery) call(wf *ast.WindowFuncExpr, pos int) (OverCall, error) {
	name := strings.ToLower(wf.Name)
	upper := strings.ToUpper(wf.Name)
	for _, f := range o.q.Filters {
		if f.Agg == pos {
			return OverCall{}, o.p.errorf(f.Pos, "not supported yet: FILTER (WHERE ...) in window function %s", upper)
		}
	}
	rows := wf.Spec.Frame != nil && wf.Spec.Frame.Type == ast.Rows
	switch name {
	case "row_number":
		if len(wf.Args) != 0 {
			return OverCall{}, o.p.errorf(pos, "ROW_NUMBER takes no arguments")
		}
		return OverCall{Func: OverRowNumber, Arg: -1, Default: -1, T: catalog.BigIntType}, nil
	case "lag", "lead":
		return o.lagLead(wf, pos)
	}
	f, ok := aggFuncs[name]
	if !ok {
		return OverCall{}, o.p.errorf(pos, "not supported yet: window function %s; supported: %s", upper, overFuncNames)
	}
	if len(wf.Args) != 1 {
		return OverCall{}, o.p.errorf(pos, "%s takes one argument", upper)
	}
	call := OverCall{Func: OverAgg, Agg: f, Arg: -1, Default: -1, Rows: rows}
	if f == AggCount && isNonNullConstant(wf.Args[0]) {
		call.Agg, call.T = AggCountStar, catalog.BigIntType
		return call, nil
	}
	e, err := o.scope.bind(wf.Args[0])
	if err != nil {
		return OverCall{}, o.p.positioned(err, o.loc, pos)
	}
	if call.T, err = aggType(f, e.Type()); err != nil {
		return OverCall{}, o.p.errorf(pos, "%s %s", upper, err.Error())
	}
	if f == AggCount {
		call.T = catalog.BigIntType
	}
	call.Arg = o.addPre(e)
	return call, nil
}

// lagLead binds LAG/LEAD(x [, n [, default]]): n a constant integer >= 1,
// default an expression of x's type (numbers are cast to it).
func (o *overQuery) lagLead(wf *ast.WindowFuncExpr, pos int) (OverCall, error) {
	upper := strings.ToUpper(wf.Name)
	fn := OverLag
	if strings.EqualFold(wf.Name, "lead") {
		fn = OverLead
	}
	if len(wf.Args) < 1 || len(wf.Args) > 3 {
		return OverCall{}, o.p.errorf(pos, "%s takes 1 to 3 arguments: %s(x [, offset [, default]])", upper, upper)
	}
	x, err := o.scope.bind(wf.Args[0])
	if err != nil {
		return OverCall{}, o.p.positioned(err, o.loc, pos)
	}
	call := OverCall{Func: fn, Offset: 1, Default: -1, T: x.Type()}
	if len(wf.Args) >= 2 {
		n, ok := constInt(wf.Args[1])
		if !ok || n < 1 {
			return OverCall{}, o.p.errorf(pos, "%s offset must be an integer constant >= 1", upper)
		}
		call.Offset = n
	}
	if len(wf.Args) == 3 {
		d, err := o.scope.bind(wf.Args[2])
		if err != nil {
			return OverCall{}, o.p.positioned(err, o.loc, pos)
		}
		dt := d.Type()
		switch {
		case dt.ID == catalog.Null:
			d = nil
		case dt.Equal(x.Type()):
		case isNumeric(dt) && isNumeric(x.Type()):
			d = &scalar.Cast{Arg: d, T: x.Type()}
		default:
			return OverCall{}, o.p.errorf(at(o.loc, wf.Args[2], pos), "%s default must have the type of its argument (%s), not %s", upper, x.Type(), dt)
		}
		if d != nil {
			call.Default = o.addPre(d)
		}
	}
	call.Arg = o.addPre(x)
	return call, nil
}

// isNumeric reports the number types.
func isNumeric(t catalog.Type) bool {
	return t.IsInteger() || t.ID == catalog.Double || t.ID == catalog.Decimal
}

// constInt reads an integer literal.
func constInt(e ast.ExprNode) (int64, bool) {
	v, ok := e.(*test_driver.ValueExpr)
	if !ok {
		return 0, false
	}
	switch n := v.GetValue().(type) {
	case int64:
		return n, true
	case uint64:
		return int64(n), n <= 1<<62
	}
	return 0, false
}

// overScope binds the select list over the top window node: input names
// as in the FROM scope (their columns keep their indexes), placeholders of
// window functions to their columns.
type overScope struct {
	in    *relScope
	cols  [][]int
	types catalog.Schema
}

var _ scalar.Scope = (*overScope)(nil)

// Resolve implements scalar.Scope.
func (s *overScope) Resolve(qualifier, column string) (int, catalog.Type, error) {
	if qualifier == "" && strings.HasPrefix(column, overPlaceholder) {
		k, j, ok := strings.Cut(column[len(overPlaceholder):], ".")
		ki, err1 := strconv.Atoi(k)
		ji, err2 := strconv.Atoi(j)
		if ok && err1 == nil && err2 == nil && ki < len(s.cols) && ji < len(s.cols[ki]) {
			c := s.cols[ki][ji]
			return c, s.types.Columns[c].Type, nil
		}
	}
	return s.in.Resolve(qualifier, column)
}

// bindWithWindows binds e with every window function replaced by its
// placeholder; the AST is restored afterwards.
func bindWithWindows(s *overScope, e ast.ExprNode, at map[*ast.WindowFuncExpr][2]int) (scalar.Expr, error) {
	r := &windowReplacer{at: at, orig: map[ast.Node]*ast.WindowFuncExpr{}}
	root, _ := e.Accept(r)
	bound, err := scalar.Bind(s, root.(ast.ExprNode))
	root.Accept(&windowRestorer{orig: r.orig})
	return bound, err
}

// windowReplacer swaps window functions for placeholder column references.
type windowReplacer struct {
	at   map[*ast.WindowFuncExpr][2]int
	orig map[ast.Node]*ast.WindowFuncExpr
}

func (v *windowReplacer) Enter(n ast.Node) (ast.Node, bool) {
	_, ok := n.(*ast.WindowFuncExpr)
	return n, ok
}

func (v *windowReplacer) Leave(n ast.Node) (ast.Node, bool) {
	wf, ok := n.(*ast.WindowFuncExpr)
	if !ok {
		return n, true
	}
	k, ok := v.at[wf]
	if !ok {
		return n, true
	}
	name := overPlaceholder + strconv.Itoa(k[0]) + "." + strconv.Itoa(k[1])
	ph := &ast.ColumnNameExpr{Name: &ast.ColumnName{Name: ast.NewCIStr(name)}}
	v.orig[ph] = wf
	return ph, true
}

// windowRestorer puts the window functions back.
type windowRestorer struct {
	orig map[ast.Node]*ast.WindowFuncExpr
}

func (v *windowRestorer) Enter(n ast.Node) (ast.Node, bool) { return n, false }

func (v *windowRestorer) Leave(n ast.Node) (ast.Node, bool) {
	if wf, ok := v.orig[n]; ok {
		return wf, true
	}
	return n, true
}

// findWindowFuncs returns the outermost window functions of e.
func findWindowFuncs(e ast.Node) []*ast.WindowFuncExpr {
	v := &windowFinder{}
	e.Accept(v)
	return v.found
}

type windowFinder struct{ found []*ast.WindowFuncExpr }

func (v *windowFinder) Enter(n ast.Node) (ast.Node, bool) {
	if wf, ok := n.(*ast.WindowFuncExpr); ok {
		v.found = append(v.found, wf)
		return n, true
	}
	return n, false
}

func (v *windowFinder) Leave(n ast.Node) (ast.Node, bool) { return n, true }
