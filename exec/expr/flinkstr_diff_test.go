package expr_test

import (
	"math/rand/v2"
	"testing"

	"github.com/pingcap/tidb/pkg/parser"
)

// re is REGEXP_EXTRACT(s, pattern, group) in DuckDB, whose regexp_extract
// answers an empty string where Flink's answers NULL (no match).
func re(s, pattern, group string) string {
	return "CASE WHEN regexp_matches(" + s + ", " + pattern + ") THEN regexp_extract(" + s + ", " + pattern + ", " + group + ") END"
}

// flinkStringCases are Flink's string functions (SPLIT_INDEX, COUNT_CHAR,
// REGEXP_EXTRACT) against DuckDB translations. SPLIT_INDEX is 0-based and
// NULL past the end, for a negative index and for an empty string (no
// parts); DuckDB's string_split keeps empty parts like Flink's.
var flinkStringCases = []diffCase{
	{"SPLIT_INDEX(s, 'a', n)", "CASE WHEN s = '' OR n < 0 THEN NULL ELSE string_split(s, 'a')[n + 1] END", 0},
	{"SPLIT_INDEX(s, 'ab', 1)", "CASE WHEN s = '' THEN NULL ELSE string_split(s, 'ab')[2] END", 0},
	{"SPLIT_INDEX(s, ' ', 0)", "CASE WHEN s = '' THEN NULL ELSE string_split(s, ' ')[1] END", 0},
	{"SPLIT_INDEX(s, s2, 1)", "CASE WHEN s = '' OR s2 = '' THEN NULL ELSE string_split(s, s2)[2] END", 0},
	{"COUNT_CHAR(s, 'a')", "length(s) - length(replace(s, 'a', ''))", 0},
	{"COUNT_CHAR(s, '🙂')", "length(s) - length(replace(s, '🙂', ''))", 0},
	{"COUNT_CHAR(s, s2)", nn("CASE WHEN s2 = '' THEN 0 ELSE length(s) - length(replace(s, left(s2, 1), '')) END", "s", "s2"), 0},
	{"REGEXP_EXTRACT(s, '[abc]+')", re("s", "'[abc]+'", "0"), 0},
	{"REGEXP_EXTRACT(s, '(a|b)(c|x|é)', 2)", re("s", "'(a|b)(c|x|é)'", "2"), 0},
	{"REGEXP_EXTRACT(s, '(^|b)a([^b]*)', 2)", re("s", "'(^|b)a([^b]*)'", "2"), 0},
	{"REGEXP_EXTRACT(s, s2, 0)", re("s", "s2", "0"), 0},
	// Literal shortcuts (flinkstr_regexp.go): a literal at a bounded
	// distance, one after an unbounded part, none (case-folded).
	{"REGEXP_EXTRACT(s, '(x|^)ab([^b]*)', 2)", re("s", "'(x|^)ab([^b]*)'", "2"), 0},
	{"REGEXP_EXTRACT(s, '[a-c]{1,2}日本(.*)', 1)", re("s", "'[a-c]{1,2}日本(.*)'", "1"), 0},
	{"REGEXP_EXTRACT(s, '[^ ]*ab', 0)", re("s", "'[^ ]*ab'", "0"), 0},
	{"REGEXP_EXTRACT(s, '(?i)AB(c?)', 1)", re("s", "'(?i)AB(c?)'", "1"), 0},
}

func TestDiffFlinkStringsVsDuckDB(t *testing.T) {
	rec := genBatch(t, rand.New(rand.NewPCG(20240507, 1)), diffRows)
	defer rec.Release()
	conn := loadDuck(t, rec)
	p := parser.New()
	for _, c := range flinkStringCases {
		t.Run(c.mysql, func(t *testing.T) { runDiffCase(t, p, conn, rec, c) })
	}
}
