package scalar

import (
	"errors"
	"fmt"

	"github.com/pingcap/tidb/pkg/parser/ast"
)

// ErrNotScalar is wrapped by the *Error Bind returns for an aggregate or
// window function: the planner binds those itself (errors.Is(err,
// ErrNotScalar); errors.As gives the offending node).
var ErrNotScalar = errors.New("not a scalar expression")

// Error is a binding error positioned at the AST node that caused it, so
// the planner can report file:line:col. Err, when set, is the wrapped cause
// (ErrNotScalar, or the Scope's error for an unknown column).
type Error struct {
	Node ast.Node
	Msg  string
	Err  error
}

func (e *Error) Error() string { return e.Msg }

// Unwrap returns the cause, if any.
func (e *Error) Unwrap() error { return e.Err }

func errorf(n ast.Node, format string, args ...any) *Error {
	return &Error{Node: n, Msg: sprintf(format, args...)}
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
