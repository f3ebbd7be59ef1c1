package expr

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// regexpMatcher finds the first (leftmost-first) match of a pattern the
// way regexp.FindStringSubmatchIndex does, with two shortcuts derived once
// from the pattern's syntax tree:
//
//   - lit is a literal every match contains. A row without it cannot match
//     and skips the regexp engine (one strings.Index).
//   - lead bounds how many bytes a match spans before lit. A match then
//     starts at or after first(lit) - lead, so the engine runs on that tail
//     of the row instead of trying every earlier start position (Go's
//     backtracker retries from each byte when the pattern has no literal
//     prefix, as with q21's '(&|^)channel_id=([^&]*)').
//
// Searching a tail would change what the empty-width assertions see at its
// first byte. The tail search therefore uses tailRe, the pattern with \A
// (and ^ without the m flag) made never-matching: no match that starts
// after byte 0 can use them. Patterns with \b, \B or multi-line ^ (which
// look at the byte before) keep the whole-row search (tailRe nil).
//
// A regexpMatcher is immutable after newRegexpMatcher and safe for
// concurrent use.
type regexpMatcher struct {
	re     *regexp.Regexp
	tailRe *regexp.Regexp
	lit    string
	lead   int // -1: unbounded
}

// newRegexpMatcher compiles pattern with regexp.Compile's syntax and
// derives its shortcuts.
func newRegexpMatcher(pattern string) (*regexpMatcher, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	m := &regexpMatcher{re: re, lead: -1}
	tree, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return m, nil // unreachable: regexp.Compile parsed the same pattern
	}
	m.lit, m.lead = requiredLiteral(tree)
	if m.lit == "" || m.lead < 0 || lookBehind(tree) {
		m.lead = -1
		return m, nil
	}
	if m.tailRe, err = regexp.Compile(withoutBeginText(tree).String()); err != nil ||
		m.tailRe.NumSubexp() != re.NumSubexp() {
		m.tailRe, m.lead = nil, -1
	}
	return m, nil
}

// numSubexp is the number of capture groups of the pattern.
func (m *regexpMatcher) numSubexp() int { return m.re.NumSubexp() }

// find returns the submatch byte offsets of the first match in s (pairs per
// group, -1 for a group that did not take part), or nil when nothing
// matches.
func (m *regexpMatcher) find(s string) []int {
	if m.lit == "" {
		return m.re.FindStringSubmatchIndex(s)
	}
	p := strings.Index(s, m.lit)
	if p < 0 {
		return nil
	}
	from := p - m.lead
	if m.lead < 0 || from <= 0 {
		return m.re.FindStringSubmatchIndex(s)
	}
	loc := m.tailRe.FindStringSubmatchIndex(s[from:])
	for i, x := range loc {
		if x >= 0 {
			loc[i] = x + from
		}
	}
	return loc
}

// requiredLiteral returns a literal that every match of re contains and the
// most bytes a match spans before it (-1 when unbounded), or "" when it
// finds none. It prefers a literal at a bounded distance, then the longer
// one. Case-folded literals and literals with U+FFFD (which also matches an
// invalid byte) do not count.
func requiredLiteral(re *syntax.Regexp) (string, int) {
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiteral(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiteral(re.Sub[0])
		}
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase == 0 && !strings.ContainsRune(string(re.Rune), utf8.RuneError) {
			return string(re.Rune), 0
		}
	case syntax.OpConcat:
		return concatLiteral(re.Sub)
	}
	return "", -1
}

// concatLiteral is requiredLiteral over the parts of a concatenation.
func concatLiteral(subs []*syntax.Regexp) (string, int) {
	best, bestLead, before := "", -1, 0
	for _, sub := range subs {
		lit, lead := requiredLiteral(sub)
		if lit != "" {
			if lead >= 0 && before >= 0 {
				lead += before
			} else {
				lead = -1
			}
			if betterLiteral(lit, lead, best, bestLead) {
				best, bestLead = lit, lead
			}
		}
		if w := maxWidth(sub); w < 0 || before < 0 {
			before = -1
		} else {
			before += w
		}
	}
	return best, bestLead
}

// betterLiteral reports whether (lit, lead) is a better shortcut than
// (best, bestLead): bounded distance first, then length.
func betterLiteral(lit string, lead int, best string, bestLead int) bool {
	if best == "" {
		return true
	}
	if (lead >= 0) != (bestLead >= 0) {
		return lead >= 0
	}
	return len(lit) > len(best)
}

// maxWidth is the most bytes re can match, or -1 when unbounded.
func maxWidth(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		w := 0
		for _, r := range re.Rune {
			if n := utf8.RuneLen(r); n > 0 {
				w += n
			} else {
				w += utf8.UTFMax
			}
		}
		return w
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return maxWidth(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		if maxWidth(re.Sub[0]) == 0 {
			return 0
		}
		return -1
	case syntax.OpRepeat:
		w := maxWidth(re.Sub[0])
		if w == 0 || re.Max == 0 {
			return 0
		}
		if w < 0 || re.Max < 0 {
			return -1
		}
		return w * re.Max
	case syntax.OpConcat:
		return sumWidths(re.Sub)
	case syntax.OpAlternate:
		w := 0
		for _, sub := range re.Sub {
			sw := maxWidth(sub)
			if sw < 0 {
				return -1
			}
			w = max(w, sw)
		}
		return w
	}
	return 0 // empty-width operators and NoMatch
}

func sumWidths(subs []*syntax.Regexp) int {
	w := 0
	for _, sub := range subs {
		sw := maxWidth(sub)
		if sw < 0 {
			return -1
		}
		w += sw
	}
	return w
}

// lookBehind reports whether re has an assertion that looks at the byte
// before the current position, other than \A: multi-line ^, \b, \B.
func lookBehind(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginLine, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	}
	for _, sub := range re.Sub {
		if lookBehind(sub) {
			return true
		}
	}
	return false
}

// withoutBeginText returns a copy of re in which \A never matches.
func withoutBeginText(re *syntax.Regexp) *syntax.Regexp {
	c := *re
	if c.Op == syntax.OpBeginText {
		return &syntax.Regexp{Op: syntax.OpNoMatch, Flags: c.Flags}
	}
	c.Sub = make([]*syntax.Regexp, len(re.Sub))
	for i, sub := range re.Sub {
		c.Sub[i] = withoutBeginText(sub)
	}
	return &c
}
