package shell

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/sqlstream/sqlstream/sinks/render"
)

// \d reads information_schema, which DuckDB, PostgreSQL and the pgwire
// endpoint (serving DuckDB) all answer, so one query serves both backends.
const relationsQuery = `SELECT table_schema, table_name, table_type
FROM information_schema.tables
WHERE table_schema NOT IN ('information_schema', 'pg_catalog')
ORDER BY table_schema, table_name`

// relation kinds, in the order \d lists them.
var kindOrder = []string{"view", "table", "errors", "late rows", "internal"}

// kindOfRelation names what a relation of a sqlstream store is: a
// materialized view is a DuckDB table, errors_<source> holds its bad
// records, late_<source> its late rows, _sqlstream_* the checkpoint.
func kindOfRelation(name, tableType string) string {
	switch {
	case strings.HasPrefix(name, "_sqlstream_"), strings.HasPrefix(name, "sqlstream_"):
		return "internal"
	case strings.HasPrefix(name, "errors_"):
		return "errors"
	case strings.HasPrefix(name, "late_"):
		return "late rows"
	case strings.Contains(strings.ToUpper(tableType), "VIEW"):
		return "view"
	}
	return "table"
}

// listRelations prints \d: schema, name and kind of every relation.
func (s *session) listRelations(ctx context.Context) error {
	res, err := s.be.Query(ctx, relationsQuery)
	if err != nil {
		return err
	}
	if res.Table == nil || len(res.Table.Columns) != 3 {
		return fmt.Errorf(`\d: unexpected answer to the information_schema query`)
	}
	rows := make([][]string, 0, len(res.Table.Text))
	for _, r := range res.Table.Text {
		rows = append(rows, []string{r[0], r[1], kindOfRelation(r[1], r[2])})
	}
	slices.SortStableFunc(rows, func(a, b []string) int {
		return slices.Index(kindOrder, a[2]) - slices.Index(kindOrder, b[2])
	})
	if len(rows) == 0 {
		fmt.Fprintln(s.out, "Did not find any relations.")
		return nil
	}
	return s.printTable(stringTable([]string{"schema", "name", "kind"}, rows))
}

// describeRelation prints \d NAME: the columns of NAME with their types.
// An unquoted name matches case-insensitively, "Quoted" exactly;
// schema.name narrows to one schema.
func (s *session) describeRelation(ctx context.Context, name string) error {
	schema, rel := splitQualified(name)
	where := matchName("table_name", rel)
	if schema != "" {
		where += " AND " + matchName("table_schema", schema)
	}
	q := `SELECT table_schema, table_name, column_name, data_type, is_nullable
FROM information_schema.columns WHERE ` + where + `
ORDER BY table_schema, table_name, ordinal_position`
	res, err := s.be.Query(ctx, q)
	if err != nil {
		return err
	}
	if res.Table == nil || len(res.Table.Text) == 0 {
		return fmt.Errorf("did not find any relation named %q", name)
	}
	rows := res.Table.Text
	first := rows[0][0] + "." + rows[0][1]
	var cols [][]string
	for _, r := range rows {
		if r[0]+"."+r[1] == first { // the first match only
			cols = append(cols, []string{r[2], r[3], nullable(r[4])})
		}
	}
	if s.format == render.FormatTable {
		fmt.Fprintf(s.out, "Relation %s\n", first)
	}
	return s.printTable(stringTable([]string{"column", "type", "nullable"}, cols))
}

func nullable(isNullable string) string {
	if strings.EqualFold(isNullable, "NO") {
		return "not null"
	}
	return ""
}

// splitQualified splits schema.name at a dot outside double quotes.
func splitQualified(name string) (schema, rel string) {
	quoted := false
	for i, c := range name {
		switch {
		case c == '"':
			quoted = !quoted
		case c == '.' && !quoted:
			return name[:i], name[i+1:]
		}
	}
	return "", name
}

// matchName is a condition that col equals ident: exactly when ident is
// "quoted", case-insensitively otherwise.
func matchName(col, ident string) string {
	if len(ident) >= 2 && ident[0] == '"' && ident[len(ident)-1] == '"' {
		return col + " = " + quoteLiteral(strings.ReplaceAll(ident[1:len(ident)-1], `""`, `"`))
	}
	return "lower(" + col + ") = lower(" + quoteLiteral(ident) + ")"
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// stringTable is a table of VARCHAR cells, none NULL.
func stringTable(columns []string, rows [][]string) *render.Table {
	t := &render.Table{Columns: columns, Right: make([]bool, len(columns)), Text: rows}
	for _, r := range rows {
		js := make([]string, len(r))
		for i, v := range r {
			js[i] = string(render.AppendJSONString(nil, v))
		}
		t.JSON = append(t.JSON, js)
	}
	return t
}
