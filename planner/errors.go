package planner

import (
	"errors"
	"sort"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/parser"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// errorf returns a positioned error at a file offset.
func (p *planner) errorf(pos int, format string, args ...any) error {
	return p.file.Errorf(pos, format, args...)
}

// locator maps an AST node of a statement to its file offset (-1 when
// unknown).
type locator func(ast.Node) int

// queryLocator locates nodes of q, falling back to the query's start.
func queryLocator(q *parser.Query) locator {
	return func(n ast.Node) int {
		if n == nil {
			return -1
		}
		return q.Locate(n)
	}
}

// at returns the file offset of n, or fallback when the node has none.
func at(loc locator, n ast.Node, fallback int) int {
	if off := loc(n); off >= 0 {
		return off
	}
	return fallback
}

// positioned turns an error from the binder or the scope into a
// positioned parser.Error; errors already positioned pass through.
func (p *planner) positioned(err error, loc locator, fallback int) error {
	var perr *parser.Error
	if errors.As(err, &perr) {
		return err
	}
	var plerr *planError
	if errors.As(err, &plerr) {
		return p.errorf(plerr.pos, "%s", plerr.msg)
	}
	var serr *scalar.Error
	if errors.As(err, &serr) {
		return p.errorf(at(loc, serr.Node, fallback), "%s", serr.Msg)
	}
	return p.errorf(fallback, "%s", err.Error())
}

// didYouMean returns " (did you mean 'x'?)" for the candidate nearest to
// name, or "" when none is near.
func didYouMean(name string, candidates []string) string {
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted) // deterministic among equally near names
	if s := scalar.Suggest(name, sorted); s != "" {
		return " (did you mean '" + s + "'?)"
	}
	return ""
}

// planError is an error found while lowering, at a known file offset.
type planError struct {
	pos int
	msg string
}

func (e *planError) Error() string { return e.msg }
