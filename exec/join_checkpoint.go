package exec

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The regular join's checkpoint. Each side's distinct stored rows are
// entries keyed by (side, slot id) whose value is the row's multiplicity,
// its match count and its last-change time (for StateTTL), varints, then
// the encoded row. The hot path marks a slot dirty when its count or
// match count changes or it is freed (joinSide.touch); Snapshot writes
// the dirty slots, a Delete for a freed one. The meta entry holds the
// ports' watermarks and closed flags.

var _ Checkpointer = (*Join)(nil)

// joinCk is the Join's checkpoint bookkeeping.
type joinCk struct {
	codecs [2]*RowCodec
	meta   sckMeta
}

// touch marks slot s changed since the last Snapshot.
func (js *joinSide) touch(s int32) {
	if js.rows[s].ck&sckDirty == 0 {
		js.rows[s].ck |= sckDirty
		js.sckDirty = append(js.sckDirty, s)
	}
}

// flag implements sckFlags.
func (js *joinSide) flag(s int32) *uint8 { return &js.rows[s].ck }

func (j *Join) ckCodec(side int) (*RowCodec, error) {
	if j.ck.codecs[side] == nil {
		own, _ := j.sides(side)
		c, err := NewRowCodec(colTypes(own.cols))
		if err != nil {
			return nil, fmt.Errorf("%s %s state: %w", j.Name(), own.name, err)
		}
		j.ck.codecs[side] = c
	}
	return j.ck.codecs[side], nil
}

func (j *Join) ckMem() memory.Allocator {
	if j.mem == nil {
		return memory.DefaultAllocator
	}
	return j.mem
}

// Snapshot implements Checkpointer: the rows changed since the previous
// Snapshot, and the watermarks when they moved.
func (j *Join) Snapshot(w StateWriter) error {
	for side := range 2 {
		js, _ := j.sides(side)
		if len(js.sckDirty) == 0 {
			continue
		}
		codec, err := j.ckCodec(side)
		if err != nil {
			return err
		}
		live := func(s int32) bool { return js.rows[s].count > 0 }
		header := func(dst []byte, s int32) []byte {
			dst = binary.AppendVarint(dst, js.rows[s].count)
			dst = binary.AppendVarint(dst, js.rows[s].match)
			return binary.AppendVarint(dst, js.rows[s].touched)
		}
		if err := sckSnapshotSlots(w, js, js.sckDirty, byte(side), codec, colGather(js.cols, j.ckMem()), live, header); err != nil {
			return fmt.Errorf("%s %s state: %w", j.Name(), js.name, err)
		}
		js.sckDirty = js.sckDirty[:0]
	}
	return j.ck.meta.write(w, j.appendMeta(nil))
}

func (j *Join) appendMeta(dst []byte) []byte {
	dst = binary.AppendVarint(dst, j.wm[0])
	dst = binary.AppendVarint(dst, j.wm[1])
	dst = binary.AppendVarint(dst, j.fwdWM)
	var c byte
	for i, cl := range j.closed {
		if cl {
			c |= 1 << i
		}
	}
	return append(dst, c)
}

func (j *Join) restoreMeta(v []byte) error {
	r := sckReader{b: v}
	j.wm[0], j.wm[1], j.fwdWM = r.varint(), r.varint(), r.varint()
	c := r.byte()
	if r.err != nil {
		return r.err
	}
	for i := range j.closed {
		j.closed[i] = c&(1<<i) != 0
		j.bar[i] = 0
		if j.closed[i] {
			j.bar[i] = math.MaxUint64
		}
	}
	j.fwdBar = 0
	j.ck.meta.last = append([]byte(nil), v...)
	return nil
}

// Restore implements Checkpointer. It must be called on a new Join.
func (j *Join) Restore(r StateReader) error {
	if j.left.nslots+j.right.nslots > 0 {
		return fmt.Errorf("%s: restore into a join that holds state", j.Name())
	}
	ents, err := sckScanSlots(r, 2, "join", j.restoreMeta)
	if err != nil {
		return fmt.Errorf("%s: restore: %w", j.Name(), err)
	}
	for side := range 2 {
		if err := j.restoreSide(side, ents[side]); err != nil {
			js, _ := j.sides(side)
			return fmt.Errorf("%s: restore %s: %w", j.Name(), js.name, err)
		}
	}
	return nil
}

// restoreSide puts every entry's row back at its slot and relinks the
// key groups (in slot order).
func (j *Join) restoreSide(side int, es []sckEntry) error {
	if len(es) == 0 {
		return nil
	}
	js, _ := j.sides(side)
	codec, err := j.ckCodec(side)
	if err != nil {
		return err
	}
	sckSortEntries(es)
	n := int(es[len(es)-1].slot) + 1
	js.rows = make([]joinSlot, n)
	for s := range js.rows {
		js.rows[s] = joinSlot{grp: -1, next: -1, prev: -1, hnext: -1}
	}
	js.nslots = n
	for _, c := range js.cols {
		c.grow(n)
	}
	heads := make([]joinSlot, len(es))
	rows := make([][]byte, len(es))
	for i, e := range es {
		r := sckReader{b: e.val}
		heads[i].count, heads[i].match, heads[i].touched = r.varint(), r.varint(), r.varint()
		if r.err != nil {
			return fmt.Errorf("slot %d: %w", e.slot, r.err)
		}
		if heads[i].count <= 0 {
			return fmt.Errorf("slot %d: count %d", e.slot, heads[i].count)
		}
		rows[i] = r.b
	}
	rec, err := sckDecodeRows(codec, rows, j.ckMem())
	if err != nil {
		return err
	}
	defer rec.Release()
	js.enc.encode(rec, &js.keys)
	hashes := js.hasher.hash(rec)
	idx := make([]int32, len(es))
	slots := make([]int32, len(es))
	for i, e := range es {
		s := e.slot
		g := js.groupFor(i)
		h := heads[i]
		js.rows[s] = joinSlot{count: h.count, match: h.match, hash: hashes[i], touched: h.touched,
			grp: g, next: -1, prev: -1, hnext: -1, ck: sckStored}
		js.link(g, s)
		js.live++
		idx[i], slots[i] = int32(i), s
	}
	for c, col := range js.cols {
		col.copyIn(rec.Column(c), idx, slots)
	}
	js.free = sckFreeList(es, n)
	return nil
}
