package agg

import (
	"encoding/binary"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// putFixed writes the order-preserving encoding of every non-NULL row i of
// a fixed-width array at buf[pos[i]:] and advances pos[i] past it. NULL
// rows are left alone.
func putFixed(a arrow.Array, buf []byte, pos []int32) {
	nulls := a.NullN() > 0
	switch a := a.(type) {
	case *array.Int64:
		for i, x := range a.Int64Values() {
			if !nulls || a.IsValid(i) {
				binary.BigEndian.PutUint64(buf[pos[i]:], uint64(x)^signBit)
				pos[i] += 8
			}
		}
	case *array.Int32:
		put32(a.Int32Values(), a, nulls, buf, pos)
	case *array.Date32:
		put32(a.Date32Values(), a, nulls, buf, pos)
	case *array.Timestamp:
		for i, x := range a.TimestampValues() {
			if !nulls || a.IsValid(i) {
				binary.BigEndian.PutUint64(buf[pos[i]:], uint64(x)^signBit)
				pos[i] += 8
			}
		}
	case *array.Float64:
		for i, x := range a.Float64Values() {
			if !nulls || a.IsValid(i) {
				binary.BigEndian.PutUint64(buf[pos[i]:], orderedFloat(x))
				pos[i] += 8
			}
		}
	default:
		putOther(a, nulls, buf, pos)
	}
}

func put32[T ~int32](v []T, a arrow.Array, nulls bool, buf []byte, pos []int32) {
	for i, x := range v {
		if !nulls || a.IsValid(i) {
			binary.BigEndian.PutUint32(buf[pos[i]:], uint32(x)^(1<<31))
			pos[i] += 4
		}
	}
}

// putOther covers the less common key types: BOOLEAN, DECIMAL, INTERVAL.
func putOther(a arrow.Array, nulls bool, buf []byte, pos []int32) {
	switch a := a.(type) {
	case *array.Boolean:
		for i := 0; i < a.Len(); i++ {
			if !nulls || a.IsValid(i) {
				buf[pos[i]] = 0
				if a.Value(i) {
					buf[pos[i]] = 1
				}
				pos[i]++
			}
		}
	case *array.Decimal128:
		for i, v := range a.Values() {
			if !nulls || a.IsValid(i) {
				p := pos[i]
				binary.BigEndian.PutUint64(buf[p:], uint64(v.HighBits())^signBit)
				binary.BigEndian.PutUint64(buf[p+8:], v.LowBits())
				pos[i] += 16
			}
		}
	case *array.MonthDayNanoInterval:
		for i, v := range a.MonthDayNanoIntervalValues() {
			if !nulls || a.IsValid(i) {
				p := pos[i]
				binary.BigEndian.PutUint32(buf[p:], uint32(v.Months)^(1<<31))
				binary.BigEndian.PutUint32(buf[p+4:], uint32(v.Days)^(1<<31))
				binary.BigEndian.PutUint64(buf[p+8:], uint64(v.Nanoseconds)^signBit)
				pos[i] += 16
			}
		}
	}
}

// Values is a reusable encoding of one column's values, one key per row.
type Values struct {
	Buf  []byte
	Offs []int32 // key of row i is Buf[Offs[i]:Offs[i+1]]
	pos  []int32
}

// Key returns the encoding of row i, valid until the next Encode. The key
// of a NULL row is unspecified: callers skip NULLs.
func (v *Values) Key(i int) []byte { return v.Buf[v.Offs[i]:v.Offs[i+1]] }

// Encode encodes every row of a with the order-preserving encoding of its
// type (width bytes per value, 0 for VARCHAR), reusing v's buffers.
func (v *Values) Encode(a arrow.Array, width int) {
	n := a.Len()
	v.Offs = grow(v.Offs[:0], n+1)
	if s, ok := a.(*array.String); ok {
		v.Buf = v.Buf[:0]
		for i := 0; i < n; i++ {
			if s.IsValid(i) {
				v.Buf = append(v.Buf, s.Value(i)...)
			}
			v.Offs[i+1] = int32(len(v.Buf))
		}
		return
	}
	v.pos = grow(v.pos[:0], n)
	for i := 0; i < n; i++ {
		v.pos[i] = int32(i * width)
		v.Offs[i+1] = int32((i + 1) * width)
	}
	v.Buf = grow(v.Buf[:0], n*width)
	putFixed(a, v.Buf, v.pos)
}
