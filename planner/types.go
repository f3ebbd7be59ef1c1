package planner

import (
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
)

// typeNames maps every accepted type spelling to its type family.
var typeNames = map[string]catalog.TypeID{
	"BOOLEAN": catalog.Boolean, "BOOL": catalog.Boolean,
	"INT": catalog.Int, "INTEGER": catalog.Int, "SMALLINT": catalog.Int, "TINYINT": catalog.Int,
	"BIGINT": catalog.BigInt,
	"DOUBLE": catalog.Double, "FLOAT": catalog.Double, "REAL": catalog.Double,
	"DECIMAL": catalog.Decimal, "NUMERIC": catalog.Decimal,
	"VARCHAR": catalog.Varchar, "CHAR": catalog.Varchar, "STRING": catalog.Varchar, "TEXT": catalog.Varchar,
	"DATE":      catalog.Date,
	"TIMESTAMP": catalog.Timestamp, "DATETIME": catalog.Timestamp,
}

// columnType resolves a column type as written.
func (p *planner) columnType(ts parser.TypeSpec) (catalog.Type, error) {
	id, ok := typeNames[ts.Name]
	if !ok {
		names := make([]string, 0, len(typeNames))
		for n := range typeNames {
			names = append(names, n)
		}
		return catalog.Type{}, p.errorf(ts.Pos, "unknown type %s%s", ts.Name, didYouMean(ts.Name, names))
	}
	switch id {
	case catalog.Decimal:
		return p.decimalType(ts)
	case catalog.Varchar:
		if len(ts.Params) > 1 {
			return catalog.Type{}, p.errorf(ts.Pos, "%s takes at most one parameter (the length)", ts.Name)
		}
		t := catalog.VarcharType
		if len(ts.Params) == 1 {
			t.Length = int32(ts.Params[0])
		}
		return t, nil
	case catalog.Timestamp:
		if len(ts.Params) > 1 || len(ts.Params) == 1 && ts.Params[0] > 3 {
			return catalog.Type{}, p.errorf(ts.Pos, "%s: only millisecond precision is supported; use TIMESTAMP(3)", ts.Name)
		}
		return catalog.TimestampType, nil
	}
	if len(ts.Params) > 0 && id != catalog.Int && id != catalog.BigInt {
		return catalog.Type{}, p.errorf(ts.Pos, "type %s takes no parameters", ts.Name)
	}
	return catalog.Type{ID: id}, nil
}

// decimalType resolves DECIMAL, DECIMAL(p) and DECIMAL(p,s); the default
// is DECIMAL(10,0) as in MySQL.
func (p *planner) decimalType(ts parser.TypeSpec) (catalog.Type, error) {
	prec, scale := 10, 0
	switch len(ts.Params) {
	case 0:
	case 1:
		prec = ts.Params[0]
	case 2:
		prec, scale = ts.Params[0], ts.Params[1]
	default:
		return catalog.Type{}, p.errorf(ts.Pos, "%s takes at most two parameters (precision, scale)", ts.Name)
	}
	if prec < 1 || prec > catalog.MaxDecimalPrecision {
		return catalog.Type{}, p.errorf(ts.Pos, "%s precision %d out of range [1, %d]", ts.Name, prec, catalog.MaxDecimalPrecision)
	}
	if scale < 0 || scale > prec {
		return catalog.Type{}, p.errorf(ts.Pos, "%s scale %d out of range [0, precision %d]", ts.Name, scale, prec)
	}
	return catalog.DecimalType(int32(prec), int32(scale)), nil
}
