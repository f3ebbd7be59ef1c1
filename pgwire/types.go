package pgwire

import (
	"fmt"
	"math/big"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/jackc/pgx/v5/pgtype"
	wire "github.com/jeroenrinzema/psql-wire"
)

// PostgreSQL type OIDs and widths of the types results are sent as.
const (
	oidBool        = pgtype.BoolOID
	oidBytea       = pgtype.ByteaOID
	oidInt8        = pgtype.Int8OID
	oidInt2        = pgtype.Int2OID
	oidInt4        = pgtype.Int4OID
	oidText        = pgtype.TextOID
	oidFloat4      = pgtype.Float4OID
	oidFloat8      = pgtype.Float8OID
	oidDate        = pgtype.DateOID
	oidTime        = pgtype.TimeOID
	oidTimestamp   = pgtype.TimestampOID
	oidTimestamptz = pgtype.TimestamptzOID
	oidInterval    = pgtype.IntervalOID
	oidNumeric     = pgtype.NumericOID
)

// oidOf is the PostgreSQL type a column of Arrow type dt is sent as;
// types without a counterpart are sent as text.
func oidOf(dt arrow.DataType) uint32 {
	switch dt.ID() {
	case arrow.BOOL:
		return oidBool
	case arrow.INT8, arrow.UINT8, arrow.INT16:
		return oidInt2
	case arrow.UINT16, arrow.INT32:
		return oidInt4
	case arrow.UINT32, arrow.INT64:
		return oidInt8
	case arrow.UINT64, arrow.DECIMAL128, arrow.DECIMAL256:
		return oidNumeric
	case arrow.FLOAT16, arrow.FLOAT32:
		return oidFloat4
	case arrow.FLOAT64:
		return oidFloat8
	case arrow.BINARY, arrow.LARGE_BINARY, arrow.BINARY_VIEW, arrow.FIXED_SIZE_BINARY:
		return oidBytea
	case arrow.DATE32, arrow.DATE64:
		return oidDate
	case arrow.TIME32, arrow.TIME64:
		return oidTime
	case arrow.TIMESTAMP:
		if dt.(*arrow.TimestampType).TimeZone != "" {
			return oidTimestamptz
		}
		return oidTimestamp
	case arrow.INTERVAL_MONTH_DAY_NANO, arrow.INTERVAL_DAY_TIME, arrow.INTERVAL_MONTHS, arrow.DURATION:
		return oidInterval
	}
	return oidText
}

// widthOf is the RowDescription width of a type (-1: variable).
func widthOf(oid uint32) int16 {
	switch oid {
	case oidBool:
		return 1
	case oidInt2:
		return 2
	case oidInt4, oidFloat4, oidDate:
		return 4
	case oidInt8, oidFloat8, oidTime, oidTimestamp, oidTimestamptz:
		return 8
	case oidInterval:
		return 16
	}
	return -1
}

// columnsOf describes the columns of schema.
func columnsOf(schema *arrow.Schema) wire.Columns {
	cols := make(wire.Columns, schema.NumFields())
	for i, f := range schema.Fields() {
		oid := oidOf(f.Type)
		cols[i] = wire.Column{Name: f.Name, Oid: oid, Width: widthOf(oid), AttrNo: int16(i + 1)}
	}
	return cols
}

// getter reads row i of a column as a Go value the pgx type map encodes
// for the column's OID in text and binary format; NULL is nil.
type getter func(i int) any

// getterFor returns the getter of arr for a column sent as oid. When the
// Arrow type is not the one oid stands for, the value is sent as text.
func getterFor(arr arrow.Array, oid uint32) (getter, error) {
	g := typedGetter(arr)
	if oidOf(arr.DataType()) != oid || g == nil {
		if oid != oidText {
			return nil, fmt.Errorf("result column of type %s cannot be sent as OID %d", arr.DataType(), oid)
		}
		g = func(i int) any { return arr.ValueStr(i) }
	}
	return func(i int) any {
		if arr.IsNull(i) {
			return nil
		}
		return g(i)
	}, nil
}

// typedGetter returns the getter for arr's own type (see oidOf), or nil.
func typedGetter(arr arrow.Array) getter {
	switch a := arr.(type) {
	case *array.Boolean:
		return func(i int) any { return a.Value(i) }
	case *array.Int8:
		return func(i int) any { return int16(a.Value(i)) }
	case *array.Uint8:
		return func(i int) any { return int16(a.Value(i)) }
	case *array.Int16:
		return func(i int) any { return a.Value(i) }
	case *array.Uint16:
		return func(i int) any { return int32(a.Value(i)) }
	case *array.Int32:
		return func(i int) any { return a.Value(i) }
	case *array.Uint32:
		return func(i int) any { return int64(a.Value(i)) }
	case *array.Int64:
		return func(i int) any { return a.Value(i) }
	case *array.Uint64:
		return func(i int) any {
			return pgtype.Numeric{Int: new(big.Int).SetUint64(a.Value(i)), Valid: true}
		}
	case *array.Float32:
		return func(i int) any { return a.Value(i) }
	case *array.Float64:
		return func(i int) any { return a.Value(i) }
	case *array.Decimal128:
		scale := a.DataType().(*arrow.Decimal128Type).Scale
		return func(i int) any {
			return pgtype.Numeric{Int: a.Value(i).BigInt(), Exp: -scale, Valid: true}
		}
	case *array.Decimal256:
		scale := a.DataType().(*arrow.Decimal256Type).Scale
		return func(i int) any {
			return pgtype.Numeric{Int: a.Value(i).BigInt(), Exp: -scale, Valid: true}
		}
	case *array.String:
		return func(i int) any { return a.Value(i) }
	case *array.LargeString:
		return func(i int) any { return a.Value(i) }
	case *array.StringView:
		return func(i int) any { return a.Value(i) }
	}
	return binaryGetter(arr)
}

// binaryGetter covers bytea and the date/time types.
func binaryGetter(arr arrow.Array) getter {
	switch a := arr.(type) {
	case *array.Binary:
		return func(i int) any { return a.Value(i) }
	case *array.LargeBinary:
		return func(i int) any { return a.Value(i) }
	case *array.BinaryView:
		return func(i int) any { return a.Value(i) }
	case *array.FixedSizeBinary:
		return func(i int) any { return a.Value(i) }
	case *array.Date32:
		return func(i int) any { return pgtype.Date{Time: a.Value(i).ToTime(), Valid: true} }
	case *array.Date64:
		return func(i int) any { return pgtype.Date{Time: a.Value(i).ToTime(), Valid: true} }
	case *array.Time32:
		unit := a.DataType().(*arrow.Time32Type).Unit
		return func(i int) any {
			return pgtype.Time{Microseconds: int64(a.Value(i)) * int64(unit.Multiplier()) / 1000, Valid: true}
		}
	case *array.Time64:
		unit := a.DataType().(*arrow.Time64Type).Unit
		return func(i int) any {
			return pgtype.Time{Microseconds: int64(a.Value(i)) * int64(unit.Multiplier()) / 1000, Valid: true}
		}
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return func(i int) any { return a.Value(i).ToTime(unit).UTC() }
	}
	return intervalGetter(arr)
}

// intervalGetter covers the Arrow interval and duration types.
func intervalGetter(arr arrow.Array) getter {
	switch a := arr.(type) {
	case *array.MonthDayNanoInterval:
		return func(i int) any {
			v := a.Value(i)
			return pgtype.Interval{Months: v.Months, Days: v.Days, Microseconds: v.Nanoseconds / 1000, Valid: true}
		}
	case *array.DayTimeInterval:
		return func(i int) any {
			v := a.Value(i)
			return pgtype.Interval{Days: v.Days, Microseconds: int64(v.Milliseconds) * 1000, Valid: true}
		}
	case *array.MonthInterval:
		return func(i int) any { return pgtype.Interval{Months: int32(a.Value(i)), Valid: true} }
	case *array.Duration:
		unit := a.DataType().(*arrow.DurationType).Unit
		return func(i int) any {
			d := time.Duration(a.Value(i)) * unit.Multiplier()
			return pgtype.Interval{Microseconds: d.Microseconds(), Valid: true}
		}
	}
	return nil
}

// rowsOf converts a record batch to rows of Go values for cols.
func rowsOf(rec arrow.RecordBatch, cols wire.Columns) ([][]any, error) {
	if int(rec.NumCols()) != len(cols) {
		return nil, fmt.Errorf("result has %d columns, %d were described", rec.NumCols(), len(cols))
	}
	gets := make([]getter, len(cols))
	for j := range cols {
		g, err := getterFor(rec.Column(j), cols[j].Oid)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", cols[j].Name, err)
		}
		gets[j] = g
	}
	n := int(rec.NumRows())
	rows := make([][]any, n)
	vals := make([]any, n*len(cols))
	for i := range n {
		row := vals[i*len(cols) : (i+1)*len(cols) : (i+1)*len(cols)]
		for j, g := range gets {
			row[j] = g(i)
		}
		rows[i] = row
	}
	return rows, nil
}
