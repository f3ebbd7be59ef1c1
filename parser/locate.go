package parser

import (
	"sort"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
)

// Locate returns the file offset of n, a node of q.Stmt or of a
// q.Filters[i].Where, for error messages:
//   - expressions (*ast.ColumnNameExpr, *ast.FuncCallExpr,
//     *ast.AggregateFuncExpr, literals, operators, ...): the first byte of
//     the expression as written (a qualified column `b.price` points at `b`;
//     `a + b` and `ts - INTERVAL 1 SECOND` point at their left operand).
//     TiDB records these (OriginTextPosition); Locate checks the position
//     against the text and otherwise searches the text for the name;
//   - *ast.TableName: its name in FROM/JOIN (the n-th table reference of
//     the query for the n-th TableName of the AST); a window table function
//     argument `HOP(bid, ...)` points at `bid`, i.e. WindowTVF.Table.Pos;
//   - *ast.TableSource, *ast.SelectField, *ast.ByItem: their table or
//     expression; *ast.ColumnName: the first use of that name in the text;
//   - anything else, or when nothing better is found: q.Offset.
func (q *Query) Locate(n ast.Node) int {
	if q.loc == nil {
		return newLocator(q.Text, q.Text, q.Offset, q.Offset, q.Stmt).locate(n)
	}
	return q.loc.locate(n)
}

// Locate returns the file offset of n, a node of ins.Values, as
// Query.Locate does; the fallback is the VALUES keyword.
func (ins *Insert) Locate(n ast.Node) int {
	if ins.loc == nil {
		return ins.ValuesOffset
	}
	return ins.loc.locate(n)
}

// Locate returns the file offset of n, a node of w.Expr, as Query.Locate
// does; the fallback is w.ExprPos.
func (w *WatermarkDef) Locate(n ast.Node) int {
	if w.loc == nil {
		return w.ExprPos
	}
	return w.loc.locate(n)
}

// locator maps TiDB nodes back to file offsets.
type locator struct {
	text     string // what TiDB parsed
	offset   int    // file offset of text[0]
	fallback int
	root     ast.Node
	srcToks  []token // tokens of the original text (same offsets as text)
	textToks []token // tokens of text
}

// newLocator: src is the original file text that text was rendered from
// (same length; lifted clauses still present).
func newLocator(text, src string, offset, fallback int, root ast.Node) *locator {
	l := &locator{text: text, offset: offset, fallback: fallback, root: root}
	l.srcToks, _ = lex(src, 0, len(src))
	l.textToks, _ = lex(text, 0, len(text))
	return l
}

func (l *locator) locate(n ast.Node) int {
	if pos, ok := l.find(n); ok {
		return l.offset + pos
	}
	return l.fallback
}

// find returns n's offset within text.
func (l *locator) find(n ast.Node) (int, bool) {
	switch x := n.(type) {
	case nil:
		return 0, false
	case *ast.SelectField:
		if x.Expr != nil {
			return l.find(x.Expr)
		}
	case *ast.ByItem:
		return l.find(x.Expr)
	case *ast.TableSource:
		return l.find(x.Source)
	case *ast.TableName:
		return l.tableName(x)
	case *ast.ColumnName:
		return l.scanColumn(x.Table.O, x.Name.O)
	case *ast.ColumnNameExpr:
		pos := x.OriginTextPosition()
		if l.tokenAt(pos, firstNonEmpty(x.Name.Table.O, x.Name.Name.O)) {
			return pos, true
		}
		return l.scanColumn(x.Name.Table.O, x.Name.Name.O)
	case *ast.FuncCallExpr:
		return l.function(x.OriginTextPosition(), x.FnName.O)
	case *ast.AggregateFuncExpr:
		return l.function(x.OriginTextPosition(), x.F)
	case *ast.WindowFuncExpr:
		return l.function(x.OriginTextPosition(), x.Name)
	case ast.ExprNode:
		if pos := x.OriginTextPosition(); pos > 0 && l.tokenAt(pos, "") {
			return pos, true
		}
	}
	return 0, false
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// function locates a call at TiDB's position, or by its name followed by
// "(". Calls TiDB derives from operators (`ts - INTERVAL 1 SECOND` is
// DATE_SUB) keep TiDB's position if it is a token start.
func (l *locator) function(pos int, name string) (int, bool) {
	if pos > 0 && l.tokenAt(pos, "") {
		return pos, true
	}
	for i, t := range l.srcToks {
		if t.isName() && strings.EqualFold(t.value(), name) && i+1 < len(l.srcToks) && l.srcToks[i+1].isPunct("(") {
			return t.start, true
		}
	}
	return 0, false
}

// tokenAt reports whether a token starts at pos; if name is set, the token
// must be that identifier.
func (l *locator) tokenAt(pos int, name string) bool {
	if pos <= 0 {
		return false
	}
	i := sort.Search(len(l.srcToks), func(i int) bool { return l.srcToks[i].start >= pos })
	if i == len(l.srcToks) || l.srcToks[i].start != pos {
		return false
	}
	return name == "" || (l.srcToks[i].isName() && strings.EqualFold(l.srcToks[i].value(), name))
}

// scanColumn finds the first `name` (or `table.name`) that is not a
// function name or the right side of another qualifier.
func (l *locator) scanColumn(table, name string) (int, bool) {
	toks := l.srcToks
	for i, t := range toks {
		if !t.isName() || (i > 0 && toks[i-1].isPunct(".")) {
			continue
		}
		if table == "" {
			if strings.EqualFold(t.value(), name) && !(i+1 < len(toks) && (toks[i+1].isPunct("(") || toks[i+1].isPunct("."))) {
				return t.start, true
			}
			continue
		}
		if strings.EqualFold(t.value(), table) && i+2 < len(toks) && toks[i+1].isPunct(".") &&
			toks[i+2].isName() && strings.EqualFold(toks[i+2].value(), name) {
			return t.start, true
		}
	}
	return 0, false
}
