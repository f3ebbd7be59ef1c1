package exec

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// colKind is the physical layout of one stored join column.
type colKind uint8

const (
	colFixed  colKind = iota + 1 // width bytes per slot (numbers, temporals, decimals, intervals)
	colBool                      // one byte per slot
	colString                    // offset and length into an append-only arena
	colNull                      // the NULL type: nothing stored
)

// colStore holds one column of a join side's stored rows, one value per
// row slot, in Arrow-like typed buffers. Slots are reused after a row
// leaves; string bytes of dead slots stay in the arena as garbage until
// compact rewrites it.
type colStore struct {
	kind  colKind
	dt    arrow.DataType
	width int
	data  []byte // colFixed: width bytes per slot; colBool: 0 or 1 per slot
	valid []byte // bitmap: bit set = not NULL
	offs  []int64
	lens  []int32
	arena []byte
	// garbage is the number of arena bytes owned by no live slot.
	garbage int64
}

func newColStore(dt arrow.DataType) (*colStore, error) {
	c := &colStore{dt: dt}
	switch t := dt.(type) {
	case *arrow.NullType:
		c.kind = colNull
	case *arrow.BooleanType:
		c.kind, c.width = colBool, 1
	case *arrow.StringType:
		c.kind = colString
	case arrow.FixedWidthDataType:
		c.kind, c.width = colFixed, t.BitWidth()/8
		switch c.width {
		case 1, 2, 4, 8, 16:
		default:
			return nil, fmt.Errorf("join state: unsupported width %d bytes of %s", c.width, dt)
		}
	default:
		return nil, fmt.Errorf("join state: unsupported column type %s", dt)
	}
	return c, nil
}

// grow makes room for n slots.
func (c *colStore) grow(n int) {
	if nb := int(bitutil.BytesForBits(int64(n))); nb > len(c.valid) {
		c.valid = append(c.valid, make([]byte, growLen(len(c.valid), nb)-len(c.valid))...)
	}
	switch c.kind {
	case colFixed, colBool:
		if need := n * c.width; need > len(c.data) {
			c.data = append(c.data, make([]byte, growLen(len(c.data), need)-len(c.data))...)
		}
	case colString:
		if n > len(c.offs) {
			m := growLen(len(c.offs), n)
			c.offs = append(c.offs, make([]int64, m-len(c.offs))...)
			c.lens = append(c.lens, make([]int32, m-len(c.lens))...)
		}
	}
}

// growLen doubles have until it reaches need.
func growLen(have, need int) int {
	n := max(have, 64)
	for n < need {
		n *= 2
	}
	return n
}

// copyIn stores src[rows[i]] into slots[i]; every slot was grown for.
func (c *colStore) copyIn(src arrow.Array, rows, slots []int32) {
	c.copyValidity(src, rows, slots)
	data := src.Data()
	off := data.Offset()
	switch c.kind {
	case colBool:
		bits := data.Buffers()[1].Bytes()
		for i, r := range rows {
			c.data[slots[i]] = 0
			if bitutil.BitIsSet(bits, off+int(r)) {
				c.data[slots[i]] = 1
			}
		}
	case colString:
		c.copyStrings(src.(*array.String), rows, slots)
	case colFixed:
		src := data.Buffers()[1].Bytes()[off*c.width:]
		switch c.width {
		case 1:
			scatter(src, c.data, rows, slots)
		case 2:
			scatter(arrow.GetData[uint16](src[:len(src)&^1]), arrow.GetData[uint16](c.data), rows, slots)
		case 4:
			scatter(arrow.GetData[uint32](src[:len(src)&^3]), arrow.GetData[uint32](c.data), rows, slots)
		case 8:
			scatter(arrow.GetData[uint64](src[:len(src)&^7]), arrow.GetData[uint64](c.data), rows, slots)
		case 16:
			scatter(reinterpret128(src), reinterpret128(c.data), rows, slots)
		}
	}
}

func scatter[T any](src, dst []T, rows, slots []int32) {
	for i, r := range rows {
		dst[slots[i]] = src[r]
	}
}

func (c *colStore) copyValidity(src arrow.Array, rows, slots []int32) {
	if src.NullN() == 0 {
		for _, s := range slots {
			bitutil.SetBit(c.valid, int(s))
		}
		return
	}
	for i, r := range rows {
		bitutil.SetBitTo(c.valid, int(slots[i]), src.IsValid(int(r)))
	}
}

func (c *colStore) copyStrings(src *array.String, rows, slots []int32) {
	offs := src.ValueOffsets()
	var bytes []byte
	if buf := src.Data().Buffers()[2]; buf != nil {
		bytes = buf.Bytes()
	}
	for i, r := range rows {
		s := slots[i]
		v := bytes[offs[r]:offs[r+1]]
		c.offs[s] = int64(len(c.arena))
		c.lens[s] = int32(len(v))
		c.arena = append(c.arena, v...)
	}
}

// release marks the arena bytes of a freed slot as garbage.
func (c *colStore) release(slot int32) {
	if c.kind == colString {
		c.garbage += int64(c.lens[slot])
		c.lens[slot] = 0
	}
}

// compact rewrites the arena without garbage once garbage is most of it.
func (c *colStore) compact(nslots int) {
	if c.kind != colString || c.garbage < 1<<20 || c.garbage*2 < int64(len(c.arena)) {
		return
	}
	arena := make([]byte, 0, int64(len(c.arena))-c.garbage)
	for s := 0; s < nslots; s++ {
		o, n := c.offs[s], int64(c.lens[s])
		c.offs[s] = int64(len(arena))
		arena = append(arena, c.arena[o:o+n]...)
	}
	c.arena, c.garbage = arena, 0
}

// bytes is an estimate of the memory the column holds.
func (c *colStore) bytes() int64 {
	return int64(len(c.data) + len(c.valid) + len(c.arena) + 12*len(c.offs))
}

// gather builds an array holding the value of each slot (NULL for -1).
// The caller releases it.
func (c *colStore) gather(slots []int32, mem memory.Allocator) arrow.Array {
	n := len(slots)
	if c.kind == colNull {
		return array.NewNull(n)
	}
	valid, nulls := c.gatherValidity(slots, mem)
	var bufs []*memory.Buffer
	switch c.kind {
	case colBool:
		buf := newBuffer(mem, int(bitutil.BytesForBits(int64(n))))
		out := buf.Bytes()
		for i, s := range slots {
			if s >= 0 && c.data[s] != 0 {
				bitutil.SetBit(out, i)
			}
		}
		bufs = []*memory.Buffer{valid, buf}
	case colString:
		bufs = c.gatherStrings(slots, valid, mem)
	case colFixed:
		bufs = []*memory.Buffer{valid, c.gatherFixed(slots, mem)}
	}
	d := array.NewData(c.dt, n, bufs, nil, nulls, 0)
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
	defer d.Release()
	return array.MakeFromData(d)
}

func newBuffer(mem memory.Allocator, n int) *memory.Buffer {
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(n)
	clear(buf.Bytes())
	return buf
}

// gatherValidity returns the validity bitmap (nil when nothing is NULL)
// and the NULL count.
func (c *colStore) gatherValidity(slots []int32, mem memory.Allocator) (*memory.Buffer, int) {
	buf := newBuffer(mem, int(bitutil.BytesForBits(int64(len(slots)))))
	out := buf.Bytes()
	nulls := 0
	for i, s := range slots {
		if s >= 0 && bitutil.BitIsSet(c.valid, int(s)) {
			bitutil.SetBit(out, i)
		} else {
			nulls++
		}
	}
	if nulls == 0 {
		buf.Release()
		return nil, 0
	}
	return buf, nulls
}

func (c *colStore) gatherFixed(slots []int32, mem memory.Allocator) *memory.Buffer {
	buf := newBuffer(mem, len(slots)*c.width)
	dst := buf.Bytes()
	switch c.width {
	case 1:
		gatherSlots(c.data, dst, slots)
	case 2:
		gatherSlots(arrow.GetData[uint16](c.data), arrow.GetData[uint16](dst), slots)
	case 4:
		gatherSlots(arrow.GetData[uint32](c.data), arrow.GetData[uint32](dst), slots)
	case 8:
		gatherSlots(arrow.GetData[uint64](c.data), arrow.GetData[uint64](dst), slots)
	case 16:
		gatherSlots(reinterpret128(c.data), reinterpret128(dst), slots)
	}
	return buf
}

// gatherSlots copies src[slot] for each slot; -1 leaves the zero value.
func gatherSlots[T any](src, dst []T, slots []int32) {
	for i, s := range slots {
		if s >= 0 {
			dst[i] = src[s]
		}
	}
}

func (c *colStore) gatherStrings(slots []int32, valid *memory.Buffer, mem memory.Allocator) []*memory.Buffer {
	total := 0
	for _, s := range slots {
		if s >= 0 {
			total += int(c.lens[s])
		}
	}
	obuf := newBuffer(mem, (len(slots)+1)*4)
	dbuf := newBuffer(mem, total)
	offs := arrow.GetData[int32](obuf.Bytes())
	out := dbuf.Bytes()
	pos := int32(0)
	for i, s := range slots {
		offs[i] = pos
		if s >= 0 {
			o := c.offs[s]
			pos += int32(copy(out[pos:], c.arena[o:o+int64(c.lens[s])]))
		}
	}
	offs[len(slots)] = pos
	return []*memory.Buffer{valid, obuf, dbuf}
}

// equalRow reports whether slot holds the value of src at row r. Doubles
// compare as the row hash sees them: -0 equals 0 and NaN equals NaN.
func (c *colStore) equalRow(slot int32, src arrow.Array, r int) bool {
	v := bitutil.BitIsSet(c.valid, int(slot))
	if v != src.IsValid(r) {
		return false
	}
	if !v || c.kind == colNull {
		return true
	}
	switch a := src.(type) {
	case *array.Boolean:
		return (c.data[slot] != 0) == a.Value(r)
	case *array.String:
		o := c.offs[slot]
		return string(c.arena[o:o+int64(c.lens[slot])]) == a.Value(r)
	case *array.Float64:
		x := math.Float64frombits(arrow.GetData[uint64](c.data)[slot])
		return normFloat(x) == normFloat(a.Value(r))
	}
	w := c.width
	data := src.Data()
	b := data.Buffers()[1].Bytes()[(data.Offset()+r)*w:]
	return string(c.data[int(slot)*w:int(slot+1)*w]) == string(b[:w])
}

// normFloat maps -0 to 0 and every NaN to one NaN, as bits.
func normFloat(x float64) uint64 {
	switch {
	case x == 0:
		return 0
	case x != x:
		return 0x7ff8000000000001
	}
	return math.Float64bits(x)
}
