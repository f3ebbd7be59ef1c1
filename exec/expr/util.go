package expr

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// i64s returns the int64 values of an Int64 or Timestamp array; an Int32 or
// Date32 array is widened into a new slice.
func i64s(a arrow.Array) []int64 {
	d := a.Data()
	n, off := d.Len(), d.Offset()
	switch a.DataType().ID() {
	case arrow.INT64, arrow.TIMESTAMP:
		if len(d.Buffers()) < 2 || d.Buffers()[1] == nil {
			return make([]int64, n)
		}
		return arrow.Int64Traits.CastFromBytes(d.Buffers()[1].Bytes())[off : off+n]
	case arrow.BOOL:
		out := make([]int64, n)
		b := a.(*array.Boolean)
		for i := range out {
			if b.Value(i) {
				out[i] = 1
			}
		}
		return out
	case arrow.INT32, arrow.DATE32:
		src := i32s(a)
		out := make([]int64, n)
		for i, v := range src {
			out[i] = int64(v)
		}
		return out
	}
	return make([]int64, n)
}

// i32s returns the int32 values of an Int32 or Date32 array.
func i32s(a arrow.Array) []int32 {
	d := a.Data()
	n, off := d.Len(), d.Offset()
	if len(d.Buffers()) < 2 || d.Buffers()[1] == nil {
		return make([]int32, n)
	}
	return arrow.Int32Traits.CastFromBytes(d.Buffers()[1].Bytes())[off : off+n]
}

// f64s returns the values of a Float64 array.
func f64s(a arrow.Array) []float64 {
	d := a.Data()
	n, off := d.Len(), d.Offset()
	if len(d.Buffers()) < 2 || d.Buffers()[1] == nil {
		return make([]float64, n)
	}
	return arrow.Float64Traits.CastFromBytes(d.Buffers()[1].Bytes())[off : off+n]
}

// decs returns the values of a Decimal128 array.
func decs(a arrow.Array) []decimal128.Num {
	d := a.Data()
	n, off := d.Len(), d.Offset()
	if len(d.Buffers()) < 2 || d.Buffers()[1] == nil {
		return make([]decimal128.Num, n)
	}
	return arrow.Decimal128Traits.CastFromBytes(d.Buffers()[1].Bytes())[off : off+n]
}

// validBits returns the validity bitmap of a realigned to offset 0, or nil
// when a has no nulls. It copies only when a is sliced at a bit offset.
func validBits(a arrow.Array) []byte {
	if a.NullN() == 0 {
		return nil
	}
	d := a.Data()
	if a.DataType().ID() == arrow.NULL {
		return make([]byte, bitutil.BytesForBits(int64(d.Len())))
	}
	b := d.Buffers()[0].Bytes()
	if d.Offset() == 0 {
		return b
	}
	out := make([]byte, bitutil.BytesForBits(int64(d.Len())))
	bitutil.CopyBitmap(b, d.Offset(), d.Len(), out, 0)
	return out
}

// boolBits returns the value bitmap of a Boolean array realigned to offset 0.
func boolBits(a arrow.Array) []byte {
	d := a.Data()
	b := d.Buffers()[1].Bytes()
	if d.Offset() == 0 {
		return b
	}
	out := make([]byte, bitutil.BytesForBits(int64(d.Len())))
	bitutil.CopyBitmap(b, d.Offset(), d.Len(), out, 0)
	return out
}

// andValidity returns a new validity buffer that is the AND of the given
// arrays' validity, or nil when none of them has nulls.
func andValidity(mem memory.Allocator, n int, arrs ...arrow.Array) *memory.Buffer {
	var out *memory.Buffer
	for _, a := range arrs {
		if a == nil || a.NullN() == 0 {
			continue
		}
		vb := validBits(a)
		if out == nil {
			out = memory.NewResizableBuffer(mem)
			out.Resize(int(bitutil.BytesForBits(int64(n))))
			copy(out.Bytes(), vb)
			continue
		}
		bitutil.BitmapAnd(out.Bytes(), vb, 0, 0, out.Bytes(), 0, int64(n))
	}
	return out
}

// isValid reports bit i of a realigned validity bitmap (nil = all valid).
func isValid(valid []byte, i int) bool {
	return valid == nil || valid[i>>3]&(1<<(uint(i)&7)) != 0
}

// newBuf allocates a zeroed buffer of size bytes.
func newBuf(mem memory.Allocator, size int) *memory.Buffer {
	b := memory.NewResizableBuffer(mem)
	b.Resize(size)
	bs := b.Bytes()
	for i := range bs {
		bs[i] = 0
	}
	return b
}

// fixedArray wraps a values buffer and an optional validity buffer into an
// array of type dt; it takes ownership of both buffers.
func fixedArray(dt arrow.DataType, n int, valid, vals *memory.Buffer) arrow.Array {
	nulls := 0
	if valid != nil {
		nulls = n - bitutil.CountSetBits(valid.Bytes(), 0, n)
	}
	d := array.NewData(dt, n, []*memory.Buffer{valid, vals}, nil, nulls, 0)
	a := array.MakeFromData(d)
	d.Release()
	if valid != nil {
		valid.Release()
	}
	vals.Release()
	return a
}

// newI64Out allocates an int64 values buffer of n rows.
func newI64Out(mem memory.Allocator, n int) (*memory.Buffer, []int64) {
	b := newBuf(mem, n*8)
	return b, arrow.Int64Traits.CastFromBytes(b.Bytes())[:n]
}

// newF64Out allocates a float64 values buffer of n rows.
func newF64Out(mem memory.Allocator, n int) (*memory.Buffer, []float64) {
	b := newBuf(mem, n*8)
	return b, arrow.Float64Traits.CastFromBytes(b.Bytes())[:n]
}

// newDecOut allocates a decimal128 values buffer of n rows.
func newDecOut(mem memory.Allocator, n int) (*memory.Buffer, []decimal128.Num) {
	b := newBuf(mem, n*16)
	return b, arrow.Decimal128Traits.CastFromBytes(b.Bytes())[:n]
}

// newBitOut allocates a zeroed bitmap of n bits.
func newBitOut(mem memory.Allocator, n int) (*memory.Buffer, []byte) {
	b := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
	return b, b.Bytes()
}

// clearBit marks row i invalid in a bitmap, allocating it (all valid) first
// when *valid is nil.
func clearBit(mem memory.Allocator, valid **memory.Buffer, n, i int) {
	if *valid == nil {
		*valid = newBuf(mem, int(bitutil.BytesForBits(int64(n))))
		bitutil.SetBitsTo((*valid).Bytes(), 0, int64(n), true)
	}
	bitutil.ClearBit((*valid).Bytes(), i)
}
