package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TakeRows returns a new batch holding the rows of b at idx, in that order,
// with their ops. The caller releases the result; b is borrowed.
func TakeRows(b Batch, idx []int32, mem memory.Allocator) (Batch, error) {
	cols := make([]arrow.Array, b.Rec.NumCols())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, col := range b.Rec.Columns() {
		c, err := TakeArray(col, idx, mem)
		if err != nil {
			return Batch{}, fmt.Errorf("take column %s: %w", b.Rec.ColumnName(i), err)
		}
		cols[i] = c
	}
	rec := array.NewRecordBatch(b.Rec.Schema(), cols, int64(len(idx)))
	var ops []Op
	if b.Ops != nil {
		ops = make([]Op, len(idx))
		for j, i := range idx {
			ops[j] = b.Ops[i]
		}
	}
	return Batch{Rec: rec, Ops: ops}, nil
}

// TakeArray gathers the values of a at idx into a new array (the caller
// releases it). It handles the physical layouts of every SQL type: null,
// boolean, fixed-width numbers and temporals, decimal128, intervals and utf8.
func TakeArray(a arrow.Array, idx []int32, mem memory.Allocator) (arrow.Array, error) {
	data := a.Data()
	n := len(idx)
	switch dt := a.DataType().(type) {
	case *arrow.NullType:
		return array.NewNull(n), nil
	case *arrow.BooleanType:
		vals := takeBits(data.Buffers()[1].Bytes(), data.Offset(), idx, mem)
		return finishTake(a, idx, vals, nil, mem), nil
	case *arrow.StringType:
		return takeString(a.(*array.String), idx, mem), nil
	case arrow.FixedWidthDataType:
		vals, err := takeFixed(data, dt.BitWidth()/8, idx, mem)
		if err != nil {
			return nil, err
		}
		return finishTake(a, idx, vals, nil, mem), nil
	}
	return nil, fmt.Errorf("take: unsupported type %s", a.DataType())
}

// finishTake adds the validity bitmap and assembles the array.
func finishTake(a arrow.Array, idx []int32, vals, data2 *memory.Buffer, mem memory.Allocator) arrow.Array {
	var valid *memory.Buffer
	nulls := 0
	if a.NullN() > 0 {
		valid, nulls = takeValidity(a, idx, mem)
	}
	bufs := []*memory.Buffer{valid, vals}
	if data2 != nil {
		bufs = append(bufs, data2)
	}
	d := array.NewData(a.DataType(), len(idx), bufs, nil, nulls, 0)
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
	defer d.Release()
	return array.MakeFromData(d)
}

func takeValidity(a arrow.Array, idx []int32, mem memory.Allocator) (*memory.Buffer, int) {
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(int(bitutil.BytesForBits(int64(len(idx)))))
	out := buf.Bytes()
	clear(out)
	nulls := 0
	for j, i := range idx {
		if a.IsValid(int(i)) {
			bitutil.SetBit(out, j)
		} else {
			nulls++
		}
	}
	return buf, nulls
}

func takeBits(src []byte, off int, idx []int32, mem memory.Allocator) *memory.Buffer {
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(int(bitutil.BytesForBits(int64(len(idx)))))
	out := buf.Bytes()
	clear(out)
	for j, i := range idx {
		if bitutil.BitIsSet(src, off+int(i)) {
			bitutil.SetBit(out, j)
		}
	}
	return buf
}

type word128 struct{ lo, hi uint64 }

func takeFixed(data arrow.ArrayData, width int, idx []int32, mem memory.Allocator) (*memory.Buffer, error) {
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(len(idx) * width)
	src := data.Buffers()[1].Bytes()[data.Offset()*width:]
	dst := buf.Bytes()
	switch width {
	case 1:
		gather(src, dst, idx)
	case 2:
		gather(arrow.GetData[uint16](src[:len(src)&^1]), arrow.GetData[uint16](dst), idx)
	case 4:
		gather(arrow.GetData[uint32](src[:len(src)&^3]), arrow.GetData[uint32](dst), idx)
	case 8:
		gather(arrow.GetData[uint64](src[:len(src)&^7]), arrow.GetData[uint64](dst), idx)
	case 16:
		gather(reinterpret128(src), reinterpret128(dst), idx)
	default:
		buf.Release()
		return nil, fmt.Errorf("take: unsupported width %d bytes", width)
	}
	return buf, nil
}

func gather[T any](src, dst []T, idx []int32) {
	for j, i := range idx {
		dst[j] = src[i]
	}
}

func takeString(a *array.String, idx []int32, mem memory.Allocator) arrow.Array {
	offs := a.ValueOffsets() // absolute positions in the data buffer
	var bytes []byte
	if buf := a.Data().Buffers()[2]; buf != nil {
		bytes = buf.Bytes()
	}
	total := 0
	for _, i := range idx {
		total += int(offs[i+1] - offs[i])
	}
	obuf := memory.NewResizableBuffer(mem)
	obuf.Resize((len(idx) + 1) * 4)
	dbuf := memory.NewResizableBuffer(mem)
	dbuf.Resize(total)
	outOffs := arrow.GetData[int32](obuf.Bytes())
	out := dbuf.Bytes()
	pos := int32(0)
	for j, i := range idx {
		outOffs[j] = pos
		pos += int32(copy(out[pos:], bytes[offs[i]:offs[i+1]]))
	}
	outOffs[len(idx)] = pos
	return finishTake(a, idx, obuf, dbuf, mem)
}
