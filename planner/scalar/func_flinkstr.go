package scalar

import (
	"regexp"
)

// flinkStringFuncs binds the string functions of Flink's SQL dialect that
// MySQL lacks and the Nexmark queries use (q14 COUNT_CHAR, q21
// REGEXP_EXTRACT, q22 SPLIT_INDEX). Semantics follow Flink; exec/expr
// documents each kernel.
//
//   - SPLIT_INDEX(s, delim, n): the n-th (0-based) part of s split at every
//     occurrence of delim (empty parts kept); NULL when n is negative or
//     beyond the last part, or s is empty. An empty delim does not split.
//   - REGEXP_EXTRACT(s, pattern[, group]): group (default 0, the whole
//     match) of the first match of pattern in s; NULL when nothing
//     matches or the group did not take part in the match. Patterns are
//     RE2 (Go's regexp; Flink's are Java's: no backreferences or
//     lookaround). A constant pattern is compiled once and checked here,
//     with a constant group against its number of groups.
//   - COUNT_CHAR(s, c): how many characters of s equal the first character
//     of c (0 when c is empty), as BIGINT. Flink's Nexmark registers it as a
//     UDF (com.github.nexmark.flink.udf.CountChar).
func flinkStringFuncs() map[string]funcBinder {
	return map[string]funcBinder{
		"split_index":    simple(FuncSplitIndex, str, str, str, i64),
		"count_char":     simple(FuncCountChar, i64, str, str),
		"regexp_extract": {minArgs: 2, maxArgs: 3, bind: bindRegexpExtract},
	}
}

// bindRegexpExtract binds REGEXP_EXTRACT(s, pattern[, group]) and rejects
// a constant pattern that does not compile, or a constant group the
// constant pattern does not have, at the offending argument.
func bindRegexpExtract(c *fcall) (Expr, error) {
	args, err := c.argsAs(str, str, i64)
	if err != nil {
		return nil, err
	}
	lit, ok := args[1].(*Literal)
	if !ok || lit.Value == nil {
		return &Call{Func: FuncRegexpExtract, Args: args, T: str}, nil
	}
	re, err := regexp.Compile(lit.Value.(string))
	if err != nil {
		return nil, errorf(c.nodes[1], "REGEXP_EXTRACT pattern %q: %v", lit.Value, err)
	}
	if len(args) == 3 {
		if g, ok := args[2].(*Literal); ok && g.Value != nil {
			n := g.Value.(int64)
			if n < 0 || n > int64(re.NumSubexp()) {
				return nil, errorf(c.nodes[2], "REGEXP_EXTRACT group %d: the pattern %q has groups 0 to %d", n, lit.Value, re.NumSubexp())
			}
		}
	}
	return &Call{Func: FuncRegexpExtract, Args: args, T: str}, nil
}
