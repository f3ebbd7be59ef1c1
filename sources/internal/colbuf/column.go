package colbuf

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
)

// Column is one column of a Batch. The Set* methods write the pending row;
// the typed slices give generators direct access to the value buffer.
type Column struct {
	Name    string
	Type    catalog.Type
	NotNull bool

	alloc memory.Allocator
	width int // bytes per value; 0 = VARCHAR, -1 = BOOLEAN bitmap
	row   int // the pending row (== Batch.Len())

	valid    *memory.Buffer
	values   *memory.Buffer // fixed-width values, bitmap for BOOLEAN, int32 offsets for VARCHAR
	data     *memory.Buffer // VARCHAR bytes
	offsets  []int32
	dataLen  int
	lastData int // VARCHAR bytes of the previous batch

	set, pendingNull bool
	generated        bool // written by a generator through SetLen: no NULLs
}

func (c *Column) init(capacity int) {
	c.row = 0
	c.set, c.pendingNull, c.generated = false, false, false
	c.valid = memory.NewResizableBuffer(c.alloc)
	nb := int(bitutil.BytesForBits(int64(capacity)))
	c.valid.Resize(nb)
	clear(c.valid.Bytes())
	c.values = memory.NewResizableBuffer(c.alloc)
	switch {
	case c.width > 0:
		c.values.Resize(capacity * c.width)
	case c.width < 0:
		c.values.Resize(nb)
		clear(c.values.Bytes())
	default:
		c.values.Resize((capacity + 1) * 4)
		c.offsets = arrow.Int32Traits.CastFromBytes(c.values.Bytes())
		c.offsets[0] = 0
		c.data = memory.NewResizableBuffer(c.alloc)
		// Start at the size the previous batch needed, to avoid regrowing.
		c.data.Reserve(max(capacity*16, c.lastData+c.lastData/8))
		c.dataLen = 0
	}
}

func (c *Column) release() {
	for _, b := range []*memory.Buffer{c.valid, c.values, c.data} {
		if b != nil {
			b.Release()
		}
	}
	c.valid, c.values, c.data, c.offsets = nil, nil, nil, nil
}

func (c *Column) finish(n int) arrow.Array {
	var valid *memory.Buffer
	nulls := 0
	if !c.generated {
		nulls = n - bitutil.CountSetBits(c.valid.Bytes(), 0, n)
	}
	if nulls > 0 {
		valid = c.valid
	} else {
		c.valid.Release()
	}
	bufs := []*memory.Buffer{valid, c.values}
	switch {
	case c.width > 0:
		c.values.ResizeNoShrink(n * c.width)
	case c.width < 0:
		c.values.ResizeNoShrink(int(bitutil.BytesForBits(int64(n))))
	default:
		c.values.ResizeNoShrink((n + 1) * 4)
		c.data.ResizeNoShrink(c.dataLen)
		c.lastData = c.dataLen
		bufs = append(bufs, c.data)
	}
	data := array.NewData(c.Type.Arrow(), n, bufs, nil, nulls, 0)
	arr := array.MakeFromData(data)
	data.Release()
	c.release()
	return arr
}

func (c *Column) mark() {
	c.set, c.pendingNull = true, false
	bitutil.SetBit(c.valid.Bytes(), c.row)
}

func (c *Column) putNull(i int) {
	bitutil.ClearBit(c.valid.Bytes(), i)
	switch {
	case c.width > 0:
		clear(c.values.Bytes()[i*c.width : (i+1)*c.width])
	case c.width < 0:
		bitutil.ClearBit(c.values.Bytes(), i)
	default:
		c.dataLen = int(c.offsets[i])
		c.offsets[i+1] = c.offsets[i]
	}
}

// PendingNull reports whether the pending row's value was set to NULL
// explicitly.
func (c *Column) PendingNull() bool { return c.set && c.pendingNull }

// SetNull makes the pending row's value NULL.
func (c *Column) SetNull() {
	c.putNull(c.row)
	c.set, c.pendingNull = true, true
}

// SetInt32 sets the pending value of an INT or DATE column.
func (c *Column) SetInt32(v int32) { c.Int32s()[c.row] = v; c.mark() }

// SetInt64 sets the pending value of a BIGINT or TIMESTAMP column.
func (c *Column) SetInt64(v int64) { c.Int64s()[c.row] = v; c.mark() }

// SetFloat64 sets the pending value of a DOUBLE column.
func (c *Column) SetFloat64(v float64) { c.Float64s()[c.row] = v; c.mark() }

// SetDecimal sets the pending value of a DECIMAL column.
func (c *Column) SetDecimal(v decimal128.Num) { c.Decimals()[c.row] = v; c.mark() }

// SetBool sets the pending value of a BOOLEAN column.
func (c *Column) SetBool(v bool) {
	bitutil.SetBitTo(c.values.Bytes(), c.row, v)
	c.mark()
}

// SetBytes sets the pending value of a VARCHAR column (copied).
func (c *Column) SetBytes(v []byte) {
	c.dataLen = int(c.offsets[c.row])
	c.PutString(c.row, v)
	c.mark()
}

// PutString writes row i of a VARCHAR column; rows must be written in order.
func (c *Column) PutString(i int, v []byte) {
	end := c.dataLen + len(v)
	if end > c.data.Cap() {
		c.data.Reserve(max(end, 2*c.data.Cap()))
	}
	copy(c.data.Buf()[c.dataLen:end], v)
	c.dataLen = end
	c.offsets[i+1] = int32(end)
}

// PutStringString is PutString for a Go string.
func (c *Column) PutStringString(i int, v string) {
	c.PutString(i, unsafe.Slice(unsafe.StringData(v), len(v)))
}

// ReserveData makes room for n more bytes of VARCHAR data.
func (c *Column) ReserveData(n int) {
	if c.dataLen+n > c.data.Cap() {
		c.data.Reserve(max(c.dataLen+n, 2*c.data.Cap()))
	}
}

// Int32s is the value buffer of an INT or DATE column, Cap() long.
func (c *Column) Int32s() []int32 { return arrow.Int32Traits.CastFromBytes(c.values.Bytes()) }

// Int64s is the value buffer of a BIGINT or TIMESTAMP column.
func (c *Column) Int64s() []int64 { return arrow.Int64Traits.CastFromBytes(c.values.Bytes()) }

// Float64s is the value buffer of a DOUBLE column.
func (c *Column) Float64s() []float64 { return arrow.Float64Traits.CastFromBytes(c.values.Bytes()) }

// Decimals is the value buffer of a DECIMAL column.
func (c *Column) Decimals() []decimal128.Num {
	return arrow.Decimal128Traits.CastFromBytes(c.values.Bytes())
}

// BoolBits is the value bitmap of a BOOLEAN column.
func (c *Column) BoolBits() []byte { return c.values.Bytes() }
