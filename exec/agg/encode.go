package agg

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/sqlstream/sqlstream/catalog"
)

// codec is the order-preserving byte encoding of the values of one SQL
// type: bytes.Compare on two encodings orders the values as SQL does
// (DOUBLE: -0 equals 0, NaN is above everything, as in DuckDB).
type codec struct {
	width int // bytes per value; 0 for VARCHAR (the raw bytes)
	// add appends the decoded value of key to b.
	add func(key []byte, b array.Builder)
}

func codecFor(t catalog.Type) (codec, error) {
	switch t.ID {
	case catalog.Boolean:
		return codec{1, addBool}, nil
	case catalog.Int:
		return codec{4, addInt32}, nil
	case catalog.Date:
		return codec{4, addDate}, nil
	case catalog.BigInt:
		return codec{8, addInt64}, nil
	case catalog.Timestamp:
		return codec{8, addTimestamp}, nil
	case catalog.Double:
		return codec{8, addFloat64}, nil
	case catalog.Decimal:
		return codec{16, addDecimal}, nil
	case catalog.Varchar:
		return codec{0, addString}, nil
	case catalog.Interval:
		return codec{16, addInterval}, nil
	}
	return codec{}, fmt.Errorf("no key encoding for %s", t)
}

const signBit = 1 << 63

func addBool(k []byte, b array.Builder) { b.(*array.BooleanBuilder).Append(k[0] == 1) }

func getInt32(k []byte) int32 { return int32(binary.BigEndian.Uint32(k) ^ (1 << 31)) }

func addInt32(k []byte, b array.Builder) { b.(*array.Int32Builder).Append(getInt32(k)) }

func addDate(k []byte, b array.Builder) { b.(*array.Date32Builder).Append(arrow.Date32(getInt32(k))) }

func getInt64(k []byte) int64 { return int64(binary.BigEndian.Uint64(k) ^ signBit) }

func addInt64(k []byte, b array.Builder) { b.(*array.Int64Builder).Append(getInt64(k)) }

func addTimestamp(k []byte, b array.Builder) {
	b.(*array.TimestampBuilder).Append(arrow.Timestamp(getInt64(k)))
}

// orderedFloat maps a float64 to a uint64 with the same order; -0 maps as
// 0 and every NaN to one value above +Inf.
func orderedFloat(f float64) uint64 {
	switch {
	case f == 0:
		f = 0
	case math.IsNaN(f):
		return math.MaxUint64
	}
	u := math.Float64bits(f)
	if u&signBit != 0 {
		return ^u
	}
	return u | signBit
}

func addFloat64(k []byte, b array.Builder) {
	u := binary.BigEndian.Uint64(k)
	var f float64
	switch {
	case u == math.MaxUint64:
		f = math.NaN()
	case u&signBit != 0:
		f = math.Float64frombits(u &^ signBit)
	default:
		f = math.Float64frombits(^u)
	}
	b.(*array.Float64Builder).Append(f)
}

func addDecimal(k []byte, b array.Builder) {
	hi := int64(binary.BigEndian.Uint64(k) ^ signBit)
	b.(*array.Decimal128Builder).Append(decimal128.New(hi, binary.BigEndian.Uint64(k[8:])))
}

func addInterval(k []byte, b array.Builder) {
	b.(*array.MonthDayNanoIntervalBuilder).Append(arrow.MonthDayNanoInterval{
		Months:      getInt32(k),
		Days:        getInt32(k[4:]),
		Nanoseconds: getInt64(k[8:]),
	})
}

func addString(k []byte, b array.Builder) { b.(*array.StringBuilder).BinaryBuilder.Append(k) }
