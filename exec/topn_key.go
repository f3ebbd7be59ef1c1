package exec

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// orderKeyCol is one column of an order-preserving key: its input column
// and direction.
type orderKeyCol struct {
	col  int
	desc bool
}

// keyArena holds one order-preserving key per row of a batch, back to back
// in one reused buffer: no allocation per row. Keys are valid until the
// next encode.
type keyArena struct {
	buf []byte
	off []int32 // key r is buf[off[r]:off[r+1]]
}

// key returns row r's key, borrowed from the arena.
func (a *keyArena) key(r int) []byte { return a.buf[a.off[r]:a.off[r+1]] }

// encode replaces the arena's keys with the order-preserving
// ("memcomparable") encoding of cols for each of rec's n rows, so that
// bytes.Compare of two keys orders rows as ORDER BY cols does: NULL sorts
// first ascending and last descending (as in MySQL); integers, dates and
// timestamps as signed numbers, doubles numerically, DECIMAL (one scale
// per column) numerically, VARCHAR bytewise, false before true. A
// descending column's bytes are inverted; every encoding is prefix-free
// (VARCHAR escapes 0x00 as 0x00 0xFF and ends with 0x00 0x01), so
// inversion reverses the order.
func (a *keyArena) encode(rec arrow.RecordBatch, cols []orderKeyCol, n int) error {
	arrs := make([]arrow.Array, len(cols))
	for i, c := range cols {
		arrs[i] = rec.Column(c.col)
		if !orderable(arrs[i]) {
			return fmt.Errorf("order key column %d: cannot order by %s", c.col, arrs[i].DataType())
		}
	}
	a.buf, a.off = a.buf[:0], append(a.off[:0], 0)
	for r := 0; r < n; r++ {
		for i, c := range cols {
			start := len(a.buf)
			a.buf = appendOrderValue(a.buf, arrs[i], r)
			if c.desc {
				for j := start; j < len(a.buf); j++ {
					a.buf[j] = ^a.buf[j]
				}
			}
		}
		a.off = append(a.off, int32(len(a.buf)))
	}
	return nil
}

// orderable reports whether appendOrderValue encodes a's type.
func orderable(a arrow.Array) bool {
	switch a.(type) {
	case *array.Int64, *array.Int32, *array.Timestamp, *array.Date32, *array.Float64,
		*array.Decimal128, *array.Boolean, *array.String:
		return true
	}
	return false
}

// appendOrderValue appends the encoding of a[r]; a's type is orderable.
func appendOrderValue(k []byte, a arrow.Array, r int) []byte {
	if a.IsNull(r) {
		return append(k, 0)
	}
	k = append(k, 1)
	switch a := a.(type) {
	case *array.Int64:
		return orderInt(k, a.Value(r))
	case *array.Int32:
		return orderInt(k, int64(a.Value(r)))
	case *array.Timestamp:
		return orderInt(k, int64(a.Value(r)))
	case *array.Date32:
		return orderInt(k, int64(a.Value(r)))
	case *array.Float64:
		bits := math.Float64bits(a.Value(r))
		if bits&(1<<63) != 0 {
			bits = ^bits
		} else {
			bits |= 1 << 63
		}
		return binary.BigEndian.AppendUint64(k, bits)
	case *array.Decimal128:
		v := a.Value(r)
		k = binary.BigEndian.AppendUint64(k, uint64(v.HighBits())^(1<<63))
		return binary.BigEndian.AppendUint64(k, v.LowBits())
	case *array.Boolean:
		if a.Value(r) {
			return append(k, 1)
		}
		return append(k, 0)
	case *array.String:
		s := a.Value(r)
		for i := 0; i < len(s); i++ {
			k = append(k, s[i])
			if s[i] == 0 {
				k = append(k, 0xFF)
			}
		}
		return append(k, 0, 1)
	}
	return k
}

func orderInt(k []byte, v int64) []byte {
	return binary.BigEndian.AppendUint64(k, uint64(v)^(1<<63))
}
