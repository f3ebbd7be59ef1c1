package parser

import "github.com/pingcap/tidb/pkg/parser/ast"

// createView parses `[IF NOT EXISTS] name AS query [EMIT ON WINDOW CLOSE]`.
func (c *cursor) createView(span Span, materialized bool) (Statement, *Error) {
	v := &CreateView{span: span, Materialized: materialized, IfNotExists: c.ifNotExists()}
	var err *Error
	if v.Name, err = c.name("view name"); err != nil {
		return nil, err
	}
	if !c.accept("AS") {
		return nil, c.errAt(c.peek(), "expected AS after the view name, found %s", describe(c.peek()))
	}
	if v.Query, err = c.restQuery(); err != nil {
		return nil, err
	}
	return v, nil
}

// restQuery parses all remaining tokens as a query.
func (c *cursor) restQuery() (*Query, *Error) {
	if c.atEnd() {
		return nil, c.errAt(c.peek(), "expected a query, found end of statement")
	}
	toks := c.toks[c.i:]
	c.i = len(c.toks)
	return c.p.query(toks)
}

// createSink parses `name FROM view [WITH (...)]` or
// `name AS query [WITH (...)]`.
func (c *cursor) createSink(span Span) (Statement, *Error) {
	s := &CreateSink{span: span}
	c.ifNotExists()
	var err *Error
	if s.Name, err = c.name("sink name"); err != nil {
		return nil, err
	}
	switch {
	case c.accept("FROM"):
		from, err := c.name("the view the sink reads")
		if err != nil {
			return nil, err
		}
		s.From = &from
		if c.peek().is("WITH") {
			if s.With, err = c.withOptions(); err != nil {
				return nil, err
			}
		}
		return s, c.expectEnd("the sink definition")
	case c.accept("AS"):
		return c.sinkQuery(s)
	}
	return nil, c.errAt(c.peek(), "expected FROM <view> or AS <query> after the sink name, found %s", describe(c.peek()))
}

// sinkQuery splits `query WITH (...)` at the trailing WITH.
func (c *cursor) sinkQuery(s *CreateSink) (Statement, *Error) {
	rest := c.toks[c.i:]
	if n := len(rest); n > 0 && rest[n-1].isPunct(")") {
		if open := matchParenBack(rest, n-1); open > 0 && rest[open-1].is("WITH") {
			with := &cursor{p: c.p, toks: rest[open-1:], end: c.end}
			var err *Error
			if s.With, err = with.withOptions(); err != nil {
				return nil, err
			}
			c.toks = c.toks[:c.i+open-1]
		}
	}
	var err *Error
	if s.Query, err = c.restQuery(); err != nil {
		return nil, err
	}
	return s, nil
}

// insert parses `INTO t [(cols)] VALUES ...` or `INTO t [(cols)] query`.
func (c *cursor) insert(span Span) (Statement, *Error) {
	if !c.accept("INTO") {
		return nil, c.errAt(c.peek(), "expected INTO after INSERT, found %s", describe(c.peek()))
	}
	ins := &Insert{span: span}
	var err *Error
	if ins.Table, err = c.name("table name"); err != nil {
		return nil, err
	}
	if c.peek().isPunct("(") && c.i+1 < len(c.toks) && !c.toks[c.i+1].is("SELECT") && !c.toks[c.i+1].is("WITH") {
		c.i++
		for {
			id, err := c.name("a column name")
			if err != nil {
				return nil, err
			}
			ins.Columns = append(ins.Columns, id)
			if !c.acceptPunct(",") {
				break
			}
		}
		if err := c.expectPunct(")", "to close the column list"); err != nil {
			return nil, err
		}
	}
	if c.peek().is("VALUES") || c.peek().is("VALUE") {
		return c.insertValues(ins)
	}
	if ins.Query, err = c.restQuery(); err != nil {
		return nil, err
	}
	return ins, nil
}

// insertValues hands the whole INSERT statement to TiDB and keeps its rows.
func (c *cursor) insertValues(ins *Insert) (Statement, *Error) {
	text := string(render(c.p.f.Text, ins.Start, ins.End, c.toks))
	stmts, err := c.p.parseTiDB(text, ins.Start, "statement")
	if err != nil {
		return nil, err
	}
	is, ok := stmts[0].(*ast.InsertStmt)
	if !ok || len(stmts) != 1 || is.Select != nil || len(is.Lists) == 0 || is.OnDuplicate != nil || is.Setlist {
		return nil, c.p.f.Errorf(ins.Start, "expected INSERT INTO table [(columns)] VALUES (...), ...")
	}
	ins.Values = is.Lists
	ins.ValuesText, ins.ValuesOffset = text, ins.Start
	ins.loc = newLocator(text, c.p.f.Text[ins.Start:ins.End], ins.Start, c.toks[c.i].start, is)
	return ins, nil
}

// set parses `SET 'key' = 'value'` or `SET key = value` (dotted keys).
func (c *cursor) set(span Span) (Statement, *Error) {
	opt, err := c.option()
	if err != nil {
		return nil, err
	}
	s := &Set{span: span, Key: Ident{Name: opt.Key, Pos: opt.KeyPos}, Value: opt.Value}
	return s, c.expectEnd("SET " + opt.Key + " = " + opt.Value)
}
