package scalar_test

import (
	"testing"

	"github.com/sqlstream/sqlstream/planner/scalar"
)

// TestBindFlinkStrings: Flink's string functions bind with their types,
// and constant patterns and groups are checked at the offending argument.
func TestBindFlinkStrings(t *testing.T) {
	for _, c := range []struct{ expr, want string }{
		{"SPLIT_INDEX(s, '/', 3)", "SPLIT_INDEX(s, '/', 3) : VARCHAR"},
		{"SPLIT_INDEX(s, '/', i)", "SPLIT_INDEX(s, '/', CAST(i AS BIGINT)) : VARCHAR"},
		{"split_index(bi, 0, 1)", "SPLIT_INDEX(CAST(bi AS VARCHAR), CAST(0 AS VARCHAR), 1) : VARCHAR"},
		{"SPLIT_INDEX(s, '/', '1')", "error: SPLIT_INDEX argument 3 must be a number, got VARCHAR"},
		{"SPLIT_INDEX(s, '/')", "error: SPLIT_INDEX expects 3 arguments, got 2"},
		{"COUNT_CHAR(s, 'c')", "COUNT_CHAR(s, 'c') : BIGINT"},
		{"REGEXP_EXTRACT(s, '(&|^)channel_id=([^&]*)', 2)", "REGEXP_EXTRACT(s, '(&|^)channel_id=([^&]*)', 2) : VARCHAR"},
		{"REGEXP_EXTRACT(s, 'a+')", "REGEXP_EXTRACT(s, 'a+') : VARCHAR"},
		{"REGEXP_EXTRACT(s, s, bi)", "REGEXP_EXTRACT(s, s, bi) : VARCHAR"},
		{"REGEXP_EXTRACT(s, 'a(b', 1)", "error: REGEXP_EXTRACT pattern \"a(b\": error parsing regexp: missing closing ): `a(b`"},
		{"REGEXP_EXTRACT(s, 'a(b)', 2)", "error: REGEXP_EXTRACT group 2: the pattern \"a(b)\" has groups 0 to 1"},
		{"REGEXP_EXTRACT(s, 'a(b)', -1)", "error: REGEXP_EXTRACT group -1: the pattern \"a(b)\" has groups 0 to 1"},
		{"REGEXP_EXTRACT(s, 'a', dt)", "error: REGEXP_EXTRACT argument 3 must be a number, got DATE"},
	} {
		e, err := scalar.Bind(testScope{}, parseExpr(t, c.expr))
		got := ""
		if err != nil {
			got = "error: " + err.Error()
		} else {
			got = e.String() + " : " + e.Type().String()
		}
		if got != c.want {
			t.Errorf("%s\n got: %s\nwant: %s", c.expr, got, c.want)
		}
	}
}
