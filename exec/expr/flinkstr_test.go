package expr

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sqlstream/sqlstream/planner/scalar"
)

// The shared batch's s column: "hello" | "héllo wörld" | NULL | "" | "  pad  ".

func TestSplitIndex(t *testing.T) {
	url := str("https://www.nexmark.com/abcde/fghij/klmno/item.htm?query=1")
	runCases(t, []exprCase{
		{"url-dir1", call(scalar.FuncSplitIndex, vc, url, str("/"), i64(3)), "abcde | abcde | abcde | abcde | abcde"},
		{"url-dir3", call(scalar.FuncSplitIndex, vc, url, str("/"), i64(5)), "klmno | klmno | klmno | klmno | klmno"},
		{"url-empty-part", call(scalar.FuncSplitIndex, vc, url, str("/"), i64(1)), " |  |  |  | "},
		{"past-end", call(scalar.FuncSplitIndex, vc, url, str("/"), i64(7)), "NULL | NULL | NULL | NULL | NULL"},
		{"negative", call(scalar.FuncSplitIndex, vc, url, str("/"), i64(-1)), "NULL | NULL | NULL | NULL | NULL"},
		{"column", call(scalar.FuncSplitIndex, vc, tS, str("l"), i64(2)), "o | o wör | NULL | NULL | NULL"},
		{"column-0", call(scalar.FuncSplitIndex, vc, tS, str("l"), i64(0)), "he | hé | NULL | NULL |   pad  "},
		{"whole-delim", call(scalar.FuncSplitIndex, vc, str("a::b::c"), str("::"), i64(2)), "c | c | c | c | c"},
		{"empty-delim", call(scalar.FuncSplitIndex, vc, tS, str(""), i64(0)), "hello | héllo wörld | NULL | NULL |   pad  "},
		{"null-index", call(scalar.FuncSplitIndex, vc, tS, str("l"), tI4), "NULL | NULL | NULL | NULL | NULL"},
		{"column-negative", call(scalar.FuncSplitIndex, vc, tS, str("l"), i64(-1)), "NULL | NULL | NULL | NULL | NULL"},
		{"column-multibyte-delim", call(scalar.FuncSplitIndex, vc, tS, str("ö"), i64(1)), "NULL | rld | NULL | NULL | NULL"},
		{"column-whole-delim", call(scalar.FuncSplitIndex, vc, tS, str("ll"), i64(1)), "o | o wörld | NULL | NULL | NULL"},
		{"column-past-end", call(scalar.FuncSplitIndex, vc, tS, str(" "), i64(4)), "NULL | NULL | NULL | NULL | "},
		{"column-null-delim", call(scalar.FuncSplitIndex, vc, tS, null(vc), i64(0)), "NULL | NULL | NULL | NULL | NULL"},
	})
}

// TestSubstrKernelGrows checks results longer than the substring kernel's
// first guess of the data size (16 bytes a row).
func TestSubstrKernelGrows(t *testing.T) {
	pad := func(s string) string { return strings.Repeat("x", 300-utf8.RuneCountInString(s)) + s }
	long := call(scalar.FuncLPad, vc, tS, i64(300), str("x"))
	want := strings.Join([]string{pad("hello"), pad("héllo wörld"), "NULL", pad(""), pad("  pad  ")}, " | ")
	runCases(t, []exprCase{
		{"split-whole", call(scalar.FuncSplitIndex, vc, long, str("/"), i64(0)), want},
		{"regexp-whole", call(scalar.FuncRegexpExtract, vc, long, str("x.*"), i64(0)), want},
	})
}

// TestSplitIndexKernelChoice checks that a constant delimiter and index
// over a column take the direct kernel, and other shapes the row function.
func TestSplitIndexKernelChoice(t *testing.T) {
	for _, c := range []struct {
		e      scalar.Expr
		direct bool
	}{
		{call(scalar.FuncSplitIndex, vc, tS, str("/"), i64(3)), true},
		{call(scalar.FuncSplitIndex, vc, str("a/b"), str("/"), i64(1)), false},
		{call(scalar.FuncSplitIndex, vc, tS, tS, i64(1)), false},
		{call(scalar.FuncSplitIndex, vc, tS, str("/"), tI4), false},
	} {
		k, err := Compile(c.e, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := k.(*substrKernel); ok != c.direct {
			t.Errorf("%s: direct kernel = %v, want %v", c.e, ok, c.direct)
		}
	}
}

func TestCountChar(t *testing.T) {
	runCases(t, []exprCase{
		{"ascii", call(scalar.FuncCountChar, bigT, tS, str("l")), "2 | 3 | NULL | 0 | 0"},
		{"multibyte", call(scalar.FuncCountChar, bigT, tS, str("ö")), "0 | 1 | NULL | 0 | 0"},
		{"first-char-only", call(scalar.FuncCountChar, bigT, tS, str("lo")), "2 | 3 | NULL | 0 | 0"},
		{"empty-char", call(scalar.FuncCountChar, bigT, tS, str("")), "0 | 0 | NULL | 0 | 0"},
		{"null-char", call(scalar.FuncCountChar, bigT, tS, null(vc)), "NULL | NULL | NULL | NULL | NULL"},
	})
}

func TestRegexpExtract(t *testing.T) {
	const channel = "(&|^)channel_id=([^&]*)"
	url := func(u string) scalar.Expr { return str(u) }
	runCases(t, []exprCase{
		{"q21-match", call(scalar.FuncRegexpExtract, vc, url("query=1&channel_id=42&x=y"), str(channel), i64(2)), "42 | 42 | 42 | 42 | 42"},
		{"q21-at-start", call(scalar.FuncRegexpExtract, vc, url("channel_id=7"), str(channel), i64(2)), "7 | 7 | 7 | 7 | 7"},
		{"q21-empty-value", call(scalar.FuncRegexpExtract, vc, url("a=1&channel_id="), str(channel), i64(2)), " |  |  |  | "},
		{"q21-no-match", call(scalar.FuncRegexpExtract, vc, url("query=1&xchannel_id=3"), str(channel), i64(2)), "NULL | NULL | NULL | NULL | NULL"},
		{"whole-match", call(scalar.FuncRegexpExtract, vc, tS, str("l+o?")), "llo | llo | NULL | NULL | NULL"},
		{"group-not-taken", call(scalar.FuncRegexpExtract, vc, tS, str("h(x)?"), i64(1)), "NULL | NULL | NULL | NULL | NULL"},
		{"computed-pattern", call(scalar.FuncRegexpExtract, vc, str("hello"), tS, i64(0)), "hello | NULL | NULL |  | NULL"},
		{"computed-bad-pattern", call(scalar.FuncRegexpExtract, vc, str("x"), call(scalar.FuncConcat, vc, str("("), tS), i64(0)), "NULL | NULL | NULL | NULL | NULL"},
		{"computed-group-out-of-range", call(scalar.FuncRegexpExtract, vc, str("hello"), str("(l)"), tI4), "NULL | NULL | NULL | l | NULL"},
		{"bad-constant", call(scalar.FuncRegexpExtract, vc, tS, str("a(")), "error: pattern"},
		{"column-literal-lead", call(scalar.FuncRegexpExtract, vc, tS, str("(^|h)(é|e)ll"), i64(2)), "e | é | NULL | NULL | NULL"},
		{"column-literal-miss", call(scalar.FuncRegexpExtract, vc, tS, str(channel), i64(2)), "NULL | NULL | NULL | NULL | NULL"},
		{"column-group-out-of-range", call(scalar.FuncRegexpExtract, vc, tS, str("(l)"), i64(2)), "NULL | NULL | NULL | NULL | NULL"},
		{"column-null-group", call(scalar.FuncRegexpExtract, vc, tS, str("(l)"), null(bigT)), "NULL | NULL | NULL | NULL | NULL"},
		{"column-no-literal", call(scalar.FuncRegexpExtract, vc, tS, str("[a-z]+ (w)"), i64(1)), "NULL | w | NULL | NULL | NULL"},
	})
}
