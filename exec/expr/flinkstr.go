package expr

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/sqlstream/sqlstream/planner/scalar"
)

// Kernels of Flink's string functions (planner/scalar/func_flinkstr.go):
// SPLIT_INDEX, COUNT_CHAR and REGEXP_EXTRACT, row functions over the
// string kernel. A NULL argument makes the result NULL. SPLIT_INDEX and
// REGEXP_EXTRACT with constant arguments after the string take the
// substring kernel (flinkstr_substr.go); REGEXP_EXTRACT's patterns go
// through regexpMatcher's literal shortcuts (flinkstr_regexp.go).

// compileFlinkString compiles one of Flink's string functions.
func (c *compiler) compileFlinkString(e *scalar.Call) (Kernel, error) {
	switch e.Func {
	case scalar.FuncSplitIndex:
		return c.compileSplitIndex(e)
	case scalar.FuncCountChar:
		return c.compileStrSig(e, strSig{kinds: "ss", minArgs: 2, intOut: true, impl: countCharImpl})
	case scalar.FuncRegexpExtract:
		if k, ok, err := c.compileRegexpSubstr(e); ok || err != nil {
			return k, err
		}
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
	if n[0] < 0 {
		return buf, 0, false
	}
	part, ok := splitPart(s[0], s[1], n[0])
	return append(buf, part...), 0, ok
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
	if lit, ok := e.Args[1].(*scalar.Literal); ok && lit.Value != nil {
		m, err := newRegexpMatcher(lit.Value.(string))
		if err != nil {
			return nil, fmt.Errorf("%s: pattern: %w", e, err)
		}
		return func(buf []byte, s []string, n []int64) ([]byte, int64, bool) {
			return extractGroup(buf, m, s[0], n)
		}, nil
	}
	cache := &regexpCache{m: map[string]*regexpMatcher{}}
	return func(buf []byte, s []string, n []int64) ([]byte, int64, bool) {
		m := cache.get(s[1])
		if m == nil {
			return buf, 0, false
		}
		return extractGroup(buf, m, s[0], n)
	}, nil
}

// extractGroup appends group n[0] (0 without n) of m's first match in s.
func extractGroup(buf []byte, m *regexpMatcher, s string, n []int64) ([]byte, int64, bool) {
	g := int64(0)
	if len(n) > 0 {
		g = n[0]
	}
	if g < 0 || g > int64(m.numSubexp()) {
		return buf, 0, false
	}
	loc := m.find(s)
	if loc == nil || loc[2*g] < 0 {
		return buf, 0, false
	}
	return append(buf, s[loc[2*g]:loc[2*g+1]]...), 0, true
}

// regexpCacheSize bounds the compiled patterns a computed REGEXP_EXTRACT
// pattern keeps; the cache starts over when it is full.
const regexpCacheSize = 256

// regexpCache memoizes compiled patterns (nil for one that does not
// compile) for a kernel whose pattern is computed per row. Kernels are
// shared by concurrent Evals, hence the lock.
type regexpCache struct {
	mu sync.Mutex
	m  map[string]*regexpMatcher
}

func (c *regexpCache) get(pattern string) *regexpMatcher {
	c.mu.Lock()
	defer c.mu.Unlock()
	re, ok := c.m[pattern]
	if ok {
		return re
	}
	if len(c.m) >= regexpCacheSize {
		clear(c.m)
	}
	re, _ = newRegexpMatcher(pattern)
	c.m[pattern] = re
	return re
}
