package agg

import (
	"encoding/binary"
	"fmt"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/sqlstream/sqlstream/catalog"
)

// KeyEncoder encodes the group key of every row of a batch: per column a
// tag byte (0 NULL, 1 value) then the value's order-preserving encoding
// (VARCHAR: a 4-byte length, then the bytes). NULL is thus a group value
// distinct from every other, and equal keys mean equal SQL values (DOUBLE
// -0 and 0 group together, as do NaNs). Buffers are reused across batches.
type KeyEncoder struct {
	codecs []codec
	Buf    []byte
	Offs   []int32 // key of row i is Buf[Offs[i]:Offs[i+1]]
	pos    []int32
}

// NewKeyEncoder returns an encoder for key columns of the given types.
func NewKeyEncoder(types []catalog.Type) (*KeyEncoder, error) {
	e := &KeyEncoder{codecs: make([]codec, len(types))}
	for i, t := range types {
		c, err := codecFor(t)
		if err != nil {
			return nil, fmt.Errorf("group key %d: %w", i, err)
		}
		e.codecs[i] = c
	}
	return e, nil
}

// Encode encodes the keys of n rows whose key columns are cols.
func (e *KeyEncoder) Encode(cols []arrow.Array, n int) {
	e.Offs = grow(e.Offs[:0], n+1)
	e.widths(cols, n)
	for i := 0; i < n; i++ {
		e.Offs[i+1] += e.Offs[i]
	}
	e.Buf = grow(e.Buf[:0], int(e.Offs[n]))
	e.pos = grow(e.pos[:0], n)
	copy(e.pos, e.Offs[:n])
	for _, col := range cols {
		e.putTags(col, n)
		if s, ok := col.(*array.String); ok {
			e.putStrings(s, n)
			continue
		}
		putFixed(col, e.Buf, e.pos)
	}
}

// widths sets Offs[i+1] to the encoded size of row i's key, column by
// column.
func (e *KeyEncoder) widths(cols []arrow.Array, n int) {
	w := e.Offs[1 : n+1]
	fixed := int32(0)
	for c, col := range cols {
		fixed++
		s, isString := col.(*array.String)
		if !isString && col.NullN() == 0 {
			fixed += int32(e.codecs[c].width)
			continue
		}
		for i := range w {
			switch {
			case col.IsNull(i):
			case isString:
				w[i] += 4 + int32(s.ValueLen(i))
			default:
				w[i] += int32(e.codecs[c].width)
			}
		}
	}
	for i := range w {
		w[i] += fixed
	}
}

func (e *KeyEncoder) putTags(col arrow.Array, n int) {
	nulls := col.NullN() > 0
	for i := 0; i < n; i++ {
		tag := byte(1)
		if nulls && col.IsNull(i) {
			tag = 0
		}
		e.Buf[e.pos[i]] = tag
		e.pos[i]++
	}
}

func (e *KeyEncoder) putStrings(s *array.String, n int) {
	for i := 0; i < n; i++ {
		if s.IsNull(i) {
			continue
		}
		v := s.Value(i)
		p := e.pos[i]
		binary.BigEndian.PutUint32(e.Buf[p:], uint32(len(v)))
		copy(e.Buf[p+4:], v)
		e.pos[i] = p + 4 + int32(len(v))
	}
}

// Key returns the key of row i, valid until the next Encode.
func (e *KeyEncoder) Key(i int) []byte { return e.Buf[e.Offs[i]:e.Offs[i+1]] }

// Decode appends the values of an encoded key to bs, one per key column.
func (e *KeyEncoder) Decode(key string, bs []array.Builder) error {
	k := unsafe.Slice(unsafe.StringData(key), len(key)) // read only
	for c, cd := range e.codecs {
		if len(k) == 0 {
			return fmt.Errorf("group key truncated at column %d", c)
		}
		tag := k[0]
		k = k[1:]
		if tag == 0 {
			bs[c].AppendNull()
			continue
		}
		w := cd.width
		if w == 0 {
			w = int(binary.BigEndian.Uint32(k))
			k = k[4:]
		}
		if len(k) < w {
			return fmt.Errorf("group key truncated at column %d", c)
		}
		cd.add(k[:w], bs[c])
		k = k[w:]
	}
	return nil
}
