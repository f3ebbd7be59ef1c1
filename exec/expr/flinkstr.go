package expr

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/sqlstream/sqlstream/planner/scalar"
)

// Kernels of Flink's string functions (planner/scalar/func_flinkstr.go):
// SPLIT_INDEX, COUNT_CHAR and REGEXP_EXTRACT, row functions over the
// string kernel. A NULL argument makes the result NULL.

// compileFlinkString compiles one of Flink's string functions.
func (c *compiler) compileFlinkString(e *scalar.Call) (Kernel, error) {
	switch e.Func {
	case scalar.FuncSplitIndex:
		return c.compileStrSig(e, strSig{kinds: "ssi", minArgs: 3, impl: splitIndexImpl})
	case scalar.FuncCountChar:
		return c.compileStrSig(e, strSig{kinds: "ss", minArgs: 2, intOut: true, impl: countCharImpl})
	case scalar.FuncRegexpExtract:
		impl, err := regexpExtractImpl(e)
		if err != nil {
			return nil, err
		}
		return c.compileStrSig(e, strSig{kinds: "ssi", minArgs: 2, impl: impl})
	}
	return nil, fmt.Errorf("%s: no kernel", e)
}

// splitIndexImpl is SPLIT_INDEX(s, delim, n) as Flink's
// (StringUtils.splitByWholeSeparatorPreserveAllTokens): part n (0-based)
// of s split at every delim, empty parts kept; NULL for a negative n, an n
// past the last part, or an empty s (which has no parts). An empty delim
// leaves s whole: its only part.
func splitIndexImpl(buf []byte, s []string, n []int64) ([]byte, int64, bool) {
	str, delim, idx := s[0], s[1], n[0]
	if idx < 0 || str == "" {
		return buf, 0, false
	}
	if delim == "" {
		if idx > 0 {
			return buf, 0, false
		}
		return append(buf, str...), 0, true
	}
	for ; idx > 0; idx-- {
		i := strings.Index(str, delim)
		if i < 0 {
			return buf, 0, false
		}
		str = str[i+len(delim):]
	}
	if i := strings.Index(str, delim); i >= 0 {
		str = str[:i]
	}
	return append(buf, str...), 0, true
}

// countCharImpl is COUNT_CHAR(s, c): the characters of s equal to the
// first character of c; 0 for an empty c.
func countCharImpl(buf []byte, s []string, _ []int64) ([]byte, int64, bool) {
	if s[1] == "" {
		return buf, 0, true
	}
	r, w := utf8.DecodeRuneInString(s[1])
	if r < utf8.RuneSelf {
		return buf, int64(strings.Count(s[0], s[1][:w])), true
	}
	var cnt int64
	for _, x := range s[0] {
		if x == r {
			cnt++
		}
	}
	return buf, cnt, true
}

// regexpExtractImpl returns the row function of REGEXP_EXTRACT(s,
// pattern[, group]): group (default 0) of the first match, NULL when
// nothing matches, the group did not take part, or the group is out of
// range. A constant pattern (the binder checked it) is compiled here once;
// a computed one goes through a small shared cache, and one that does not
// compile gives NULL, as Flink's does.
func regexpExtractImpl(e *scalar.Call) (strImpl, error) {
	find := func(buf []byte, re *regexp.Regexp, s string, n []int64) ([]byte, int64, bool) {
		g := int64(0)
		if len(n) > 0 {
			g = n[0]
		}
		if g < 0 || g > int64(re.NumSubexp()) {
			return buf, 0, false
		}
		m := re.FindStringSubmatchIndex(s)
		if m == nil || m[2*g] < 0 {
			return buf, 0, false
		}
		return append(buf, s[m[2*g]:m[2*g+1]]...), 0, true
	}
	if lit, ok := e.Args[1].(*scalar.Literal); ok && lit.Value != nil {
		re, err := regexp.Compile(lit.Value.(string))
		if err != nil {
			return nil, fmt.Errorf("%s: pattern: %w", e, err)
		}
		return func(buf []byte, s []string, n []int64) ([]byte, int64, bool) {
			return find(buf, re, s[0], n)
		}, nil
	}
	cache := &regexpCache{m: map[string]*regexp.Regexp{}}
	return func(buf []byte, s []string, n []int64) ([]byte, int64, bool) {
		re := cache.get(s[1])
		if re == nil {
			return buf, 0, false
		}
		return find(buf, re, s[0], n)
	}, nil
}

// regexpCacheSize bounds the compiled patterns a computed REGEXP_EXTRACT
// pattern keeps; the cache starts over when it is full.
const regexpCacheSize = 256

// regexpCache memoizes compiled patterns (nil for one that does not
// compile) for a kernel whose pattern is computed per row. Kernels are
// shared by concurrent Evals, hence the lock.
type regexpCache struct {
	mu sync.Mutex
	m  map[string]*regexp.Regexp
}

func (c *regexpCache) get(pattern string) *regexp.Regexp {
	c.mu.Lock()
	defer c.mu.Unlock()
	re, ok := c.m[pattern]
	if ok {
		return re
	}
	if len(c.m) >= regexpCacheSize {
		clear(c.m)
	}
	re, _ = regexp.Compile(pattern)
	c.m[pattern] = re
	return re
}
