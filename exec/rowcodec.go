package exec

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// RowCodec encodes single rows of Arrow columns to bytes and back, for
// operator state snapshots (see Checkpointer): every SQL type the engine
// uses (BOOLEAN, INT, BIGINT, DOUBLE, DECIMAL, VARCHAR, DATE, TIMESTAMP,
// INTERVAL and the NULL type), NULLs included.
//
// A row is a NULL bitmap (one bit per column, set = NULL, ceil(n/8)
// bytes) followed by the values of the non-NULL columns in column order:
// a BOOLEAN is one byte (0 or 1), a fixed-width value its little-endian
// bytes (4 for INT and DATE, 8 for BIGINT, DOUBLE and TIMESTAMP ms, 16
// for DECIMAL and INTERVAL), a VARCHAR a uvarint length and its bytes,
// the NULL type nothing. Encoding is columnar (AppendRows writes a
// batch's rows one column at a time); decoding is row by row into array
// builders.
type RowCodec struct {
	types     []arrow.DataType
	kinds     []rcKind
	widths    []int
	nullBytes int
}

// rcKind is the encoding of one column.
type rcKind uint8

const (
	rcNull rcKind = iota + 1
	rcBool
	rcFixed
	rcString
)

// NewRowCodec returns a codec for rows of the given column types.
func NewRowCodec(types []arrow.DataType) (*RowCodec, error) {
	c := &RowCodec{types: types, kinds: make([]rcKind, len(types)), widths: make([]int, len(types)),
		nullBytes: int(bitutil.BytesForBits(int64(len(types))))}
	for i, dt := range types {
		switch dt.(type) {
		case *arrow.NullType:
			c.kinds[i] = rcNull
		case *arrow.BooleanType:
			c.kinds[i] = rcBool
		case *arrow.StringType:
			c.kinds[i] = rcString
		case *arrow.Int32Type, *arrow.Date32Type:
			c.kinds[i], c.widths[i] = rcFixed, 4
		case *arrow.Int64Type, *arrow.Float64Type, *arrow.TimestampType:
			c.kinds[i], c.widths[i] = rcFixed, 8
		case *arrow.Decimal128Type, *arrow.MonthDayNanoIntervalType:
			c.kinds[i], c.widths[i] = rcFixed, 16
		default:
			return nil, fmt.Errorf("row codec: column %d: unsupported type %s", i, dt)
		}
	}
	return c, nil
}

// NewRowCodecFor returns a codec for rows of schema s.
func NewRowCodecFor(s *arrow.Schema) (*RowCodec, error) {
	types := make([]arrow.DataType, s.NumFields())
	for i, f := range s.Fields() {
		types[i] = f.Type
	}
	return NewRowCodec(types)
}

// Types are the column types the codec encodes.
func (c *RowCodec) Types() []arrow.DataType { return c.types }

// AppendRows appends the encoding of row rows[i] of cols to dst[i] (all
// rows in order when rows is nil) and returns dst, extended to as many
// entries as rows. It works one column at a time.
func (c *RowCodec) AppendRows(dst [][]byte, cols []arrow.Array, rows []int32) [][]byte {
	n := len(rows)
	if rows == nil && len(cols) > 0 {
		n = cols[0].Len()
	}
	for len(dst) < n {
		dst = append(dst, nil)
	}
	dst = dst[:n]
	// Each row starts with its NULL bitmap, filled in column by column.
	base := make([]int, n)
	for i := range dst {
		base[i] = len(dst[i])
		for range c.nullBytes {
			dst[i] = append(dst[i], 0)
		}
	}
	row := func(i int) int {
		if rows == nil {
			return i
		}
		return int(rows[i])
	}
	for ci, a := range cols {
		if a.NullN() > 0 {
			for i := range dst {
				if a.IsNull(row(i)) {
					dst[i][base[i]+ci/8] |= 1 << (ci % 8)
				}
			}
		}
		data := a.Data()
		switch c.kinds[ci] {
		case rcNull:
		case rcBool:
			bits, off := data.Buffers()[1].Bytes(), data.Offset()
			for i := range dst {
				if r := row(i); a.IsValid(r) {
					v := byte(0)
					if bitutil.BitIsSet(bits, off+r) {
						v = 1
					}
					dst[i] = append(dst[i], v)
				}
			}
		case rcString:
			s := a.(*array.String)
			for i := range dst {
				if r := row(i); s.IsValid(r) {
					v := s.Value(r)
					dst[i] = binary.AppendUvarint(dst[i], uint64(len(v)))
					dst[i] = append(dst[i], v...)
				}
			}
		case rcFixed:
			w := c.widths[ci]
			vals := data.Buffers()[1].Bytes()[data.Offset()*w:]
			for i := range dst {
				if r := row(i); a.IsValid(r) {
					dst[i] = append(dst[i], vals[r*w:(r+1)*w]...)
				}
			}
		}
	}
	return dst
}

// Builders returns one empty builder per column (the caller releases
// them).
func (c *RowCodec) Builders(mem memory.Allocator) []array.Builder {
	bs := make([]array.Builder, len(c.types))
	for i, dt := range c.types {
		bs[i] = array.NewBuilder(mem, dt)
	}
	return bs
}

// DecodeRow appends the row encoded at the start of src to bs (one
// builder per column, of the codec's types) and returns the bytes after
// it.
func (c *RowCodec) DecodeRow(src []byte, bs []array.Builder) ([]byte, error) {
	if len(src) < c.nullBytes {
		return nil, fmt.Errorf("row codec: truncated row (%d bytes, want a %d-byte NULL bitmap)", len(src), c.nullBytes)
	}
	nulls, src := src[:c.nullBytes], src[c.nullBytes:]
	for ci, b := range bs {
		if nulls[ci/8]&(1<<(ci%8)) != 0 {
			b.AppendNull()
			continue
		}
		switch c.kinds[ci] {
		case rcNull:
			b.AppendNull()
			continue
		case rcBool:
			if len(src) < 1 {
				return nil, c.truncated(ci)
			}
			b.(*array.BooleanBuilder).Append(src[0] != 0)
			src = src[1:]
			continue
		case rcString:
			n, k := binary.Uvarint(src)
			if k <= 0 || uint64(len(src)-k) < n {
				return nil, c.truncated(ci)
			}
			b.(*array.StringBuilder).BinaryBuilder.Append(src[k : k+int(n)])
			src = src[k+int(n):]
			continue
		}
		w := c.widths[ci]
		if len(src) < w {
			return nil, c.truncated(ci)
		}
		v := src[:w]
		src = src[w:]
		switch b := b.(type) {
		case *array.Int32Builder:
			b.Append(int32(binary.LittleEndian.Uint32(v)))
		case *array.Date32Builder:
			b.Append(arrow.Date32(binary.LittleEndian.Uint32(v)))
		case *array.Int64Builder:
			b.Append(int64(binary.LittleEndian.Uint64(v)))
		case *array.Float64Builder:
			b.Append(math.Float64frombits(binary.LittleEndian.Uint64(v)))
		case *array.TimestampBuilder:
			b.Append(arrow.Timestamp(binary.LittleEndian.Uint64(v)))
		case *array.Decimal128Builder:
			b.Append(decimal128.New(int64(binary.LittleEndian.Uint64(v[8:])), binary.LittleEndian.Uint64(v)))
		case *array.MonthDayNanoIntervalBuilder:
			b.Append(arrow.MonthDayNanoInterval{Months: int32(binary.LittleEndian.Uint32(v)),
				Days: int32(binary.LittleEndian.Uint32(v[4:])), Nanoseconds: int64(binary.LittleEndian.Uint64(v[8:]))})
		default:
			return nil, fmt.Errorf("row codec: column %d: builder %T does not match %s", ci, b, c.types[ci])
		}
	}
	return src, nil
}

func (c *RowCodec) truncated(col int) error {
	return fmt.Errorf("row codec: truncated value of column %d (%s)", col, c.types[col])
}

// DecodeAll decodes one encoded row per entry of rows into arrays, one
// per column (the caller releases them). Bytes after a row are ignored.
func (c *RowCodec) DecodeAll(rows [][]byte, mem memory.Allocator) ([]arrow.Array, error) {
	bs := c.Builders(mem)
	defer func() {
		for _, b := range bs {
			b.Release()
		}
	}()
	for _, b := range bs {
		b.Reserve(len(rows))
	}
	for i, r := range rows {
		if _, err := c.DecodeRow(r, bs); err != nil {
			return nil, fmt.Errorf("row %d: %w", i, err)
		}
	}
	out := make([]arrow.Array, len(bs))
	for i, b := range bs {
		out[i] = b.NewArray()
	}
	return out, nil
}

// rcSchema is an Arrow schema of the given column types (fields c0, c1,
// ..., nullable), for records rebuilt from decoded state.
func rcSchema(types []arrow.DataType) *arrow.Schema {
	fs := make([]arrow.Field, len(types))
	for i, dt := range types {
		fs[i] = arrow.Field{Name: fmt.Sprintf("c%d", i), Type: dt, Nullable: true}
	}
	return arrow.NewSchema(fs, nil)
}
