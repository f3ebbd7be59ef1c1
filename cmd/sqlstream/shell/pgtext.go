package shell

import (
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sqlstream/sqlstream/sinks/render"
)

// valueKind says how a PostgreSQL column's text becomes JSON and whether
// it is right-aligned.
type valueKind uint8

const (
	kindString valueKind = iota
	kindNumber           // integers, numeric, floats: JSON numbers, NaN/Infinity null
	kindBool             // t/f or true/false
	kindJSON             // json, jsonb: embedded as is
)

func kindOf(oid uint32) valueKind {
	switch oid {
	case pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID, pgtype.OIDOID,
		pgtype.Float4OID, pgtype.Float8OID, pgtype.NumericOID:
		return kindNumber
	case pgtype.BoolOID:
		return kindBool
	case pgtype.JSONOID, pgtype.JSONBOID:
		return kindJSON
	}
	return kindString
}

// textTable builds a render.Table from rows in the text format, the
// server's own rendering of each value (what psql prints).
type textTable struct {
	kinds []valueKind
	table *render.Table
}

func newTextTable(fields []pgconn.FieldDescription) *textTable {
	t := &textTable{table: &render.Table{}}
	for _, f := range fields {
		k := kindOf(f.DataTypeOID)
		t.kinds = append(t.kinds, k)
		t.table.Columns = append(t.table.Columns, f.Name)
		t.table.Right = append(t.table.Right, k == kindNumber)
	}
	return t
}

// add appends one row of raw text values (nil is NULL); it copies them.
func (t *textTable) add(raw [][]byte) {
	text := make([]string, len(raw))
	js := make([]string, len(raw))
	for i, v := range raw {
		if v == nil {
			js[i] = "null"
			continue
		}
		text[i] = string(v)
		js[i] = jsonValue(t.kinds[i], text[i])
	}
	t.table.Text = append(t.table.Text, text)
	t.table.JSON = append(t.table.JSON, js)
}

func jsonValue(k valueKind, s string) string {
	switch k {
	case kindNumber:
		if isJSONNumber(s) {
			return s
		}
		return "null" // NaN, Infinity
	case kindBool:
		switch s {
		case "t", "true":
			return "true"
		case "f", "false":
			return "false"
		}
	case kindJSON:
		return s
	}
	return string(render.AppendJSONString(nil, s))
}

// isJSONNumber reports whether s is a number in JSON's grammar:
// -?int(.digits)?([eE][+-]?digits)?.
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	d := digits(s[i:])
	if d == 0 || d > 1 && s[i] == '0' {
		return false
	}
	i += d
	if i < len(s) && s[i] == '.' {
		d = digits(s[i+1:])
		if d == 0 {
			return false
		}
		i += 1 + d
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		d = digits(s[i:])
		if d == 0 {
			return false
		}
		i += d
	}
	return i == len(s)
}

func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}
