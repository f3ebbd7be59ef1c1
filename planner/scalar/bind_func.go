package scalar

import (
	"sort"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/catalog"
)

// fcall is one function call being bound: the node, its bound arguments
// and their nodes (for positioned errors).
type fcall struct {
	n     *ast.FuncCallExpr
	name  string // as written, upper case
	args  []Expr
	nodes []ast.ExprNode
}

// funcBinder binds one SQL function name.
type funcBinder struct {
	minArgs, maxArgs int // maxArgs -1: variadic
	bind             func(c *fcall) (Expr, error)
}

// funcTable maps lower-case SQL names to their binders. It is filled in
// init to break the initialization cycle through bindFuncCall.
var funcTable map[string]funcBinder

func init() {
	funcTable = map[string]funcBinder{}
	for _, group := range []map[string]funcBinder{stringFuncs(), numberFuncs(), timeFuncs(), condFuncs(), flinkStringFuncs()} {
		for k, v := range group {
			funcTable[k] = v
		}
	}
}

// FuncNames lists the scalar function names Bind accepts, upper case and
// sorted (for "did you mean" suggestions elsewhere in the planner).
func FuncNames() []string {
	names := make([]string, 0, len(funcTable))
	for k := range funcTable {
		names = append(names, strings.ToUpper(k))
	}
	sort.Strings(names)
	return names
}

func (b *binder) bindFuncCall(n *ast.FuncCallExpr) (Expr, error) {
	switch n.FnName.L {
	case ast.DateLiteral, ast.TimestampLiteral:
		return b.bindTemporalLiteral(n)
	case ast.TimeLiteral:
		return nil, errorf(n, "TIME values are not supported")
	case "date_add", "adddate", "date_sub", "subdate":
		return b.bindDateArith(n)
	case "trim":
		return b.bindTrim(n)
	case "timestampdiff":
		return b.bindTimestampDiff(n)
	}
	fb, ok := funcTable[n.FnName.L]
	if !ok {
		return nil, errorf(n, "function %s does not exist%s", n.FnName.O, didYouMean(n.FnName.O, FuncNames()))
	}
	c := &fcall{n: n, name: strings.ToUpper(n.FnName.O), nodes: n.Args}
	if len(n.Args) < fb.minArgs || (fb.maxArgs >= 0 && len(n.Args) > fb.maxArgs) {
		return nil, errorf(n, "%s expects %s, got %d", c.name, arity(fb), len(n.Args))
	}
	var err error
	if c.args, err = b.bindAll(n.Args); err != nil {
		return nil, err
	}
	return fb.bind(c)
}

func arity(fb funcBinder) string {
	switch {
	case fb.maxArgs < 0:
		return sprintf("at least %d arguments", fb.minArgs)
	case fb.minArgs == fb.maxArgs && fb.minArgs == 1:
		return "1 argument"
	case fb.minArgs == fb.maxArgs:
		return sprintf("%d arguments", fb.minArgs)
	}
	return sprintf("%d to %d arguments", fb.minArgs, fb.maxArgs)
}

// argAs casts argument i to t after checking that its type converts: want
// names the accepted family in the error message.
func (c *fcall) argAs(i int, t catalog.Type) (Expr, error) {
	a := c.args[i]
	at := a.Type()
	ok := at.ID == catalog.Null || at.Equal(t)
	switch t.ID {
	case catalog.Varchar:
		ok = ok || at.ID != catalog.Interval
	case catalog.BigInt, catalog.Int, catalog.Double, catalog.Decimal:
		ok = ok || isNumberLike(at)
	case catalog.Timestamp, catalog.Date:
		ok = ok || at.IsTemporal() || at.ID == catalog.Varchar
	case catalog.Boolean:
		ok = ok || at.IsNumeric()
	}
	if !ok {
		return nil, errorf(c.nodes[i], "%s argument %d must be %s, got %s", c.name, i+1, family(t), at)
	}
	return coerce(a, t, c.nodes[i])
}

// family names the accepted argument family of t for error messages.
func family(t catalog.Type) string {
	switch t.ID {
	case catalog.BigInt, catalog.Int, catalog.Double, catalog.Decimal:
		return "a number"
	case catalog.Timestamp, catalog.Date:
		return "a DATE or TIMESTAMP"
	case catalog.Varchar:
		return "a string"
	}
	return t.String()
}

// argsAs casts every argument to the corresponding type of ts.
func (c *fcall) argsAs(ts ...catalog.Type) ([]Expr, error) {
	out := make([]Expr, len(c.args))
	for i := range c.args {
		t := ts[min(i, len(ts)-1)]
		a, err := c.argAs(i, t)
		if err != nil {
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

// simple returns a binder of a fixed-signature function.
func simple(f Func, res catalog.Type, params ...catalog.Type) funcBinder {
	return funcBinder{minArgs: len(params), maxArgs: len(params), bind: func(c *fcall) (Expr, error) {
		args, err := c.argsAs(params...)
		if err != nil {
			return nil, err
		}
		return &Call{Func: f, Args: args, T: res}, nil
	}}
}
