package catalog

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// TypeID is the logical SQL type of a value.
type TypeID uint8

// The SQL types of the dialect. Null is the type of an untyped NULL literal
// before it is coerced; it never reaches a materialized column.
const (
	Null TypeID = iota
	Boolean
	Int    // 32-bit signed
	BigInt // 64-bit signed
	Double
	Decimal // exact, Precision digits of which Scale after the point
	Varchar
	Date      // days since the epoch
	Timestamp // milliseconds since the epoch, no time zone (TIMESTAMP(3))
	Interval  // a duration literal: months plus milliseconds
)

var typeNames = [...]string{
	Null: "NULL", Boolean: "BOOLEAN", Int: "INT", BigInt: "BIGINT", Double: "DOUBLE",
	Decimal: "DECIMAL", Varchar: "VARCHAR", Date: "DATE", Timestamp: "TIMESTAMP", Interval: "INTERVAL",
}

func (id TypeID) String() string {
	if int(id) < len(typeNames) {
		return typeNames[id]
	}
	return fmt.Sprintf("TypeID(%d)", id)
}

// MaxDecimalPrecision is the widest DECIMAL: values are 128-bit integers.
const MaxDecimalPrecision = 38

// Type is a SQL type with its parameters. The zero Type is Null.
type Type struct {
	ID TypeID
	// Precision and Scale apply to Decimal.
	Precision, Scale int32
	// Length is the declared VARCHAR(n) length, 0 when unbounded (TEXT).
	// It is informational: values are not truncated.
	Length int32
}

// Convenience constructors for the fixed types.
var (
	NullType      = Type{ID: Null}
	BooleanType   = Type{ID: Boolean}
	IntType       = Type{ID: Int}
	BigIntType    = Type{ID: BigInt}
	DoubleType    = Type{ID: Double}
	VarcharType   = Type{ID: Varchar}
	DateType      = Type{ID: Date}
	TimestampType = Type{ID: Timestamp}
	IntervalType  = Type{ID: Interval}
)

// DecimalType returns DECIMAL(p, s).
func DecimalType(p, s int32) Type { return Type{ID: Decimal, Precision: p, Scale: s} }

// String renders the type as it is written in SQL: DECIMAL(10,2), TIMESTAMP(3).
func (t Type) String() string {
	switch t.ID {
	case Decimal:
		return fmt.Sprintf("DECIMAL(%d,%d)", t.Precision, t.Scale)
	case Varchar:
		if t.Length > 0 {
			return fmt.Sprintf("VARCHAR(%d)", t.Length)
		}
		return "VARCHAR"
	case Timestamp:
		return "TIMESTAMP(3)"
	}
	return t.ID.String()
}

// IsNumeric reports whether arithmetic applies to the type.
func (t Type) IsNumeric() bool {
	return t.ID == Int || t.ID == BigInt || t.ID == Double || t.ID == Decimal
}

// IsInteger reports INT or BIGINT.
func (t Type) IsInteger() bool { return t.ID == Int || t.ID == BigInt }

// IsTemporal reports DATE or TIMESTAMP.
func (t Type) IsTemporal() bool { return t.ID == Date || t.ID == Timestamp }

// Equal reports whether two types have the same physical representation and
// parameters (VARCHAR lengths are ignored).
func (t Type) Equal(o Type) bool {
	if t.ID != o.ID {
		return false
	}
	if t.ID == Decimal {
		return t.Precision == o.Precision && t.Scale == o.Scale
	}
	return true
}

// Arrow returns the Arrow data type that holds values of t.
//
//	BOOLEAN→bool  INT→int32  BIGINT→int64  DOUBLE→float64
//	DECIMAL(p,s)→decimal128(p,s)  VARCHAR→utf8  DATE→date32
//	TIMESTAMP(3)→timestamp[ms] (no zone)  INTERVAL→month_day_nano_interval
//	NULL→null
func (t Type) Arrow() arrow.DataType {
	switch t.ID {
	case Boolean:
		return arrow.FixedWidthTypes.Boolean
	case Int:
		return arrow.PrimitiveTypes.Int32
	case BigInt:
		return arrow.PrimitiveTypes.Int64
	case Double:
		return arrow.PrimitiveTypes.Float64
	case Decimal:
		return &arrow.Decimal128Type{Precision: t.Precision, Scale: t.Scale}
	case Varchar:
		return arrow.BinaryTypes.String
	case Date:
		return arrow.FixedWidthTypes.Date32
	case Timestamp:
		return &arrow.TimestampType{Unit: arrow.Millisecond}
	case Interval:
		return arrow.FixedWidthTypes.MonthDayNanoInterval
	}
	return arrow.Null
}

// FromArrow maps an Arrow type back to the SQL type that produces it.
func FromArrow(dt arrow.DataType) (Type, error) {
	switch dt := dt.(type) {
	case *arrow.BooleanType:
		return BooleanType, nil
	case *arrow.Int32Type:
		return IntType, nil
	case *arrow.Int64Type:
		return BigIntType, nil
	case *arrow.Float64Type:
		return DoubleType, nil
	case *arrow.Decimal128Type:
		return DecimalType(dt.Precision, dt.Scale), nil
	case *arrow.StringType:
		return VarcharType, nil
	case *arrow.Date32Type:
		return DateType, nil
	case *arrow.TimestampType:
		return TimestampType, nil
	case *arrow.MonthDayNanoIntervalType:
		return IntervalType, nil
	case *arrow.NullType:
		return NullType, nil
	}
	return Type{}, fmt.Errorf("no SQL type for Arrow type %s", dt)
}
