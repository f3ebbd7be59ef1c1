package exec

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// lookupKeyEncoder encodes the rows of key columns into byte strings, one
// per row, column by column with typed loops: fixed-width values as their
// little-endian bytes (booleans as one byte, -0.0 as 0.0), strings as a
// 4-byte length and their bytes. Two rows of the same key types are equal
// in SQL (=) exactly when their encodings are equal. Rows with a NULL in
// any key column are flagged and not encoded (NULL matches nothing). The
// buffers are reused across batches.
type lookupKeyEncoder struct {
	buf  []byte
	offs []int32 // row i is buf[offs[i]:offs[i+1]]
	cur  []int32 // write cursor per row while encoding
	null []bool
}

// encode encodes n rows of cols.
func (e *lookupKeyEncoder) encode(cols []arrow.Array, n int) error {
	e.null = lookupResize(e.null, n)
	clear(e.null)
	e.cur = lookupResize(e.cur, n)
	clear(e.cur)
	for _, c := range cols {
		if err := e.measure(c); err != nil {
			return err
		}
	}
	e.offs = lookupResize(e.offs, n+1)
	total := int32(0)
	for i := range n {
		e.offs[i] = total
		if !e.null[i] {
			total += e.cur[i]
		}
		e.cur[i] = e.offs[i]
	}
	e.offs[n] = total
	e.buf = lookupResize(e.buf, int(total))
	for _, c := range cols {
		e.write(c)
	}
	return nil
}

// key returns the encoding of row i (valid until the next encode).
func (e *lookupKeyEncoder) key(i int) []byte { return e.buf[e.offs[i]:e.offs[i+1]] }

// isNull reports whether row i has a NULL key column.
func (e *lookupKeyEncoder) isNull(i int) bool { return e.null[i] }

// measure adds the encoded width of c's values to cur and flags NULLs.
func (e *lookupKeyEncoder) measure(c arrow.Array) error {
	if c.NullN() > 0 {
		for i := range c.Len() {
			if c.IsNull(i) {
				e.null[i] = true
			}
		}
	}
	switch dt := c.DataType().(type) {
	case *arrow.BooleanType:
		lookupAddAll(e.cur, 1)
	case *arrow.StringType:
		offs := c.(*array.String).ValueOffsets()
		for i := range e.cur {
			e.cur[i] += 4 + offs[i+1] - offs[i]
		}
	case arrow.FixedWidthDataType:
		if dt.BitWidth()%8 != 0 {
			return fmt.Errorf("lookup key of type %s is not supported", dt)
		}
		lookupAddAll(e.cur, int32(dt.BitWidth()/8))
	default:
		return fmt.Errorf("lookup key of type %s is not supported", dt)
	}
	return nil
}

// write appends c's values to every non-NULL row.
func (e *lookupKeyEncoder) write(c arrow.Array) {
	switch a := c.(type) {
	case *array.Boolean:
		for i := range e.cur {
			if !e.null[i] {
				e.buf[e.cur[i]] = 0
				if a.Value(i) {
					e.buf[e.cur[i]] = 1
				}
			}
			e.cur[i]++
		}
	case *array.String:
		e.writeString(a)
	case *array.Float64:
		vals := a.Float64Values()
		for i := range e.cur {
			if !e.null[i] {
				v := vals[i]
				if v == 0 {
					v = 0 // -0.0 = 0.0
				}
				binary.LittleEndian.PutUint64(e.buf[e.cur[i]:], math.Float64bits(v))
			}
			e.cur[i] += 8
		}
	default:
		e.writeFixed(c)
	}
}

func (e *lookupKeyEncoder) writeString(a *array.String) {
	offs := a.ValueOffsets()
	var data []byte
	if b := a.Data().Buffers()[2]; b != nil {
		data = b.Bytes()
	}
	for i := range e.cur {
		l := offs[i+1] - offs[i]
		if !e.null[i] {
			p := e.cur[i]
			binary.LittleEndian.PutUint32(e.buf[p:], uint32(l))
			copy(e.buf[p+4:], data[offs[i]:offs[i+1]])
		}
		e.cur[i] += 4 + l
	}
}

func (e *lookupKeyEncoder) writeFixed(c arrow.Array) {
	w := c.DataType().(arrow.FixedWidthDataType).BitWidth() / 8
	data := c.Data()
	if data.Buffers()[1] == nil { // empty or all NULL: nothing to write
		lookupAddAll(e.cur, int32(w))
		return
	}
	src := data.Buffers()[1].Bytes()[data.Offset()*w:]
	switch w {
	case 4:
		vals := arrow.GetData[uint32](src[:len(src)&^3])
		for i := range e.cur {
			if !e.null[i] {
				binary.LittleEndian.PutUint32(e.buf[e.cur[i]:], vals[i])
			}
			e.cur[i] += 4
		}
	case 8:
		vals := arrow.GetData[uint64](src[:len(src)&^7])
		for i := range e.cur {
			if !e.null[i] {
				binary.LittleEndian.PutUint64(e.buf[e.cur[i]:], vals[i])
			}
			e.cur[i] += 8
		}
	default:
		for i := range e.cur {
			if !e.null[i] {
				copy(e.buf[e.cur[i]:], src[i*w:(i+1)*w])
			}
			e.cur[i] += int32(w)
		}
	}
}

func lookupAddAll(xs []int32, d int32) {
	for i := range xs {
		xs[i] += d
	}
}

func lookupResize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
