package exec

import (
	"encoding/binary"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The interval join's checkpoint: one entry per held row, keyed by
// (side, slot id), whose value is the row's matched flag (one byte) and
// the encoded row (its event time is its time column). A row's slot is
// marked dirty when it is held, when it first joins and when it is
// released (expired or dropped), so deletes follow the watermark. The
// meta entry holds the ports' watermarks and closed flags, each port's
// last watermark (pw) and the forwarded watermark.

var _ Checkpointer = (*IntervalJoin)(nil)

// ivCk is the IntervalJoin's checkpoint bookkeeping.
type ivCk struct {
	codecs [2]*RowCodec
	meta   sckMeta
}

// setMatched records that left slot l and right slot r joined.
func (j *IntervalJoin) setMatched(l, r int32) {
	if !j.left.matched[l] {
		j.left.matched[l] = true
		j.left.ck.touch(l)
	}
	if !j.right.matched[r] {
		j.right.matched[r] = true
		j.right.ck.touch(r)
	}
}

func (j *IntervalJoin) ckCodec(side int) (*RowCodec, error) {
	if j.ck.codecs[side] == nil {
		sd, _ := j.sides(side)
		c, err := NewRowCodec(colTypes(sd.cols))
		if err != nil {
			return nil, fmt.Errorf("%s %s state: %w", j.Name(), sd.name, err)
		}
		j.ck.codecs[side] = c
	}
	return j.ck.codecs[side], nil
}

func (j *IntervalJoin) ckMem() memory.Allocator {
	if j.mem == nil {
		return memory.DefaultAllocator
	}
	return j.mem
}

// Snapshot implements Checkpointer: the rows held, joined or released
// since the previous Snapshot, and the watermarks when they moved.
func (j *IntervalJoin) Snapshot(w StateWriter) error {
	for side := range 2 {
		sd, _ := j.sides(side)
		if len(sd.ck.dirty) == 0 {
			continue
		}
		codec, err := j.ckCodec(side)
		if err != nil {
			return err
		}
		live := func(s int32) bool { return sd.grp[s] >= 0 }
		header := func(dst []byte, s int32) []byte {
			if sd.matched[s] {
				return append(dst, 1)
			}
			return append(dst, 0)
		}
		if err := sd.ck.snapshot(w, byte(side), codec, colGather(sd.cols, j.ckMem()), live, header); err != nil {
			return fmt.Errorf("%s %s state: %w", j.Name(), sd.name, err)
		}
	}
	meta := binary.AppendVarint(nil, j.pw[0])
	meta = binary.AppendVarint(meta, j.pw[1])
	meta = binary.AppendVarint(meta, j.fwdWM)
	meta = appendPorts(meta, j.ports)
	return j.ck.meta.write(w, meta)
}

func (j *IntervalJoin) restoreMeta(v []byte) error {
	r := sckReader{b: v}
	j.pw[0], j.pw[1], j.fwdWM = r.varint(), r.varint(), r.varint()
	if err := readPorts(&r, j.ports); err != nil {
		return err
	}
	j.ck.meta.last = append([]byte(nil), v...)
	return nil
}

// Restore implements Checkpointer. It must be called on a new
// IntervalJoin.
func (j *IntervalJoin) Restore(r StateReader) error {
	if j.left.nslots+j.right.nslots > 0 {
		return fmt.Errorf("%s: restore into a join that holds state", j.Name())
	}
	ents, err := sckScanSlots(r, 2, "interval join", j.restoreMeta)
	if err != nil {
		return fmt.Errorf("%s: restore: %w", j.Name(), err)
	}
	for side := range 2 {
		if err := j.restoreSide(side, ents[side]); err != nil {
			sd, _ := j.sides(side)
			return fmt.Errorf("%s: restore %s: %w", j.Name(), sd.name, err)
		}
	}
	j.notePeak()
	return nil
}

// restoreSide puts every entry's row back at its slot and holds it again
// (key group in slot order, expiry heap).
func (j *IntervalJoin) restoreSide(side int, es []sckEntry) error {
	if len(es) == 0 {
		return nil
	}
	sd, _ := j.sides(side)
	codec, err := j.ckCodec(side)
	if err != nil {
		return err
	}
	sckSortEntries(es)
	n := int(es[len(es)-1].slot) + 1
	for range n {
		sd.newSlot()
	}
	sd.free = sckFreeList(es, n)
	rows := make([][]byte, len(es))
	matched := make([]bool, len(es))
	for i, e := range es {
		if len(e.val) == 0 {
			return fmt.Errorf("slot %d: empty value", e.slot)
		}
		matched[i], rows[i] = e.val[0] == 1, e.val[1:]
	}
	rec, err := sckDecodeRows(codec, rows, j.ckMem())
	if err != nil {
		return err
	}
	defer rec.Release()
	sd.load(rec)
	idx := make([]int32, len(es))
	slots := make([]int32, len(es))
	for i, e := range es {
		if !sd.matchable(i) {
			return fmt.Errorf("slot %d: a held row with a NULL key or time", e.slot)
		}
		s := e.slot
		sd.times[s], sd.matched[s] = sd.tbuf[i], matched[i]
		sd.hold(s, i)
		idx[i], slots[i] = int32(i), s
	}
	for c, col := range sd.cols {
		col.copyIn(rec.Column(c), idx, slots)
	}
	// hold marked the slots dirty: they are what the store holds.
	sd.ck.dirty = sd.ck.dirty[:0]
	for _, e := range es {
		sd.ck.flags[e.slot] = sckStored | sckLive
	}
	return nil
}
