package exec

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// keyClass is how a join key column is encoded. Columns of both sides
// match pairwise when their classes are equal: INT and BIGINT share
// keyInt (INT widens), DECIMALs must have the same scale.
type keyClass struct {
	id    arrow.Type
	scale int32
}

func classOf(dt arrow.DataType) (keyClass, error) {
	switch t := dt.(type) {
	case *arrow.Int32Type, *arrow.Int64Type:
		return keyClass{id: arrow.INT64}, nil
	case *arrow.Decimal128Type:
		return keyClass{id: arrow.DECIMAL128, scale: t.Scale}, nil
	case *arrow.TimestampType, *arrow.Date32Type, *arrow.Float64Type, *arrow.BooleanType, *arrow.StringType:
		return keyClass{id: dt.ID()}, nil
	}
	return keyClass{}, fmt.Errorf("unsupported join key type %s", dt)
}

// keyEncoder encodes the join key columns of a batch, columnar. With a
// single key column of at most 8 bytes the key is a uint64 (fixed mode);
// otherwise it is a byte string (8 bytes per number, 16 per decimal,
// uvarint length + bytes per string).
type keyEncoder struct {
	cols  []int
	fixed bool
	seed  maphash.Seed // bytes mode: the same for both sides
}

// batchKeys holds the encoded keys of one batch; reused across batches.
type batchKeys struct {
	u64  []uint64
	hash []uint64 // bytes mode: hash of each key (0 for NULL keys)
	buf  []byte
	offs []int32
	null []bool // a key column is NULL: the row matches nothing
}

// key returns the byte key of row i (bytes mode).
func (k *batchKeys) key(i int) []byte { return k.buf[k.offs[i]:k.offs[i+1]] }

func newKeyEncoder(left, right *arrow.Schema, lk, rk []int) (keyEncoder, keyEncoder, error) {
	if len(lk) == 0 || len(lk) != len(rk) {
		return keyEncoder{}, keyEncoder{}, fmt.Errorf("join: %d left keys and %d right keys", len(lk), len(rk))
	}
	for i := range lk {
		if lk[i] < 0 || lk[i] >= left.NumFields() || rk[i] < 0 || rk[i] >= right.NumFields() {
			return keyEncoder{}, keyEncoder{}, fmt.Errorf("join: key %d: column out of range", i)
		}
		lt, rt := left.Field(lk[i]).Type, right.Field(rk[i]).Type
		lc, err := classOf(lt)
		if err != nil {
			return keyEncoder{}, keyEncoder{}, fmt.Errorf("join: key %d: %w", i, err)
		}
		rc, err := classOf(rt)
		if err != nil {
			return keyEncoder{}, keyEncoder{}, fmt.Errorf("join: key %d: %w", i, err)
		}
		if lc != rc {
			return keyEncoder{}, keyEncoder{}, fmt.Errorf("join: key %d: cannot compare %s with %s", i, lt, rt)
		}
	}
	c, _ := classOf(left.Field(lk[0]).Type)
	fixed := len(lk) == 1 && c.id != arrow.DECIMAL128 && c.id != arrow.STRING
	seed := maphash.MakeSeed()
	return keyEncoder{cols: lk, fixed: fixed, seed: seed}, keyEncoder{cols: rk, fixed: fixed, seed: seed}, nil
}

// encode fills k with the keys of every row of rec.
func (e keyEncoder) encode(rec arrow.RecordBatch, k *batchKeys) {
	n := int(rec.NumRows())
	k.null = joinResize(k.null, n)
	clear(k.null)
	for _, c := range e.cols {
		a := rec.Column(c)
		if a.NullN() == 0 {
			continue
		}
		for i := 0; i < n; i++ {
			k.null[i] = k.null[i] || a.IsNull(i)
		}
	}
	if e.fixed {
		k.u64 = joinResize(k.u64, n)
		fixedKeys(rec.Column(e.cols[0]), k.u64)
		return
	}
	k.buf = k.buf[:0]
	k.offs = append(k.offs[:0], 0)
	for i := 0; i < n; i++ {
		for _, c := range e.cols {
			k.buf = appendKey(k.buf, rec.Column(c), i)
		}
		k.offs = append(k.offs, int32(len(k.buf)))
	}
	k.hash = joinResize(k.hash, n)
	for i := range k.hash {
		k.hash[i] = 0
		if !k.null[i] {
			k.hash[i] = maphash.Bytes(e.seed, k.key(i))
		}
	}
}

func joinResize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// fixedKeys widens a single fixed-width key column to uint64 per row.
func fixedKeys(a arrow.Array, out []uint64) {
	switch a := a.(type) {
	case *array.Int64:
		for i, v := range a.Int64Values() {
			out[i] = uint64(v)
		}
	case *array.Int32:
		for i, v := range a.Int32Values() {
			out[i] = uint64(int64(v))
		}
	case *array.Timestamp:
		for i, v := range a.TimestampValues() {
			out[i] = uint64(v)
		}
	case *array.Date32:
		for i, v := range a.Date32Values() {
			out[i] = uint64(int64(v))
		}
	case *array.Float64:
		for i, v := range a.Float64Values() {
			out[i] = normFloat(v)
		}
	case *array.Boolean:
		for i := range out {
			out[i] = 0
			if a.Value(i) {
				out[i] = 1
			}
		}
	}
}

// appendKey appends the encoding of row i of a (not NULL) to buf.
func appendKey(buf []byte, a arrow.Array, i int) []byte {
	switch a := a.(type) {
	case *array.Int64:
		return binary.LittleEndian.AppendUint64(buf, uint64(a.Value(i)))
	case *array.Int32:
		return binary.LittleEndian.AppendUint64(buf, uint64(int64(a.Value(i))))
	case *array.Timestamp:
		return binary.LittleEndian.AppendUint64(buf, uint64(a.Value(i)))
	case *array.Date32:
		return binary.LittleEndian.AppendUint64(buf, uint64(int64(a.Value(i))))
	case *array.Float64:
		return binary.LittleEndian.AppendUint64(buf, normFloat(a.Value(i)))
	case *array.Boolean:
		if a.Value(i) {
			return append(buf, 1)
		}
		return append(buf, 0)
	case *array.Decimal128:
		v := a.Value(i)
		buf = binary.LittleEndian.AppendUint64(buf, v.LowBits())
		return binary.LittleEndian.AppendUint64(buf, uint64(v.HighBits()))
	case *array.String:
		s := a.Value(i)
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		return append(buf, s...)
	}
	return buf
}

// rowHasher hashes whole rows (every column, NULLs included), columnar,
// to find stored duplicates of a row.
type rowHasher struct {
	seed maphash.Seed
	h    []uint64
}

const hashMul = 0x9e3779b97f4a7c15

func mix(h, v uint64) uint64 {
	h ^= v + hashMul + h<<6 + h>>2
	return h * 0xff51afd7ed558ccd
}

// hash returns the row hashes of rec (valid until the next call).
func (rh *rowHasher) hash(rec arrow.RecordBatch) []uint64 {
	n := int(rec.NumRows())
	rh.h = joinResize(rh.h, n)
	for i := range rh.h {
		rh.h[i] = hashMul
	}
	for _, a := range rec.Columns() {
		rh.hashColumn(a)
	}
	return rh.h
}

func (rh *rowHasher) hashColumn(a arrow.Array) {
	h := rh.h
	switch a := a.(type) {
	case *array.String:
		for i := range h {
			h[i] = mix(h[i], maphash.String(rh.seed, a.Value(i)))
		}
	case *array.Float64:
		for i, v := range a.Float64Values() {
			h[i] = mix(h[i], normFloat(v))
		}
	case *array.Boolean:
		for i := range h {
			if a.Value(i) {
				h[i] = mix(h[i], 1)
			}
		}
	case *array.Null:
	default:
		hashFixed(a, h)
	}
	if a.NullN() > 0 {
		for i := range h {
			if a.IsNull(i) {
				h[i] = mix(h[i], 0x5bd1e995)
			}
		}
	}
}

// hashFixed mixes fixed-width values into h by their bytes.
func hashFixed(a arrow.Array, h []uint64) {
	data := a.Data()
	fw, ok := a.DataType().(arrow.FixedWidthDataType)
	if !ok {
		return
	}
	w := fw.BitWidth() / 8
	b := data.Buffers()[1].Bytes()[data.Offset()*w:]
	switch w {
	case 4:
		for i, v := range arrow.GetData[uint32](b[:len(b)&^3])[:len(h)] {
			h[i] = mix(h[i], uint64(v))
		}
	case 8:
		for i, v := range arrow.GetData[uint64](b[:len(b)&^7])[:len(h)] {
			h[i] = mix(h[i], v)
		}
	default:
		for i := range h {
			var v uint64
			for _, x := range b[i*w : (i+1)*w] {
				v = v*131 + uint64(x)
			}
			h[i] = mix(h[i], v)
		}
	}
}

// rowsEqual reports whether rows i and j of rec hold the same values
// (NULL equals NULL; doubles as normFloat sees them).
func rowsEqual(rec arrow.RecordBatch, i, j int) bool {
	for _, a := range rec.Columns() {
		if !valuesEqual(a, i, j) {
			return false
		}
	}
	return true
}

func valuesEqual(a arrow.Array, i, j int) bool {
	vi, vj := a.IsValid(i), a.IsValid(j)
	if vi != vj || !vi {
		return vi == vj
	}
	switch a := a.(type) {
	case *array.Null:
		return true
	case *array.Boolean:
		return a.Value(i) == a.Value(j)
	case *array.String:
		return a.Value(i) == a.Value(j)
	case *array.Float64:
		return normFloat(a.Value(i)) == normFloat(a.Value(j))
	}
	fw, ok := a.DataType().(arrow.FixedWidthDataType)
	if !ok {
		return false
	}
	w := fw.BitWidth() / 8
	data := a.Data()
	b := data.Buffers()[1].Bytes()[data.Offset()*w:]
	return string(b[i*w:(i+1)*w]) == string(b[j*w:(j+1)*w])
}
