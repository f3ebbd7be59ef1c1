package exectest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
)

// ParseSchema parses the columns of a `schema=(name:type, ...)` argument,
// one "name:type" per value. Types are SQL type names (bigint, int,
// double, boolean, varchar, date, timestamp, decimal(p,s)), optionally
// followed by "not null".
func ParseSchema(cols []string) (catalog.Schema, error) {
	var s catalog.Schema
	for _, c := range cols {
		name, typ, ok := strings.Cut(strings.TrimSpace(c), ":")
		if !ok || name == "" {
			return s, fmt.Errorf("schema column %q: want name:type", c)
		}
		col := catalog.Column{Name: strings.TrimSpace(name)}
		typ = strings.ToLower(strings.TrimSpace(typ))
		if t, found := strings.CutSuffix(typ, "not null"); found {
			col.NotNull = true
			typ = strings.TrimSpace(t)
		}
		t, err := ParseType(typ)
		if err != nil {
			return s, fmt.Errorf("schema column %s: %w", name, err)
		}
		col.Type = t
		s.Columns = append(s.Columns, col)
	}
	return s, nil
}

var typeNames = map[string]catalog.Type{
	"boolean": catalog.BooleanType, "bool": catalog.BooleanType,
	"int": catalog.IntType, "integer": catalog.IntType,
	"bigint": catalog.BigIntType, "double": catalog.DoubleType,
	"varchar": catalog.VarcharType, "text": catalog.VarcharType, "string": catalog.VarcharType,
	"date": catalog.DateType, "timestamp": catalog.TimestampType, "timestamp(3)": catalog.TimestampType,
}

// ParseType parses a lower-case SQL type name.
func ParseType(s string) (catalog.Type, error) {
	s = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "")
	if t, ok := typeNames[s]; ok {
		return t, nil
	}
	if args, ok := strings.CutPrefix(s, "decimal("); ok {
		ps, ss, ok := strings.Cut(strings.TrimSuffix(args, ")"), ",")
		p, err1 := strconv.Atoi(ps)
		sc, err2 := strconv.Atoi(ss)
		if ok && err1 == nil && err2 == nil && p > 0 && p <= catalog.MaxDecimalPrecision && sc >= 0 && sc <= p {
			return catalog.DecimalType(int32(p), int32(sc)), nil
		}
		return catalog.Type{}, fmt.Errorf("bad decimal type %q", s)
	}
	if strings.HasPrefix(s, "varchar(") {
		return catalog.VarcharType, nil
	}
	return catalog.Type{}, fmt.Errorf("unknown type %q", s)
}
