package scalar

import (
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/catalog"
)

var (
	str     = catalog.VarcharType
	i64     = catalog.BigIntType
	ts3     = catalog.TimestampType
	boolean = catalog.BooleanType
)

// stringFuncs: arguments are cast to VARCHAR (numbers and temporals render
// as text), counts and positions to BIGINT.
func stringFuncs() map[string]funcBinder {
	variadicStr := func(f Func, min int) funcBinder {
		return funcBinder{minArgs: min, maxArgs: -1, bind: func(c *fcall) (Expr, error) {
			args, err := c.argsAs(str)
			if err != nil {
				return nil, err
			}
			return &Call{Func: f, Args: args, T: str}, nil
		}}
	}
	substr := funcBinder{minArgs: 2, maxArgs: 3, bind: func(c *fcall) (Expr, error) {
		args, err := c.argsAs(str, i64, i64)
		if err != nil {
			return nil, err
		}
		return &Call{Func: FuncSubstring, Args: args, T: str}, nil
	}}
	return map[string]funcBinder{
		"concat": variadicStr(FuncConcat, 1), "concat_ws": variadicStr(FuncConcatWs, 2),
		"substring": substr, "substr": substr, "mid": substr,
		"upper": simple(FuncUpper, str, str), "ucase": simple(FuncUpper, str, str),
		"lower": simple(FuncLower, str, str), "lcase": simple(FuncLower, str, str),
		"ltrim": simple(FuncLTrim, str, str), "rtrim": simple(FuncRTrim, str, str),
		"length": simple(FuncLength, i64, str), "octet_length": simple(FuncLength, i64, str),
		"char_length": simple(FuncCharLength, i64, str), "character_length": simple(FuncCharLength, i64, str),
		"replace": simple(FuncReplace, str, str, str, str),
		"left":    simple(FuncLeft, str, str, i64), "right": simple(FuncRight, str, str, i64),
		"lpad": simple(FuncLPad, str, str, i64, str), "rpad": simple(FuncRPad, str, str, i64, str),
		"reverse": simple(FuncReverse, str, str),
		"mask":    simple(FuncMask, str, str, i64, i64),
		"md5":     simple(FuncMD5, str, str), "sha2": simple(FuncSHA2, str, str, i64),
	}
}

// bindTrim binds TRIM([[BOTH|LEADING|TRAILING] [remstr] FROM] s) to
// TRIM/LTRIM/RTRIM(s[, remstr]); remstr is omitted when it is a single
// space (the default), so LTRIM(s) and TRIM(LEADING FROM s) are alike.
func (b *binder) bindTrim(n *ast.FuncCallExpr) (Expr, error) {
	if len(n.Args) < 1 || len(n.Args) > 3 {
		return nil, errorf(n, "TRIM expects 1 to 3 arguments, got %d", len(n.Args))
	}
	f := FuncTrim
	if len(n.Args) == 3 {
		if d, ok := n.Args[2].(*ast.TrimDirectionExpr); ok {
			f = map[ast.TrimDirectionType]Func{ast.TrimLeading: FuncLTrim, ast.TrimTrailing: FuncRTrim}[d.Direction]
			if f == FuncInvalid {
				f = FuncTrim
			}
		}
	}
	c := &fcall{n: n, name: "TRIM", nodes: n.Args[:min(len(n.Args), 2)]}
	var err error
	if c.args, err = b.bindAll(c.nodes); err != nil {
		return nil, err
	}
	args, err := c.argsAs(str)
	if err != nil {
		return nil, err
	}
	if len(args) == 2 {
		if lit, ok := args[1].(*Literal); ok && lit.Value == " " {
			args = args[:1]
		}
	}
	return &Call{Func: f, Args: args, T: str}, nil
}
