package exec

import (
	"encoding/binary"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// topnBatch is what one Push changed: the partitions it touched and, for
// each, its entries before the first change (to emit the net difference).
// Reused across batches.
type topnBatch struct {
	parts  []*topnPart
	before []topnEntry
	// Rows of the batch still in a top at its end, to encode.
	src   []int32
	slabs [][]byte
	slots []topnSlot
}

// topnSlot is one entry of a partition.
type topnSlot struct {
	p *topnPart
	i int
}

// touch records p's entries before the batch's first change to it.
func (b *topnBatch) touch(p *topnPart) {
	if p.touched {
		return
	}
	p.touched = true
	p.beforeAt, p.beforeLen = int32(len(b.before)), int32(len(p.entries))
	b.before = append(b.before, p.entries...)
	b.parts = append(b.parts, p)
}

func (b *topnBatch) reset() {
	clear(b.parts)
	clear(b.before)
	clear(b.slabs)
	clear(b.slots)
	b.parts, b.before, b.src, b.slabs, b.slots = b.parts[:0], b.before[:0], b.src[:0], b.slabs[:0], b.slots[:0]
}

// settle ends a batch: it encodes the batch's rows that are still in a top
// (one allocation each: order key and row), collects the net changes of
// every touched partition for flush and marks them dirty for Snapshot.
func (t *TopN) settle(rec arrow.RecordBatch) {
	tb := &t.batch
	defer tb.reset()
	cols := rec.Columns()
	for _, p := range tb.parts {
		for i, e := range p.entries {
			if e.buf != nil {
				continue
			}
			key := t.okeys.key(int(e.src))
			slab := make([]byte, len(key), len(key)+t.rowBound(cols, int(e.src)))
			copy(slab, key)
			tb.src, tb.slabs = append(tb.src, e.src), append(tb.slabs, slab)
			tb.slots = append(tb.slots, topnSlot{p: p, i: i})
		}
	}
	if len(tb.src) > 0 {
		tb.slabs = t.codec.AppendRows(tb.slabs, cols, tb.src)
		for j, s := range tb.slots {
			e := &s.p.entries[s.i]
			*e = topnEntry{buf: tb.slabs[j], klen: int32(len(t.okeys.key(int(e.src))))}
			t.bytes += int64(len(e.buf)) + topnEntryBytes
		}
	}
	for _, p := range tb.parts {
		t.diff(p, tb.before[p.beforeAt:p.beforeAt+p.beforeLen])
		p.touched = false
		if !p.dirty {
			p.dirty = true
			t.dirty = append(t.dirty, p)
		}
	}
}

// diff collects the changes from before to p's entries: for each rank
// whose row differs, -D the old row then +I the new one.
func (t *TopN) diff(p *topnPart, before []topnEntry) {
	for i := range max(len(before), len(p.entries)) {
		if i < len(before) && i < len(p.entries) && before[i].same(p.entries[i]) {
			continue
		}
		if i < len(before) {
			t.emit.add(Delete, before[i].row(), int64(i+1))
		}
		if i < len(p.entries) {
			t.emit.add(Insert, p.entries[i].row(), int64(i+1))
		}
	}
}

// rowBound is an upper bound of the RowCodec encoding of row r of cols.
func (t *TopN) rowBound(cols []arrow.Array, r int) int {
	c := t.codec
	n := c.nullBytes
	for ci, a := range cols {
		switch c.kinds[ci] {
		case rcString:
			n += binary.MaxVarintLen64 + len(a.(*array.String).Value(r))
		case rcBool:
			n++
		case rcFixed:
			n += c.widths[ci]
		}
	}
	return n
}

// flush emits the collected changes as one batch.
func (t *TopN) flush() error {
	if len(t.emit.rows) == 0 {
		return nil
	}
	defer t.emit.reset()
	cols, err := t.decode(t.emit.rows)
	if err != nil {
		return fmt.Errorf("top-n: %w", err)
	}
	rb := array.NewInt64Builder(t.mem)
	rb.AppendValues(t.emit.rn, nil)
	cols = append(cols, rb.NewArray())
	rb.Release()
	rec := array.NewRecordBatch(t.outS, cols, int64(len(t.emit.rows)))
	for _, c := range cols {
		c.Release()
	}
	err = t.out.Push(Batch{Rec: rec, Ops: t.emit.ops})
	rec.Release()
	return err
}

// decode decodes the emitted rows into arrays (the caller releases them),
// sizing the builders up front (growing them re-copies and re-zeroes).
func (t *TopN) decode(rows [][]byte) ([]arrow.Array, error) {
	bs := t.codec.Builders(t.mem)
	defer func() {
		for _, b := range bs {
			b.Release()
		}
	}()
	sizes := t.stringBytes(rows)
	for ci, b := range bs {
		b.Reserve(len(rows))
		if sb, ok := b.(*array.StringBuilder); ok {
			sb.ReserveData(sizes[ci])
		}
	}
	for i, r := range rows {
		if _, err := t.codec.DecodeRow(r, bs); err != nil {
			return nil, fmt.Errorf("row %d: %w", i, err)
		}
	}
	out := make([]arrow.Array, len(bs))
	for i, b := range bs {
		out[i] = b.NewArray()
	}
	return out, nil
}

// stringBytes sums, per column, the VARCHAR bytes of the encoded rows
// (RowCodec's layout); malformed rows are left to DecodeRow to report.
func (t *TopN) stringBytes(rows [][]byte) []int {
	c := t.codec
	t.sizes = append(t.sizes[:0], make([]int, len(c.kinds))...)
	for _, r := range rows {
		if len(r) < c.nullBytes {
			continue
		}
		nulls, v := r[:c.nullBytes], r[c.nullBytes:]
		for ci, k := range c.kinds {
			if nulls[ci/8]&(1<<(ci%8)) != 0 {
				continue
			}
			switch k {
			case rcBool:
				v = v[min(1, len(v)):]
			case rcFixed:
				v = v[min(c.widths[ci], len(v)):]
			case rcString:
				n, w := binary.Uvarint(v)
				if w <= 0 || uint64(len(v)-w) < n {
					v = nil
					continue
				}
				t.sizes[ci] += int(n)
				v = v[w+int(n):]
			}
		}
	}
	return t.sizes
}

// topnEmit collects output rows: op, encoded row and row number.
type topnEmit struct {
	ops  []Op
	rows [][]byte
	rn   []int64
}

func (e *topnEmit) add(op Op, row []byte, rn int64) {
	e.ops, e.rows, e.rn = append(e.ops, op), append(e.rows, row), append(e.rn, rn)
}

func (e *topnEmit) reset() {
	clear(e.rows)
	e.ops, e.rows, e.rn = e.ops[:0], e.rows[:0], e.rn[:0]
}
