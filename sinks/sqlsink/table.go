package sqlsink

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
)

// TableColumn is a column of an existing table as a database's catalog
// (information_schema) describes it; MatchColumns checks a sink's columns
// against them.
type TableColumn interface {
	// ColumnName is the table's own spelling of the column's name.
	ColumnName() string
	// Holds reports whether the column stores every value of t exactly.
	Holds(t catalog.Type) bool
	// TypeText is the column's type as messages show it.
	TypeText() string
}

// MatchColumns finds every column of schema in the table's columns have
// (an exact name match first, else a case-insensitive one) and checks its
// type; want(i) is the column type sink column i would be created with,
// for messages. It returns the table's spelling of each sink column, or
// an error listing every missing or unfit column.
func MatchColumns[C TableColumn](table string, have []C, schema catalog.Schema, want func(i int) string) ([]string, error) {
	names := make([]string, len(schema.Columns))
	var errs []string
	for i, c := range schema.Columns {
		found := -1
		for j := range have {
			if have[j].ColumnName() == c.Name {
				found = j
				break
			}
		}
		if found < 0 {
			for j := range have {
				if strings.EqualFold(have[j].ColumnName(), c.Name) {
					found = j
					break
				}
			}
		}
		switch {
		case found < 0:
			errs = append(errs, fmt.Sprintf("column %s (%s) is missing", c.Name, want(i)))
		case !have[found].Holds(c.Type):
			errs = append(errs, fmt.Sprintf("column %s is %s, which cannot hold %s exactly (want %s)",
				have[found].ColumnName(), have[found].TypeText(), c.Type, want(i)))
		default:
			names[i] = have[found].ColumnName()
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("table %s does not match the sink's columns: %s", table, strings.Join(errs, "; "))
	}
	return names, nil
}

// MatchKey checks that one of the table's unique indexes, keys (each a
// sorted column set), is exactly the sink's key: the table's column names
// names at the positions key. fold lower-cases the key's names first (for
// a database that lists index columns lower-cased).
func MatchKey(sink, table string, names []string, key []int, keys [][]string, fold bool) error {
	want := make([]string, len(key))
	for j, k := range key {
		want[j] = names[k]
		if fold {
			want[j] = strings.ToLower(want[j])
		}
	}
	sort.Strings(want)
	for _, k := range keys {
		if strings.Join(k, "\x00") == strings.Join(want, "\x00") {
			return nil
		}
	}
	return fmt.Errorf("table %s has no primary key or unique index on exactly (%s), the key of sink %s's rows, so it cannot be upserted", table, strings.Join(want, ", "), sink)
}

// CreateTableSQL is the CREATE TABLE IF NOT EXISTS of a sink's table
// (name already quoted) with the sink's columns, NOT NULL key columns and
// a primary key on key. quote quotes an identifier; colType(i, isKey) is
// column i's type (already checked to exist); suffix follows the closing
// parenthesis (table options).
func CreateTableSQL(name string, schema catalog.Schema, key []int, quote func(string) string, colType func(i int, isKey bool) string, suffix string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE IF NOT EXISTS %s (", name)
	isKey := map[int]bool{}
	for _, k := range key {
		isKey[k] = true
	}
	for i, c := range schema.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s", quote(c.Name), colType(i, isKey[i]))
		if isKey[i] {
			b.WriteString(" NOT NULL")
		}
	}
	if len(key) > 0 {
		b.WriteString(", PRIMARY KEY (")
		for j, k := range key {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(quote(schema.Columns[k].Name))
		}
		b.WriteString(")")
	}
	b.WriteString(")")
	b.WriteString(suffix)
	return b.String()
}

// QuoteAll quotes each of names with quote.
func QuoteAll(names []string, quote func(string) string) []string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return q
}

// MarkerSQL is the SQL of the epoch marker table (columns sink and epoch)
// named epochs (quoted): lock reads a sink's marker FOR UPDATE, delivered
// reads it, mark sets it. p1 and p2 are the database's first and second
// statement parameters; upsert is its clause that makes mark's INSERT
// update an existing row's epoch.
func MarkerSQL(epochs, p1, p2, upsert string) (lock, delivered, mark string) {
	lock = fmt.Sprintf("SELECT epoch FROM %s WHERE sink = %s FOR UPDATE", epochs, p1)
	delivered = fmt.Sprintf("SELECT epoch FROM %s WHERE sink = %s", epochs, p1)
	mark = fmt.Sprintf("INSERT INTO %s (sink, epoch) VALUES (%s, %s) %s", epochs, p1, p2, upsert)
	return lock, delivered, mark
}
