package exec

import (
	"bytes"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// normKind is the physical layout of a column normalize keeps.
type normKind uint8

const (
	normFixed  normKind = iota + 1 // 4, 8 or 16 bytes per value
	normBool                       // bitmap
	normString                     // utf8 with int32 offsets
)

// normLayout classifies an Arrow type for normalize's state.
func normLayout(dt arrow.DataType) (normKind, int, error) {
	switch dt := dt.(type) {
	case *arrow.BooleanType:
		return normBool, 0, nil
	case *arrow.StringType:
		return normString, 0, nil
	case arrow.FixedWidthDataType:
		if w := dt.BitWidth() / 8; w == 4 || w == 8 || w == 16 {
			return normFixed, w, nil
		}
	}
	return 0, 0, fmt.Errorf("type %s is not supported by normalize", dt)
}

// normIn is one input column's raw buffers, read without boxing.
type normIn struct {
	arr   arrow.Array
	vals  []byte  // fixed-width values or the boolean bitmap
	off   int     // the array's offset
	offs  []int32 // string offsets (already offset)
	sdata []byte  // string bytes
}

func normInput(a arrow.Array, kind normKind) normIn {
	d := a.Data()
	in := normIn{arr: a, off: d.Offset()}
	switch kind {
	case normFixed, normBool:
		in.vals = d.Buffers()[1].Bytes()
	case normString:
		// Offsets are absolute into the whole data buffer.
		in.offs = a.(*array.String).ValueOffsets()
		if b := d.Buffers()[2]; b != nil {
			in.sdata = b.Bytes()
		}
		in.off = 0
	}
	return in
}

func (in *normIn) fixed(r, w int) []byte { return in.vals[(in.off+r)*w : (in.off+r+1)*w] }
func (in *normIn) str(r int) []byte      { return in.sdata[in.offs[r]:in.offs[r+1]] }
func (in *normIn) bit(r int) bool        { return bitutil.BitIsSet(in.vals, in.off+r) }

// normCol is one column of the row store, indexed by slot.
type normCol struct {
	kind  normKind
	w     int
	valid []bool
	fixed []byte // slot*w
	bits  []bool
	strs  []string
}

// normStore keeps one full row per slot, column by column. Slots of
// deleted keys are reused.
type normStore struct {
	cols     []normCol
	slots    int
	free     []int32
	strBytes int64
}

func (s *normStore) alloc() int32 {
	if n := len(s.free); n > 0 {
		slot := s.free[n-1]
		s.free = s.free[:n-1]
		return slot
	}
	slot := int32(s.slots)
	s.slots++
	for i := range s.cols {
		c := &s.cols[i]
		c.valid = append(c.valid, false)
		switch c.kind {
		case normFixed:
			c.fixed = append(c.fixed, make([]byte, c.w)...)
		case normBool:
			c.bits = append(c.bits, false)
		case normString:
			c.strs = append(c.strs, "")
		}
	}
	return slot
}

// set copies input row r into slot.
func (s *normStore) set(slot int32, in []normIn, r int) {
	for i := range s.cols {
		c := &s.cols[i]
		c.valid[slot] = in[i].arr.IsValid(r)
		switch c.kind {
		case normFixed:
			copy(c.fixed[int(slot)*c.w:], in[i].fixed(r, c.w))
		case normBool:
			c.bits[slot] = in[i].bit(r)
		case normString:
			s.strBytes += int64(len(in[i].str(r)) - len(c.strs[slot]))
			c.strs[slot] = string(in[i].str(r))
		}
	}
}

// release frees slot for reuse.
func (s *normStore) release(slot int32) {
	for i := range s.cols {
		if c := &s.cols[i]; c.kind == normString {
			s.strBytes -= int64(len(c.strs[slot]))
			c.strs[slot] = ""
		}
	}
	s.free = append(s.free, slot)
}

// bytes estimates the memory the store holds.
func (s *normStore) bytes() int64 {
	per := int64(0)
	for _, c := range s.cols {
		per += 1 + int64(c.w)
		if c.kind == normString {
			per += 16
		}
	}
	return int64(s.slots)*per + s.strBytes
}

// normRef is one output row: input row Row when Row >= 0, else the stored
// row of Slot.
type normRef struct{ Row, Slot int32 }

// equal reports whether input row r equals the row ref points at (NULLs
// equal each other; values compare by their bytes).
func (s *normStore) equal(in []normIn, r int, ref normRef) bool {
	for i := range s.cols {
		c := &s.cols[i]
		a := &in[i]
		if ref.Row >= 0 {
			if !normEqualIn(c, a, r, int(ref.Row)) {
				return false
			}
			continue
		}
		v := a.arr.IsValid(r)
		if v != c.valid[ref.Slot] {
			return false
		}
		if !v {
			continue
		}
		switch c.kind {
		case normFixed:
			if !bytes.Equal(a.fixed(r, c.w), c.fixed[int(ref.Slot)*c.w:int(ref.Slot+1)*c.w]) {
				return false
			}
		case normBool:
			if a.bit(r) != c.bits[ref.Slot] {
				return false
			}
		case normString:
			if string(a.str(r)) != c.strs[ref.Slot] {
				return false
			}
		}
	}
	return true
}

func normEqualIn(c *normCol, a *normIn, r, p int) bool {
	v := a.arr.IsValid(r)
	if v != a.arr.IsValid(p) {
		return false
	}
	if !v {
		return true
	}
	switch c.kind {
	case normFixed:
		return bytes.Equal(a.fixed(r, c.w), a.fixed(p, c.w))
	case normBool:
		return a.bit(r) == a.bit(p)
	}
	return bytes.Equal(a.str(r), a.str(p))
}

// build gathers the rows refs point at into a record batch of schema.
func (s *normStore) build(schema *arrow.Schema, in []normIn, refs []normRef, mem memory.Allocator) arrow.RecordBatch {
	n := len(refs)
	arrs := make([]arrow.Array, len(s.cols))
	for i := range s.cols {
		arrs[i] = s.buildCol(&s.cols[i], &in[i], schema.Field(i).Type, refs, mem)
	}
	rec := array.NewRecordBatch(schema, arrs, int64(n))
	for _, a := range arrs {
		a.Release()
	}
	return rec
}

func (s *normStore) buildCol(c *normCol, a *normIn, dt arrow.DataType, refs []normRef, mem memory.Allocator) arrow.Array {
	n := len(refs)
	valid := memory.NewResizableBuffer(mem)
	valid.Resize(int(bitutil.BytesForBits(int64(n))))
	vb := valid.Bytes()
	clear(vb)
	nulls := 0
	for j, ref := range refs {
		var ok bool
		if ref.Row >= 0 {
			ok = a.arr.IsValid(int(ref.Row))
		} else {
			ok = c.valid[ref.Slot]
		}
		if ok {
			bitutil.SetBit(vb, j)
		} else {
			nulls++
		}
	}
	var bufs []*memory.Buffer
	switch c.kind {
	case normFixed:
		bufs = []*memory.Buffer{valid, s.gatherFixed(c, a, refs, mem)}
	case normBool:
		bufs = []*memory.Buffer{valid, s.gatherBits(c, a, refs, mem)}
	default:
		offs, data := s.gatherStrings(c, a, refs, mem)
		bufs = []*memory.Buffer{valid, offs, data}
	}
	if nulls == 0 {
		bufs[0] = nil
		valid.Release()
	}
	d := array.NewData(dt, n, bufs, nil, nulls, 0)
	arr := array.MakeFromData(d)
	d.Release()
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
	return arr
}

func (s *normStore) gatherFixed(c *normCol, a *normIn, refs []normRef, mem memory.Allocator) *memory.Buffer {
	w := c.w
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(len(refs) * w)
	dst := buf.Bytes()
	for j, ref := range refs {
		if ref.Row >= 0 {
			copy(dst[j*w:(j+1)*w], a.fixed(int(ref.Row), w))
		} else {
			copy(dst[j*w:(j+1)*w], c.fixed[int(ref.Slot)*w:])
		}
	}
	return buf
}

func (s *normStore) gatherBits(c *normCol, a *normIn, refs []normRef, mem memory.Allocator) *memory.Buffer {
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(int(bitutil.BytesForBits(int64(len(refs)))))
	dst := buf.Bytes()
	clear(dst)
	for j, ref := range refs {
		var v bool
		if ref.Row >= 0 {
			v = a.bit(int(ref.Row))
		} else {
			v = c.bits[ref.Slot]
		}
		bitutil.SetBitTo(dst, j, v)
	}
	return buf
}

func (s *normStore) gatherStrings(c *normCol, a *normIn, refs []normRef, mem memory.Allocator) (*memory.Buffer, *memory.Buffer) {
	offBuf := memory.NewResizableBuffer(mem)
	offBuf.Resize((len(refs) + 1) * 4)
	offs := arrow.Int32Traits.CastFromBytes(offBuf.Bytes())
	total := 0
	for j, ref := range refs {
		offs[j] = int32(total)
		if ref.Row >= 0 {
			total += len(a.str(int(ref.Row)))
		} else {
			total += len(c.strs[ref.Slot])
		}
	}
	offs[len(refs)] = int32(total)
	data := memory.NewResizableBuffer(mem)
	data.Resize(total)
	dst := data.Bytes()
	for j, ref := range refs {
		if ref.Row >= 0 {
			copy(dst[offs[j]:], a.str(int(ref.Row)))
		} else {
			copy(dst[offs[j]:], c.strs[ref.Slot])
		}
	}
	return offBuf, data
}
