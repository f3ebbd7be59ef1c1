package exec

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Shared machinery of the slot-based operators' checkpoints (the joins,
// normalize, OVER). Their rows live in numbered slots of column stores;
// a slot's state entry is keyed by (tag, slot id) and holds a small
// operator-specific header and the encoded row (RowCodec). Restore puts
// every row back at its own slot id, so that the keys of later
// snapshots keep addressing the same entries. The hot path only marks a
// slot dirty (sckSlots.touch: one flag test); Snapshot then writes each
// dirty slot once, a Put when it holds a row and a Delete when it no
// longer does (and the store has it).

// Slot flags.
const (
	sckDirty  uint8 = 1 << iota // changed since the last Snapshot
	sckStored                   // the store holds an entry for the slot
	sckLive                     // holds a row (for stores without another liveness test)
)

// Entry key tags.
const (
	sckTagSlot = 's' // 's', side or input, slot id (big endian)
	sckTagMeta = 'm' // the operator's watermark bookkeeping
	sckTagPart = 'p' // 'p', partition id (OVER)
)

// sckChunk is the number of dirty slots encoded at a time.
const sckChunk = 4096

// sckSlots tracks the slots of one store changed since the last Snapshot.
type sckSlots struct {
	flags []uint8
	dirty []int32
}

// touch marks slot s changed.
func (c *sckSlots) touch(s int32) {
	if int(s) < len(c.flags) && c.flags[s]&sckDirty != 0 {
		return
	}
	c.mark(s)
}

func (c *sckSlots) mark(s int32) {
	if int(s) >= len(c.flags) {
		c.flags = append(c.flags, make([]uint8, int(s)+1-len(c.flags))...)
	}
	c.flags[s] |= sckDirty
	c.dirty = append(c.dirty, s)
}

// set marks slot s changed and records whether it now holds a row.
func (c *sckSlots) set(s int32, live bool) {
	c.touch(s)
	if live {
		c.flags[s] |= sckLive
	} else {
		c.flags[s] &^= sckLive
	}
}

// live reports the sckLive flag of s.
func (c *sckSlots) live(s int32) bool { return int(s) < len(c.flags) && c.flags[s]&sckLive != 0 }

// restored records that s was restored from the store (stored, live).
func (c *sckSlots) restored(s int32) {
	if int(s) >= len(c.flags) {
		c.flags = append(c.flags, make([]uint8, int(s)+1-len(c.flags))...)
	}
	c.flags[s] |= sckStored | sckLive
}

// sckSlotKey is the entry key of slot s of side or input tag.
func sckSlotKey(dst []byte, tag byte, s int32) []byte {
	dst = append(dst[:0], sckTagSlot, tag)
	return binary.BigEndian.AppendUint32(dst, uint32(s))
}

// sckParseSlotKey splits a slot entry key.
func sckParseSlotKey(k []byte) (tag byte, s int32, err error) {
	if len(k) != 6 || k[0] != sckTagSlot {
		return 0, 0, fmt.Errorf("bad slot key %x", k)
	}
	return k[1], int32(binary.BigEndian.Uint32(k[2:])), nil
}

// sckScanSlots reads an operator's whole state from r: the meta entry goes
// to meta (nil: the operator writes none), slot entries are returned by
// tag (input or side), which must be below n. what names the operator's
// state in errors.
func sckScanSlots(r StateReader, n int, what string, meta func(v []byte) error) ([][]sckEntry, error) {
	ents := make([][]sckEntry, n)
	err := r.Scan(func(k, v []byte) error {
		if meta != nil && len(k) == 1 && k[0] == sckTagMeta {
			return meta(v)
		}
		tag, s, err := sckParseSlotKey(k)
		if err != nil || int(tag) >= n {
			return fmt.Errorf("bad %s state key %x", what, k)
		}
		ents[tag] = append(ents[tag], sckEntry{slot: s, val: append([]byte(nil), v...)})
		return nil
	})
	return ents, err
}

// sckFlags gives access to the flags of slots.
type sckFlags interface {
	flag(s int32) *uint8
}

func (c *sckSlots) flag(s int32) *uint8 { return &c.flags[s] }

// snapshot writes the dirty slots (see sckSnapshotSlots) and forgets them.
func (c *sckSlots) snapshot(w StateWriter, tag byte, codec *RowCodec, gather func([]int32) []arrow.Array,
	live func(s int32) bool, header func(dst []byte, s int32) []byte) error {
	if err := sckSnapshotSlots(w, c, c.dirty, tag, codec, gather, live, header); err != nil {
		return err
	}
	c.dirty = c.dirty[:0]
	return nil
}

// sckSnapshotSlots writes the dirty slots of a row store and clears
// their dirty flags: for a slot holding a row (live(s)), header(s)
// (appended to the value) and the row encoded from the columns gather
// returns for the slots; for another one a Delete when the store has it.
func sckSnapshotSlots(w StateWriter, fl sckFlags, dirty []int32, tag byte, codec *RowCodec, gather func([]int32) []arrow.Array,
	live func(s int32) bool, header func(dst []byte, s int32) []byte) error {
	var key []byte
	var puts []int32
	var vals [][]byte
	for start := 0; start < len(dirty); start += sckChunk {
		chunk := dirty[start:min(start+sckChunk, len(dirty))]
		puts = puts[:0]
		for _, s := range chunk {
			if live(s) {
				puts = append(puts, s)
				continue
			}
			if f := fl.flag(s); *f&sckStored != 0 {
				if err := w.Delete(sckSlotKey(key, tag, s)); err != nil {
					return err
				}
				*f &^= sckStored
			}
		}
		if len(puts) == 0 {
			continue
		}
		arrs := gather(puts)
		for len(vals) < len(puts) {
			vals = append(vals, nil)
		}
		vals = vals[:len(puts)]
		for i, s := range puts {
			vals[i] = header(vals[i][:0], s)
		}
		vals = codec.AppendRows(vals, arrs, nil)
		for _, a := range arrs {
			a.Release()
		}
		for i, s := range puts {
			key = sckSlotKey(key, tag, s)
			if err := w.Put(key, vals[i]); err != nil {
				return err
			}
			*fl.flag(s) |= sckStored
		}
	}
	for _, s := range dirty {
		*fl.flag(s) &^= sckDirty
	}
	return nil
}

// sckEntry is one restored slot: its id, its header and encoded row.
type sckEntry struct {
	slot int32
	val  []byte
}

// sckSortEntries orders restored entries by slot id.
func sckSortEntries(es []sckEntry) {
	slices.SortFunc(es, func(a, b sckEntry) int { return int(a.slot) - int(b.slot) })
}

// sckDecodeRows decodes the rows of entries whose headers were already
// consumed (rows[i] starts at the row) into a record of codec's types
// (the caller releases it).
func sckDecodeRows(codec *RowCodec, rows [][]byte, mem memory.Allocator) (arrow.RecordBatch, error) {
	arrs, err := codec.DecodeAll(rows, mem)
	if err != nil {
		return nil, err
	}
	rec := array.NewRecordBatch(rcSchema(codec.Types()), arrs, int64(len(rows)))
	for _, a := range arrs {
		a.Release()
	}
	return rec, nil
}

// sckFreeList lists the slot ids below n that no entry uses (es sorted),
// highest first so that reuse starts with the lowest.
func sckFreeList(es []sckEntry, n int) []int32 {
	var free []int32
	next := 0
	for _, e := range es {
		for ; next < int(e.slot); next++ {
			free = append(free, int32(next))
		}
		next = int(e.slot) + 1
	}
	for ; next < n; next++ {
		free = append(free, int32(next))
	}
	slices.Reverse(free)
	return free
}

// colGather returns a gather of column stores' slots for sckSnapshotSlots.
func colGather(cols []*colStore, mem memory.Allocator) func([]int32) []arrow.Array {
	return func(slots []int32) []arrow.Array {
		arrs := make([]arrow.Array, len(cols))
		for i, c := range cols {
			arrs[i] = c.gather(slots, mem)
		}
		return arrs
	}
}

// colTypes lists the types of column stores.
func colTypes(cols []*colStore) []arrow.DataType {
	ts := make([]arrow.DataType, len(cols))
	for i, c := range cols {
		ts[i] = c.dt
	}
	return ts
}

// sckMeta is an operator's last written metadata entry: Snapshot writes
// the new encoding only when it differs.
type sckMeta struct{ last []byte }

// write puts val under the meta key when it changed.
func (m *sckMeta) write(w StateWriter, val []byte) error {
	if m.last != nil && bytes.Equal(m.last, val) {
		return nil
	}
	if err := w.Put([]byte{sckTagMeta}, val); err != nil {
		return err
	}
	m.last = append(m.last[:0], val...)
	return nil
}

// sckReader reads varints from a state value, remembering the first error.
type sckReader struct {
	b   []byte
	err error
}

func (r *sckReader) varint() int64 {
	v, n := binary.Varint(r.b)
	r.skip(n)
	return v
}

func (r *sckReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	r.skip(n)
	return v
}

// skip consumes a varint of n bytes; n <= 0 (binary.Varint's truncated or
// overflowing varint, whose value is 0) fails.
func (r *sckReader) skip(n int) {
	if n <= 0 {
		r.fail()
		return
	}
	r.b = r.b[n:]
}

func (r *sckReader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *sckReader) fail() {
	if r.err == nil {
		r.err = fmt.Errorf("truncated state value")
	}
	r.b = nil
}

// appendPorts encodes the watermark bookkeeping of a Ports: each port's
// watermark and whether it is closed, and the forwarded watermark.
// Barrier progress is not kept: epochs after a restore are above every
// epoch it saw.
func appendPorts(dst []byte, p *Ports) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(p.wm)))
	for i, w := range p.wm {
		dst = binary.AppendVarint(dst, w)
		c := byte(0)
		if p.closed[i] {
			c = 1
		}
		dst = append(dst, c)
	}
	return binary.AppendVarint(dst, p.fwdWM)
}

// readPorts restores what appendPorts wrote into p.
func readPorts(r *sckReader, p *Ports) error {
	if n := r.uvarint(); r.err == nil && int(n) != len(p.wm) {
		return fmt.Errorf("state has %d ports, the operator %d", n, len(p.wm))
	}
	p.open = len(p.wm)
	for i := range p.wm {
		p.wm[i] = r.varint()
		p.closed[i] = r.byte() == 1
		p.bar[i] = 0
		if p.closed[i] {
			p.bar[i] = ^uint64(0)
			p.open--
		}
	}
	p.fwdWM = r.varint()
	p.fwdBar = 0
	return r.err
}
