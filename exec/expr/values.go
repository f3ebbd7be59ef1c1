package expr

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// valueAt returns row i of a as a scalar.Literal value (nil for NULL).
func valueAt(a arrow.Array, i int, t catalog.Type) any {
	if a.IsNull(i) {
		return nil
	}
	switch a := a.(type) {
	case *array.Boolean:
		return a.Value(i)
	case *array.Int32:
		return int64(a.Value(i))
	case *array.Int64:
		return a.Value(i)
	case *array.Float64:
		return a.Value(i)
	case *array.Decimal128:
		return a.Value(i)
	case *array.String:
		return a.Value(i)
	case *array.Date32:
		return int32(a.Value(i))
	case *array.Timestamp:
		return int64(a.Value(i))
	case *array.MonthDayNanoInterval:
		v := a.Value(i)
		return scalar.IntervalValue{Months: v.Months, Millis: int64(v.Days)*msPerDay + v.Nanoseconds/1e6}
	}
	return nil
}

// appendValue appends a scalar.Literal value (nil = NULL) to a builder of
// the matching Arrow type.
func appendValue(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	switch b := b.(type) {
	case *array.BooleanBuilder:
		b.Append(v.(bool))
	case *array.Int32Builder:
		b.Append(int32(toI64(v)))
	case *array.Int64Builder:
		b.Append(toI64(v))
	case *array.Float64Builder:
		b.Append(v.(float64))
	case *array.Decimal128Builder:
		b.Append(v.(decimal128.Num))
	case *array.StringBuilder:
		b.Append(v.(string))
	case *array.Date32Builder:
		b.Append(arrow.Date32(toI64(v)))
	case *array.TimestampBuilder:
		b.Append(arrow.Timestamp(toI64(v)))
	case *array.MonthDayNanoIntervalBuilder:
		iv := v.(scalar.IntervalValue)
		b.Append(arrow.MonthDayNanoInterval{Months: iv.Months, Nanoseconds: iv.Millis * 1e6})
	default:
		return fmt.Errorf("cannot build constant of type %s", b.Type())
	}
	return nil
}

// toI64 converts the integer representations a Literal may use.
func toI64(v any) int64 {
	switch v := v.(type) {
	case int64:
		return v
	case int32:
		return int64(v)
	case int:
		return int64(v)
	case bool:
		if v {
			return 1
		}
	}
	return 0
}

// constArray builds an array of n copies of v.
func constArray(mem memory.Allocator, v any, t catalog.Type, n int) (arrow.Array, error) {
	if v == nil || t.ID == catalog.Null {
		return nullArray(mem, t, n), nil
	}
	b := array.NewBuilder(mem, t.Arrow())
	defer b.Release()
	b.Reserve(n)
	for i := 0; i < n; i++ {
		if err := appendValue(b, v); err != nil {
			return nil, err
		}
	}
	return b.NewArray(), nil
}

// copier appends row i of a source array to a builder of the same type.
type copier func(i int)

// newCopier returns a copier from src into b (same Arrow type).
func newCopier(b array.Builder, src arrow.Array) (copier, error) {
	switch s := src.(type) {
	case *array.Null:
		return func(int) { b.AppendNull() }, nil
	case *array.Boolean:
		bb := b.(*array.BooleanBuilder)
		return func(i int) {
			if s.IsNull(i) {
				bb.AppendNull()
			} else {
				bb.Append(s.Value(i))
			}
		}, nil
	case *array.String:
		bb := b.(*array.StringBuilder)
		return func(i int) {
			if s.IsNull(i) {
				bb.AppendNull()
			} else {
				bb.Append(s.Value(i))
			}
		}, nil
	case *array.Decimal128:
		bb := b.(*array.Decimal128Builder)
		vals := decs(s)
		return func(i int) {
			if s.IsNull(i) {
				bb.AppendNull()
			} else {
				bb.Append(vals[i])
			}
		}, nil
	case *array.Float64:
		bb := b.(*array.Float64Builder)
		vals := f64s(s)
		return func(i int) {
			if s.IsNull(i) {
				bb.AppendNull()
			} else {
				bb.Append(vals[i])
			}
		}, nil
	}
	return newIntCopier(b, src)
}

func newIntCopier(b array.Builder, src arrow.Array) (copier, error) {
	switch bb := b.(type) {
	case *array.Int32Builder:
		vals := i32s(src)
		return func(i int) {
			if src.IsNull(i) {
				bb.AppendNull()
			} else {
				bb.Append(vals[i])
			}
		}, nil
	case *array.Date32Builder:
		vals := i32s(src)
		return func(i int) {
			if src.IsNull(i) {
				bb.AppendNull()
			} else {
				bb.Append(arrow.Date32(vals[i]))
			}
		}, nil
	case *array.Int64Builder:
		vals := i64s(src)
		return func(i int) {
			if src.IsNull(i) {
				bb.AppendNull()
			} else {
				bb.Append(vals[i])
			}
		}, nil
	case *array.TimestampBuilder:
		vals := i64s(src)
		return func(i int) {
			if src.IsNull(i) {
				bb.AppendNull()
			} else {
				bb.Append(arrow.Timestamp(vals[i]))
			}
		}, nil
	}
	return nil, fmt.Errorf("cannot copy %s values", src.DataType())
}
