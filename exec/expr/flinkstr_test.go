package expr

import (
	"testing"

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
	})
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
	})
}
