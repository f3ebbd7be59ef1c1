package parser

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
)

// render returns src[base:end] keeping only toks: everything else (lifted
// clauses, comments) becomes spaces, newlines stay. Offsets are preserved.
func render(src string, base, end int, toks []token) []byte {
	buf := make([]byte, end-base)
	for i := range buf {
		if src[base+i] == '\n' {
			buf[i] = '\n'
		} else {
			buf[i] = ' '
		}
	}
	for _, t := range toks {
		copy(buf[t.start-base:], t.text)
	}
	return buf
}

// parseTiDB parses text with TiDB. offset is the file offset of text[0];
// syntax errors are mapped back into the file.
// what names the input in "unexpected end of <what>".
func (p *fileParser) parseTiDB(text string, offset int, what string) ([]ast.StmtNode, *Error) {
	stmts, _, err := p.tidb.Parse(text, "", "")
	if err != nil {
		return nil, p.tidbError(err.Error(), text, offset, what)
	}
	if len(stmts) == 0 {
		return nil, p.f.Errorf(offset, "empty statement")
	}
	return stmts, nil
}

var totalLengthRE = regexp.MustCompile(`\(total length (\d+)\)`)

// tidbError converts TiDB's `line L column C near "rest"` into an Error at
// the token where TiDB failed. TiDB's "near" text is the suffix of its input
// starting at that token, which locates it exactly.
func (p *fileParser) tidbError(msg, text string, offset int, what string) *Error {
	i := strings.Index(msg, ` near "`)
	if i < 0 {
		return p.f.Errorf(offset+firstNonSpace(text), "%s", msg)
	}
	rest := msg[i+len(` near "`):]
	at := -1
	if m := totalLengthRE.FindStringSubmatch(rest); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n <= len(text) {
			at = len(text) - n
		}
	}
	for k := 0; at < 0 && k <= len(text); k++ {
		n := len(text) - k
		if len(rest) > n && rest[n] == '"' && rest[:n] == text[k:] {
			at = k
		}
	}
	if at < 0 {
		return p.f.Errorf(offset+firstNonSpace(text), "syntax error: %s", msg)
	}
	toks, _ := lex(text, at, len(text))
	if len(toks) == 0 {
		end := len(strings.TrimRight(text, " \t\r\n"))
		return p.f.Errorf(offset+end, "syntax error: unexpected end of %s", what)
	}
	return p.f.Errorf(offset+toks[0].start, "syntax error at or near %q", toks[0].text)
}

func firstNonSpace(s string) int {
	return len(s) - len(strings.TrimLeft(s, " \t\r\n"))
}

// selectPrefix is placed before a lone expression so TiDB parses it.
const selectPrefix = "SELECT "

// parseExpr parses the tokens of one expression with TiDB, as the single
// field of `SELECT <expr>`. TiDB offsets of the result are relative to
// exprText(toks) with offset toks[0].start-len(selectPrefix).
func (p *fileParser) parseExpr(toks []token) (ast.ExprNode, *locator, *Error) {
	base, end := toks[0].start, toks[len(toks)-1].end
	text := selectPrefix + string(render(p.f.Text, base, end, toks))
	stmts, err := p.parseTiDB(text, base-len(selectPrefix), "expression")
	if err != nil {
		return nil, nil, err
	}
	sel, ok := stmts[0].(*ast.SelectStmt)
	if !ok || len(stmts) != 1 || sel.From != nil || sel.Fields == nil || len(sel.Fields.Fields) != 1 ||
		sel.Fields.Fields[0].Expr == nil || sel.Fields.Fields[0].AsName.O != "" || sel.Where != nil {
		return nil, nil, p.f.Errorf(base, "expected a single expression")
	}
	expr := sel.Fields.Fields[0].Expr
	loc := newLocator(text, selectPrefix+p.f.Text[base:end], base-len(selectPrefix), base, expr)
	return expr, loc, nil
}
