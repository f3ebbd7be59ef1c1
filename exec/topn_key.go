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

// appendOrderKeys appends to keys[r] (one per batch row) the
// order-preserving ("memcomparable") encoding of each column in cols, so
// that bytes.Compare of two keys orders rows as ORDER BY cols does:
// NULL sorts first ascending and last descending (as in MySQL); integers,
// dates and timestamps as signed numbers, doubles numerically, DECIMAL
// (one scale per column) numerically, VARCHAR bytewise, false before true.
// A descending column's bytes are inverted; every encoding is prefix-free
// (VARCHAR escapes 0x00 as 0x00 0xFF and ends with 0x00 0x01), so
// inversion reverses the order.
func appendOrderKeys(rec arrow.RecordBatch, cols []orderKeyCol, keys [][]byte) error {
	for _, c := range cols {
		a := rec.Column(c.col)
		for r := range keys {
			start := len(keys[r])
			k, err := appendOrderValue(keys[r], a, r)
			if err != nil {
				return fmt.Errorf("order key column %d: %w", c.col, err)
			}
			if c.desc {
				for i := start; i < len(k); i++ {
					k[i] = ^k[i]
				}
			}
			keys[r] = k
		}
	}
	return nil
}

// appendOrderValue appends the encoding of a[r].
func appendOrderValue(k []byte, a arrow.Array, r int) ([]byte, error) {
	if a.IsNull(r) {
		return append(k, 0), nil
	}
	k = append(k, 1)
	switch a := a.(type) {
	case *array.Int64:
		return orderInt(k, a.Value(r)), nil
	case *array.Int32:
		return orderInt(k, int64(a.Value(r))), nil
	case *array.Timestamp:
		return orderInt(k, int64(a.Value(r))), nil
	case *array.Date32:
		return orderInt(k, int64(a.Value(r))), nil
	case *array.Float64:
		bits := math.Float64bits(a.Value(r))
		if bits&(1<<63) != 0 {
			bits = ^bits
		} else {
			bits |= 1 << 63
		}
		return binary.BigEndian.AppendUint64(k, bits), nil
	case *array.Decimal128:
		v := a.Value(r)
		k = binary.BigEndian.AppendUint64(k, uint64(v.HighBits())^(1<<63))
		return binary.BigEndian.AppendUint64(k, v.LowBits()), nil
	case *array.Boolean:
		if a.Value(r) {
			return append(k, 1), nil
		}
		return append(k, 0), nil
	case *array.String:
		s := a.Value(r)
		for i := 0; i < len(s); i++ {
			k = append(k, s[i])
			if s[i] == 0 {
				k = append(k, 0xFF)
			}
		}
		return append(k, 0, 1), nil
	}
	return nil, fmt.Errorf("cannot order by %s", a.DataType())
}

func orderInt(k []byte, v int64) []byte {
	return binary.BigEndian.AppendUint64(k, uint64(v)^(1<<63))
}
