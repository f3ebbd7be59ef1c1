package catalog

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Column is a named, typed column. Names keep the user's spelling; lookups
// are case-insensitive, as in MySQL.
type Column struct {
	Name    string
	Type    Type
	NotNull bool
}

// Schema is an ordered list of columns.
type Schema struct {
	Columns []Column
}

// Len is the number of columns.
func (s Schema) Len() int { return len(s.Columns) }

// Index returns the position of the named column (case-insensitive) or -1.
func (s Schema) Index(name string) int {
	for i, c := range s.Columns {
		if strings.EqualFold(c.Name, name) {
			return i
		}
	}
	return -1
}

// Names returns the column names in order.
func (s Schema) Names() []string {
	out := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		out[i] = c.Name
	}
	return out
}

// Arrow returns the Arrow schema with one field per column. The ops column of
// a changelog batch is not part of it (see exec.Batch).
func (s Schema) Arrow() *arrow.Schema {
	fields := make([]arrow.Field, len(s.Columns))
	for i, c := range s.Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.Arrow(), Nullable: !c.NotNull}
	}
	return arrow.NewSchema(fields, nil)
}

// String renders "(name:type, ...)" as EXPLAIN and goldens print it.
func (s Schema) String() string {
	var b strings.Builder
	b.WriteByte('(')
	for i, c := range s.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.Name)
		b.WriteByte(':')
		b.WriteString(strings.ToLower(c.Type.String()))
		if c.NotNull {
			b.WriteString(" not null")
		}
	}
	b.WriteByte(')')
	return b.String()
}
