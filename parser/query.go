package parser

import (
	"github.com/pingcap/tidb/pkg/parser/ast"
)

// query runs the streaming pre-pass over the tokens of a SELECT (EMIT,
// window table functions, FILTER) and hands the rest to TiDB.
func (p *fileParser) query(toks []token) (*Query, *Error) {
	if len(toks) == 0 {
		return nil, p.f.Errorf(len(p.f.Text), "expected a query")
	}
	q := &Query{Offset: toks[0].start}
	toks, err := p.liftEmit(q, toks)
	if err != nil {
		return nil, err
	}
	keep := make([]bool, len(toks))
	for i := range keep {
		keep[i] = true
	}
	if err := p.liftWindows(q, toks, keep); err != nil {
		return nil, err
	}
	if err := p.liftFilters(q, toks, keep); err != nil {
		return nil, err
	}
	if err := p.liftAsOf(q, toks, keep); err != nil {
		return nil, err
	}
	liftFullJoins(q, toks)
	end := toks[len(toks)-1].end
	kept := make([]token, 0, len(toks))
	for i, t := range toks {
		if keep[i] {
			kept = append(kept, t)
		}
	}
	q.Text = string(render(p.f.Text, q.Offset, end, kept))
	stmts, err := p.parseTiDB(q.Text, q.Offset, "statement")
	if err != nil {
		return nil, err
	}
	var rs ast.ResultSetNode
	switch s := stmts[0].(type) {
	case *ast.SelectStmt:
		rs = s
	case *ast.SetOprStmt:
		rs = s
	default:
		return nil, p.f.Errorf(q.Offset, "expected a SELECT query")
	}
	if len(stmts) > 1 {
		return nil, p.f.Errorf(q.Offset, "expected one SELECT query")
	}
	q.Stmt = rs
	q.loc = newLocator(q.Text, p.f.Text[q.Offset:end], q.Offset, q.Offset, rs)
	return q, nil
}

// liftEmit removes a trailing `EMIT ON WINDOW CLOSE`.
func (p *fileParser) liftEmit(q *Query, toks []token) ([]token, *Error) {
	for i := 0; i+1 < len(toks); i++ {
		if !toks[i].is("EMIT") || !toks[i+1].is("ON") {
			continue
		}
		if i+4 != len(toks) || !toks[i+2].is("WINDOW") || !toks[i+3].is("CLOSE") {
			return nil, p.f.Errorf(toks[i].start, "unsupported EMIT clause: only EMIT ON WINDOW CLOSE, at the end of the query")
		}
		if i == 0 {
			return nil, p.f.Errorf(toks[i].start, "expected a query before EMIT")
		}
		q.Emit = EmitOnWindowClose
		return toks[:i], nil
	}
	return toks, nil
}

// liftFilters removes `agg(...) FILTER (WHERE cond)` clauses into q.Filters.
// The condition is parsed by TiDB with offsets relative to q.Text/q.Offset.
func (p *fileParser) liftFilters(q *Query, toks []token, keep []bool) *Error {
	for i := 1; i+2 < len(toks); i++ {
		if !toks[i].is("FILTER") || !toks[i-1].isPunct(")") || !toks[i+1].isPunct("(") || !toks[i+2].is("WHERE") {
			continue
		}
		closeIdx := matchParen(toks, i+1)
		open := matchParenBack(toks, i-1)
		if closeIdx < 0 || open < 1 || !toks[open-1].isName() {
			return p.f.Errorf(toks[i].start, "FILTER (WHERE ...) must follow an aggregate call")
		}
		cond := toks[i+3 : closeIdx]
		if len(cond) == 0 {
			return p.f.Errorf(toks[closeIdx].start, "expected a condition after FILTER (WHERE")
		}
		where, err := p.parseExprAt(q.Offset, cond)
		if err != nil {
			return err
		}
		q.Filters = append(q.Filters, AggFilter{Agg: toks[open-1].start, Where: where, Pos: toks[i].start})
		for k := i; k <= closeIdx; k++ {
			keep[k] = false
		}
		i = closeIdx
	}
	return nil
}

// parseExprAt parses one expression so that TiDB offsets are relative to
// the file offset base: the text is blank up to the expression, with
// "SELECT " written just before it (inside the lifted clause).
func (p *fileParser) parseExprAt(base int, toks []token) (ast.ExprNode, *Error) {
	start := toks[0].start
	if start-base < len(selectPrefix) {
		return nil, p.f.Errorf(start, "expected an expression")
	}
	buf := render(p.f.Text, base, toks[len(toks)-1].end, toks)
	copy(buf[start-base-len(selectPrefix):], selectPrefix)
	stmts, err := p.parseTiDB(string(buf), base, "expression")
	if err != nil {
		return nil, err
	}
	sel, ok := stmts[0].(*ast.SelectStmt)
	if !ok || sel.From != nil || sel.Fields == nil || len(sel.Fields.Fields) != 1 || sel.Fields.Fields[0].Expr == nil {
		return nil, p.f.Errorf(start, "expected a single expression")
	}
	return sel.Fields.Fields[0].Expr, nil
}

// liftAsOf removes `FOR SYSTEM_TIME AS OF a.b` after a table name into
// q.AsOf. The time expression is a (qualified) column name.
func (p *fileParser) liftAsOf(q *Query, toks []token, keep []bool) *Error {
	for i := 1; i+4 < len(toks); i++ {
		if !toks[i].is("FOR") || !toks[i+1].is("SYSTEM_TIME") {
			continue
		}
		if !toks[i+2].is("AS") || !toks[i+3].is("OF") || !toks[i-1].isName() {
			return p.f.Errorf(toks[i].start, "expected table FOR SYSTEM_TIME AS OF column")
		}
		end := i + 4
		for end < len(toks) && toks[end].isName() {
			end++
			if end+1 < len(toks) && toks[end].isPunct(".") && toks[end+1].isName() {
				end++
				continue
			}
			break
		}
		if end == i+4 {
			return p.f.Errorf(toks[i+4].start, "expected a time column after FOR SYSTEM_TIME AS OF, found %s", describe(toks[i+4]))
		}
		expr, err := p.parseExprAt(q.Offset, toks[i+4:end])
		if err != nil {
			return err
		}
		table := toks[i-1]
		q.AsOf = append(q.AsOf, AsOfJoin{Table: Ident{Name: table.value(), Pos: table.start}, Expr: expr, Pos: toks[i].start})
		for k := i; k < end; k++ {
			keep[k] = false
		}
		i = end - 1
	}
	return nil
}

// liftFullJoins rewrites `FULL [OUTER] JOIN` (which TiDB does not know) as
// `LEFT [OUTER] JOIN`, same length so offsets hold, and records in
// q.FullJoins the offset of the first table name after each such JOIN: the
// planner marks the join whose right side starts there as a full join.
func liftFullJoins(q *Query, toks []token) {
	for i := 0; i+1 < len(toks); i++ {
		if !toks[i].is("FULL") {
			continue
		}
		j := i + 1
		if toks[j].is("OUTER") {
			j++
		}
		if j >= len(toks) || !toks[j].is("JOIN") {
			continue
		}
		toks[i].text = "LEFT"
		for j++; j < len(toks) && toks[j].isPunct("("); j++ {
		}
		if j < len(toks) && toks[j].isName() {
			q.FullJoins = append(q.FullJoins, toks[j].start)
		}
	}
}
