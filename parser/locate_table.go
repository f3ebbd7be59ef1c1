package parser

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
)

// tableName locates a table reference. TiDB records no position for
// *ast.TableName, so the n-th TableName of the AST (in visiting order, which
// is the order of the text) is matched with the n-th table reference of the
// text; if the two lists disagree, the first reference with that name wins.
func (l *locator) tableName(x *ast.TableName) (int, bool) {
	names := collectTableNames(l.root)
	refs := tableRefs(l.textToks)
	if len(names) == len(refs) {
		for i, n := range names {
			if n == x && strings.EqualFold(refs[i].value(), x.Name.O) {
				return refs[i].start, true
			}
		}
	}
	for _, r := range refs {
		if strings.EqualFold(r.value(), x.Name.O) {
			return r.start, true
		}
	}
	return 0, false
}

type tableNameCollector struct{ names []*ast.TableName }

func (c *tableNameCollector) Enter(n ast.Node) (ast.Node, bool) {
	if t, ok := n.(*ast.TableName); ok {
		c.names = append(c.names, t)
	}
	return n, false
}

func (c *tableNameCollector) Leave(n ast.Node) (ast.Node, bool) { return n, true }

func collectTableNames(root ast.Node) []*ast.TableName {
	if root == nil {
		return nil
	}
	c := &tableNameCollector{}
	root.Accept(c)
	return c.names
}

// fromEnders end a FROM clause at the same parenthesis depth.
var fromEnders = map[string]bool{
	"WHERE": true, "GROUP": true, "HAVING": true, "ORDER": true, "LIMIT": true,
	"WINDOW": true, "UNION": true, "EXCEPT": true, "INTERSECT": true, "SELECT": true,
}

// tableRefs returns the table name tokens of a query's text: a name right
// after FROM or JOIN, or after "," or "(" inside a FROM clause. For a
// qualified name `db.t` it returns `t`. FROM inside a function call
// (EXTRACT(HOUR FROM ts)) is not a FROM clause.
func tableRefs(toks []token) []token {
	type frame struct{ query, from bool }
	var refs []token
	stack := []frame{{query: true}}
	for i := 0; i < len(toks); i++ {
		t, top := toks[i], &stack[len(stack)-1]
		refPos := false
		switch {
		case t.isPunct("("):
			next := i+1 < len(toks) && (toks[i+1].is("SELECT") || toks[i+1].is("WITH") || toks[i+1].isPunct("("))
			refPos = top.from && i > 0 && (toks[i-1].is("FROM") || toks[i-1].is("JOIN") || toks[i-1].isPunct(","))
			stack = append(stack, frame{query: next || refPos, from: refPos})
		case t.isPunct(")"):
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case t.is("FROM") && top.query:
			top.from, refPos = true, true
		case t.is("JOIN") && top.from:
			refPos = true
		case t.isPunct(","):
			refPos = top.from
		case t.kind == tokIdent && fromEnders[strings.ToUpper(t.text)]:
			top.from = false
		}
		if !refPos || i+1 >= len(toks) || !toks[i+1].isName() || toks[i+1].is("SELECT") ||
			toks[i+1].is("WITH") || toks[i+1].is("LATERAL") {
			continue
		}
		j := i + 1
		for j+2 < len(toks) && toks[j+1].isPunct(".") && toks[j+2].isName() {
			j += 2
		}
		refs = append(refs, toks[j])
	}
	return refs
}
