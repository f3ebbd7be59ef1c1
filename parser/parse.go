package parser

import (
	"fmt"

	tidb "github.com/pingcap/tidb/pkg/parser"
	_ "github.com/pingcap/tidb/pkg/parser/test_driver" // TiDB's AST value driver
)

// Parse splits text into statements and parses each one. name is used in
// error messages only.
//
// On error the returned File is still non-nil and holds the statements that
// parsed; the error is an ErrorList with at most one *Error per statement
// (an unterminated string or comment stops the whole file).
func Parse(name, text string) (*File, error) {
	f := &File{Name: name, Text: text}
	toks, lerr := lex(text, 0, len(text))
	if lerr != nil {
		return f, ErrorList{f.Errorf(lerr.pos, "%s", lerr.msg)}
	}
	p := &fileParser{f: f, tidb: tidb.New()}
	var errs ErrorList
	for _, st := range splitStatements(toks) {
		s, err := p.statement(st)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		f.Statements = append(f.Statements, s)
	}
	if len(errs) > 0 {
		return f, errs
	}
	return f, nil
}

// splitStatements cuts tokens at ';'. Empty statements are dropped.
func splitStatements(toks []token) [][]token {
	var out [][]token
	start := 0
	for i, t := range toks {
		if t.isPunct(";") {
			if i > start {
				out = append(out, toks[start:i])
			}
			start = i + 1
		}
	}
	if start < len(toks) {
		out = append(out, toks[start:])
	}
	return out
}

// fileParser holds what is shared by the statements of one file.
type fileParser struct {
	f    *File
	tidb *tidb.Parser
}

// cursor walks the tokens of one statement.
type cursor struct {
	p    *fileParser
	toks []token
	i    int
	end  int // file offset just after the statement's last token
}

func (p *fileParser) statement(toks []token) (Statement, *Error) {
	c := &cursor{p: p, toks: toks, end: toks[len(toks)-1].end}
	span := Span{Start: toks[0].start, End: c.end}
	first := c.next()
	switch {
	case first.is("CREATE"):
		return c.create(span)
	case first.is("INSERT"):
		return c.insert(span)
	case first.is("SET"):
		return c.set(span)
	}
	return nil, c.errAt(first, "unknown statement %s: expected CREATE, INSERT or SET", describe(first))
}

func (c *cursor) create(span Span) (Statement, *Error) {
	kind := c.next()
	switch {
	case kind.is("SOURCE"):
		return c.createSource(span)
	case kind.is("TABLE"):
		return c.createTable(span)
	case kind.is("VIEW"):
		return c.createView(span, false)
	case kind.is("MATERIALIZED"):
		if t := c.next(); !t.is("VIEW") {
			return nil, c.errAt(t, "expected VIEW after MATERIALIZED, found %s", describe(t))
		}
		return c.createView(span, true)
	case kind.is("SINK"):
		return c.createSink(span)
	}
	return nil, c.errAt(kind, "expected SOURCE, TABLE, VIEW, MATERIALIZED VIEW or SINK after CREATE, found %s", describe(kind))
}

// atEnd reports whether all tokens are consumed.
func (c *cursor) atEnd() bool { return c.i >= len(c.toks) }

// peek returns the current token, or an end marker.
func (c *cursor) peek() token {
	if c.atEnd() {
		return token{start: c.end, end: c.end}
	}
	return c.toks[c.i]
}

func (c *cursor) next() token {
	t := c.peek()
	if !c.atEnd() {
		c.i++
	}
	return t
}

// accept consumes the bare words kws if they come next.
func (c *cursor) accept(kws ...string) bool {
	for k, kw := range kws {
		if c.i+k >= len(c.toks) || !c.toks[c.i+k].is(kw) {
			return false
		}
	}
	c.i += len(kws)
	return true
}

func (c *cursor) acceptPunct(p string) bool {
	if c.peek().isPunct(p) {
		c.i++
		return true
	}
	return false
}

func (c *cursor) expectPunct(p, context string) *Error {
	if c.acceptPunct(p) {
		return nil
	}
	return c.errAt(c.peek(), "expected %q %s, found %s", p, context, describe(c.peek()))
}

func (c *cursor) ifNotExists() bool { return c.accept("IF", "NOT", "EXISTS") }

// name consumes an identifier.
func (c *cursor) name(what string) (Ident, *Error) {
	t := c.peek()
	if !t.isName() {
		return Ident{}, c.errAt(t, "expected %s, found %s", what, describe(t))
	}
	c.i++
	return Ident{Name: t.value(), Pos: t.start}, nil
}

// expectEnd reports trailing tokens.
func (c *cursor) expectEnd(after string) *Error {
	if c.atEnd() {
		return nil
	}
	return c.errAt(c.peek(), "unexpected %s after %s", describe(c.peek()), after)
}

func (c *cursor) errAt(t token, format string, args ...any) *Error {
	return c.p.f.Errorf(t.start, format, args...)
}

// describe names a token for error messages.
func describe(t token) string {
	switch {
	case t.kind == 0:
		return "end of statement"
	case t.kind == tokString:
		return "string " + t.text
	case t.kind == tokNumber:
		return "number " + t.text
	}
	return fmt.Sprintf("%q", t.text)
}
