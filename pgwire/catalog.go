package pgwire

import (
	"regexp"
	"strings"
)

// catalogRewrite is one textual rewrite of the catalog queries psql (and
// similar tools) send, for constructs DuckDB's pg_catalog emulation
// cannot run as sent.
type catalogRewrite struct {
	re   *regexp.Regexp
	with string
}

var catalogRewrites = []catalogRewrite{
	// WHERE c.relname OPERATOR(pg_catalog.~) '^(v)$': the operator syntax.
	{regexp.MustCompile(`OPERATOR\(pg_catalog\.([~!<>=*]+)\)`), "$1"},
	// ... COLLATE pg_catalog.default: DuckDB has no such collation.
	{regexp.MustCompile(`\s+COLLATE\s+pg_catalog\.default`), ""},
	// DuckDB has no reg* types: x::regtype is the type's name.
	{regexp.MustCompile(`([\w.]+)::pg_catalog\.regtype`), "pg_catalog.format_type($1, NULL)"},
	// Casts to pg_catalog types: DuckDB's parser takes no schema there.
	{regexp.MustCompile(`::pg_catalog\.(\w+)`), "::$1"},
	// Columns DuckDB's pg_class lacks.
	{regexp.MustCompile(`\bc\.relforcerowsecurity\b`), "false"},
	// pg_get_expr(expr, rel, pretty): DuckDB's macro takes no pretty flag.
	{regexp.MustCompile(`pg_catalog\.pg_get_expr\(([\w.]+),\s*([\w.]+),\s*true\)`), "pg_catalog.pg_get_expr($1, $2)"},
	// Sizes (\dt+) are not known; encodings (\l) are all UTF8.
	{regexp.MustCompile(`pg_catalog\.pg_(?:table|relation|total_relation|database)_size\([\w.]+\)`), "NULL::BIGINT"},
	{regexp.MustCompile(`pg_catalog\.pg_encoding_to_char\([\w.]+\)`), "'UTF8'"},
	// \d+ lists storage options; DuckDB tables have none.
	{regexp.MustCompile(`pg_catalog\.array_to_string\(c\.reloptions \|\| array\(select 'toast\.' \|\| x from pg_catalog\.unnest\(tc\.reloptions\) x\), ', '\)`), "''"},
	// Owners: the store has one, the endpoint's user.
	{regexp.MustCompile(`pg_catalog\.pg_get_userbyid\(\s*[\w.]+\s*\)`), "current_user"},
}

// rewriteCatalog applies the catalog rewrites to a statement that reads
// pg_catalog; others are returned as they are.
func rewriteCatalog(sql string) string {
	if !strings.Contains(sql, "pg_catalog") {
		return sql
	}
	for _, r := range catalogRewrites {
		sql = r.re.ReplaceAllString(sql, r.with)
	}
	return sql
}

// missingCatalogs are pg_catalog relations DuckDB does not emulate; the
// store has none of what they describe (policies, triggers, publications,
// inheritance, extended statistics, ...), so a query reading one answers
// with no rows.
var missingCatalogs = regexp.MustCompile(`pg_catalog\.(pg_policy|pg_statistic_ext\w*|pg_publication\w*|pg_inherits|pg_trigger|pg_partitioned_table|pg_rewrite|pg_foreign_\w+|pg_event_trigger|pg_extension|pg_roles|pg_auth_members|pg_subscription\w*|pg_rules|pg_matviews)\b`)

// answersEmpty reports whether a SELECT reads a catalog DuckDB lacks.
func answersEmpty(kw []string, sql string) bool {
	return len(kw) > 0 && kw[0] == "SELECT" && missingCatalogs.MatchString(sql)
}
