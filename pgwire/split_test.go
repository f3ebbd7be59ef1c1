package pgwire

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplitStatements(t *testing.T) {
	cases := map[string][]string{
		"SELECT 1; SELECT 2;":                           {"SELECT 1", "SELECT 2"},
		"SELECT ';' AS a; SELECT \"x;y\" FROM t":        {"SELECT ';' AS a", `SELECT "x;y" FROM t`},
		"SELECT 'it''s; ok'":                            {"SELECT 'it''s; ok'"},
		"SELECT E'a\\'; b'":                             {"SELECT E'a\\'; b'"},
		"SELECT $$a;b$$, $tag$c;$tag$; SELECT $1":       {"SELECT $$a;b$$, $tag$c;$tag$", "SELECT $1"},
		"-- only a comment; still\n; /* c; /* n; */ */": nil,
		"SELECT 1 -- trailing; comment\n; SELECT 2":     {"SELECT 1 -- trailing; comment", "SELECT 2"},
		"  ;  ; ":    nil,
		"(SELECT 1)": {"(SELECT 1)"},
	}
	for in, want := range cases {
		if got := splitStatements(in); !reflect.DeepEqual(got, want) {
			t.Errorf("splitStatements(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKeywords(t *testing.T) {
	if got := keywords("/* x */ create  or replace\tview v", 5); strings.Join(got, " ") != "CREATE OR REPLACE VIEW V" {
		t.Errorf("keywords = %q", got)
	}
	if got := afterKeywords("EXPLAIN ANALYZE -- c\n SELECT 1", 2); got != "SELECT 1" {
		t.Errorf("afterKeywords = %q", got)
	}
	if got := statementName(keywords("drop table t", 4)); got != "DROP TABLE" {
		t.Errorf("statementName = %q", got)
	}
}

// TestRewriteCatalog covers the rewrites of psql 15's \d queries.
func TestRewriteCatalog(t *testing.T) {
	cases := map[string]string{
		`WHERE c.relname OPERATOR(pg_catalog.~) '^(v)$' COLLATE pg_catalog.default AND x`:    `WHERE c.relname ~ '^(v)$' AND x`,
		`pg_catalog.pg_get_userbyid(c.relowner) as "Owner" FROM pg_catalog.pg_class c`:       `current_user as "Owner" FROM pg_catalog.pg_class c`,
		`ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END FROM pg_catalog.pg_class`: `ELSE pg_catalog.format_type(c.reloftype, NULL)::text END FROM pg_catalog.pg_class`,
		`pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)`:                                   `pg_catalog.pg_get_expr(d.adbin, d.adrelid)`,
		`SELECT c.relforcerowsecurity FROM pg_catalog.pg_class c`:                            `SELECT false FROM pg_catalog.pg_class c`,
		`SELECT relname FROM t`: `SELECT relname FROM t`,
	}
	for in, want := range cases {
		if got := rewriteCatalog(in); got != want {
			t.Errorf("rewriteCatalog(%q)\n got %q\nwant %q", in, got, want)
		}
	}
	if !answersEmpty([]string{"SELECT"}, "SELECT pol.polname FROM pg_catalog.pg_policy pol") {
		t.Errorf("pg_policy is not answered empty")
	}
	if answersEmpty([]string{"SELECT"}, "SELECT * FROM pg_catalog.pg_class") {
		t.Errorf("pg_class is answered empty")
	}
}
