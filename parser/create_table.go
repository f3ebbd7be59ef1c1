package parser

import (
	"strconv"
	"strings"
)

// tableBody is what CREATE SOURCE and CREATE TABLE share.
type tableBody struct {
	name        Ident
	ifNotExists bool
	columns     []ColumnDef
	primaryKey  []Ident
	pkPos       int
	watermark   *WatermarkDef
	with        []Option
}

func (c *cursor) createSource(span Span) (Statement, *Error) {
	b, err := c.tableBody("source")
	if err != nil {
		return nil, err
	}
	return &CreateSource{span: span, Name: b.name, IfNotExists: b.ifNotExists, Columns: b.columns,
		PrimaryKey: b.primaryKey, Watermark: b.watermark, With: b.with}, nil
}

func (c *cursor) createTable(span Span) (Statement, *Error) {
	b, err := c.tableBody("table")
	if err != nil {
		return nil, err
	}
	if b.watermark != nil {
		return nil, c.p.f.Errorf(b.watermark.Pos, "WATERMARK is only allowed on a SOURCE")
	}
	return &CreateTable{span: span, Name: b.name, IfNotExists: b.ifNotExists, Columns: b.columns,
		PrimaryKey: b.primaryKey, With: b.with}, nil
}

// tableBody parses `[IF NOT EXISTS] name ( elements ) [WITH (...)]`.
func (c *cursor) tableBody(what string) (*tableBody, *Error) {
	b := &tableBody{ifNotExists: c.ifNotExists()}
	var err *Error
	if b.name, err = c.name(what + " name"); err != nil {
		return nil, err
	}
	open := c.peek()
	if err := c.expectPunct("(", "to start the column list"); err != nil {
		return nil, err
	}
	closeIdx := matchParen(c.toks, c.i-1)
	if closeIdx < 0 {
		return nil, c.errAt(open, "unclosed parenthesis")
	}
	for _, elem := range splitTopLevel(c.toks[c.i:closeIdx]) {
		if err := c.tableElement(b, elem, open); err != nil {
			return nil, err
		}
	}
	c.i = closeIdx + 1
	if c.peek().is("WITH") {
		if b.with, err = c.withOptions(); err != nil {
			return nil, err
		}
	}
	return b, c.expectEnd("the " + what + " definition")
}

// tableElement parses one column, WATERMARK or PRIMARY KEY element.
func (c *cursor) tableElement(b *tableBody, elem []token, open token) *Error {
	if len(elem) == 0 {
		return c.errAt(open, "empty element in column list")
	}
	sub := &cursor{p: c.p, toks: elem, end: elem[len(elem)-1].end}
	switch {
	case len(elem) > 1 && elem[0].is("WATERMARK") && elem[1].is("FOR"):
		if b.watermark != nil {
			return sub.errAt(elem[0], "a source has at most one WATERMARK")
		}
		wm, err := sub.watermark()
		b.watermark = wm
		return err
	case elem[0].is("PRIMARY") || elem[0].is("CONSTRAINT"):
		return sub.primaryKey(b)
	}
	col, err := sub.column()
	if err != nil {
		return err
	}
	if col.PrimaryKey {
		if err := b.setPrimaryKey([]Ident{col.Name}, col.Name.Pos, c.p.f); err != nil {
			return err
		}
	}
	b.columns = append(b.columns, col)
	return nil
}

func (b *tableBody) setPrimaryKey(key []Ident, pos int, f *File) *Error {
	if b.primaryKey != nil {
		return f.Errorf(pos, "multiple primary keys (the first is at %s)", posString(f, b.pkPos))
	}
	b.primaryKey, b.pkPos = key, pos
	return nil
}

func posString(f *File, offset int) string {
	line, col := f.Position(offset)
	return strconv.Itoa(line) + ":" + strconv.Itoa(col)
}

// primaryKey parses `[CONSTRAINT name] PRIMARY KEY (a, b) [NOT ENFORCED]`.
func (c *cursor) primaryKey(b *tableBody) *Error {
	if c.accept("CONSTRAINT") {
		if _, err := c.name("constraint name"); err != nil {
			return err
		}
	}
	pos := c.peek().start
	if !c.accept("PRIMARY", "KEY") {
		return c.errAt(c.peek(), "expected PRIMARY KEY, found %s", describe(c.peek()))
	}
	if err := c.expectPunct("(", "after PRIMARY KEY"); err != nil {
		return err
	}
	var key []Ident
	for {
		id, err := c.name("a column name")
		if err != nil {
			return err
		}
		key = append(key, id)
		if !c.acceptPunct(",") {
			break
		}
	}
	if err := c.expectPunct(")", "to close the PRIMARY KEY columns"); err != nil {
		return err
	}
	c.accept("NOT", "ENFORCED")
	if err := c.expectEnd("PRIMARY KEY (...)"); err != nil {
		return err
	}
	return b.setPrimaryKey(key, pos, c.p.f)
}

// column parses `name TYPE[(n[, m])] [NOT NULL | NULL] [PRIMARY KEY [NOT ENFORCED]]`.
func (c *cursor) column() (ColumnDef, *Error) {
	var col ColumnDef
	var err *Error
	if col.Name, err = c.name("a column name"); err != nil {
		return col, err
	}
	if col.Type, err = c.typeSpec(col.Name.Name); err != nil {
		return col, err
	}
	for !c.atEnd() {
		switch {
		case c.accept("NOT", "NULL"):
			col.NotNull = true
		case c.accept("NULL"):
		case c.accept("PRIMARY", "KEY"):
			col.PrimaryKey = true
			c.accept("NOT", "ENFORCED")
		default:
			return col, c.errAt(c.peek(), "unexpected %s in the definition of column %s", describe(c.peek()), col.Name.Name)
		}
	}
	return col, nil
}

// typeSpec parses a column type as written; the planner maps it.
func (c *cursor) typeSpec(column string) (TypeSpec, *Error) {
	t := c.peek()
	if t.kind != tokIdent {
		return TypeSpec{}, c.errAt(t, "expected a type for column %s, found %s", column, describe(t))
	}
	c.i++
	ts := TypeSpec{Name: strings.ToUpper(t.text), Pos: t.start}
	if ts.Name == "DOUBLE" {
		c.accept("PRECISION")
	}
	if !c.acceptPunct("(") {
		return ts, nil
	}
	for {
		n := c.next()
		v, err := strconv.Atoi(n.text)
		if n.kind != tokNumber || err != nil {
			return ts, c.errAt(n, "expected an integer type parameter, found %s", describe(n))
		}
		ts.Params = append(ts.Params, v)
		if !c.acceptPunct(",") {
			break
		}
	}
	return ts, c.expectPunct(")", "to close the type parameters")
}

// watermark parses `WATERMARK FOR col AS expr`; expr goes to TiDB.
func (c *cursor) watermark() (*WatermarkDef, *Error) {
	wm := &WatermarkDef{Pos: c.next().start}
	c.next() // FOR
	var err *Error
	if wm.Column, err = c.name("the event-time column after WATERMARK FOR"); err != nil {
		return nil, err
	}
	if !c.accept("AS") {
		return nil, c.errAt(c.peek(), "expected AS after WATERMARK FOR %s, found %s", wm.Column.Name, describe(c.peek()))
	}
	if c.atEnd() {
		return nil, c.errAt(c.peek(), "expected the watermark expression after AS")
	}
	exprToks := c.toks[c.i:]
	c.i = len(c.toks)
	wm.ExprPos = exprToks[0].start
	wm.ExprText = c.p.f.Text[wm.ExprPos:c.end]
	wm.Expr, wm.loc, err = c.p.parseExpr(exprToks)
	return wm, err
}
