package expr

import (
	"math/rand/v2"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
)

// TestRegexpMatcherShortcuts pins what newRegexpMatcher derives: the
// literal every match contains, how far before it a match may start, and
// whether the tail search is on.
func TestRegexpMatcherShortcuts(t *testing.T) {
	cases := []struct {
		pattern string
		lit     string
		lead    int // -1: whole-row search
	}{
		{"(&|^)channel_id=([^&]*)", "channel_id=", 1},
		{"channel_id=([^&]*)", "channel_id=", 0},
		{"^abc", "abc", 0},
		{"x[0-9]{2,3}yz", "yz", 13},
		{"(ab)+c", "ab", 0},
		{"a.*bcd", "a", 0},             // a bounded literal beats a longer unbounded one
		{"[ab]*bcd", "bcd", -1},        // unbounded before the literal: prefilter only
		{"(?i)channel_id=", "", -1},    // case-folded: no literal
		{"[abc]+", "", -1},             // no literal at all
		{"a|b", "", -1},                // alternation: no literal every match has
		{"(ab)?cd", "cd", 2},           // optional group before
		{"(?m)^ab", "ab", -1},          // multi-line ^ looks behind: prefilter only
		{`\bword`, "word", -1},         // word boundary looks behind
		{"x\uFFFDy", "", -1},           // U+FFFD also matches an invalid byte
		{"(a|bc)(?:de){0}fg", "fg", 2}, // {0} is empty
	}
	for _, c := range cases {
		m, err := newRegexpMatcher(c.pattern)
		if err != nil {
			t.Fatalf("%s: %v", c.pattern, err)
		}
		if m.lit != c.lit || m.lead != c.lead || (m.lead >= 0) != (m.tailRe != nil) {
			t.Errorf("%s: lit=%q lead=%d tail=%v, want lit=%q lead=%d", c.pattern, m.lit, m.lead, m.tailRe != nil, c.lit, c.lead)
		}
	}
}

// TestRegexpMatcherEqualsRegexp checks find against Go's own
// FindStringSubmatchIndex over random strings drawn from the patterns'
// characters, for patterns with and without a usable literal.
func TestRegexpMatcherEqualsRegexp(t *testing.T) {
	patterns := []string{
		"(&|^)channel_id=([^&]*)", "(^|b)a([^b]*)", "^ab", "ab$", "(a|^)(b|$)c",
		"x[ab]{1,2}yz", "(ab)+c", "(ab)?cd", "a.*bc", "(?s)a.?b", "(?U)(a+)(b+)",
		"(?i)ab", "(?m)^ab", `\bab`, `a\Bb`, "[abc]+", "a|b", "\\Aab|b", "(?P<v>a)b(c*)",
		"é(ab)", "\u00e9|a", "((a)|(b))c", "a{2}b", "(x?)ab(y?)$",
	}
	alphabet := []string{"a", "b", "c", "x", "y", "z", "&", "=", "é", "\n", " ", "\xff", "ab", "channel_id=", "yz"}
	r := rand.New(rand.NewPCG(7, 21))
	for _, p := range patterns {
		m, err := newRegexpMatcher(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		re := regexp.MustCompile(p)
		for range 3000 {
			var sb strings.Builder
			for range r.IntN(12) {
				sb.WriteString(alphabet[r.IntN(len(alphabet))])
			}
			s := sb.String()
			if got, want := m.find(s), re.FindStringSubmatchIndex(s); !slices.Equal(got, want) {
				t.Fatalf("%s on %q: got %v, want %v", p, s, got, want)
			}
		}
	}
}

// TestWithoutBeginTextRoundTrips checks that the tail pattern keeps the
// groups and flags of the original when printed and parsed again.
func TestWithoutBeginTextRoundTrips(t *testing.T) {
	for _, p := range []string{"(?i)a(?P<n>b)", "(?U)a+b", "(?s).b", "(&|^)c=([^&]*)$"} {
		tree, err := syntax.Parse(p, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		tail := regexp.MustCompile(withoutBeginText(tree).String())
		re := regexp.MustCompile(p)
		if !slices.Equal(tail.SubexpNames(), re.SubexpNames()) {
			t.Errorf("%s: groups %v, want %v", p, tail.SubexpNames(), re.SubexpNames())
		}
		for _, s := range []string{"AB", "aab", "\nb", "x&c=1", "c=2"} {
			if strings.HasPrefix(p, "(&|^)") && strings.HasPrefix(s, "c=") {
				if tail.MatchString(s) {
					t.Errorf("%s: tail pattern matched %q at \\A", p, s)
				}
				continue
			}
			if !slices.Equal(tail.FindStringSubmatchIndex(s), re.FindStringSubmatchIndex(s)) {
				t.Errorf("%s on %q: tail pattern differs", p, s)
			}
		}
	}
}
