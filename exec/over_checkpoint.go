package exec

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/exec/agg"
	"github.com/sqlstream/sqlstream/planner"
)

// OVER's checkpoint. Entries:
//
//   - a row slot (sckSlotKey, tag 0): a flag byte (1: waiting for the
//     watermark, 0: kept for LAG), for a waiting row its partition,
//     event time and arrival number (varints), then the encoded row;
//   - a partition (sckTagPart, id as 4 bytes big endian): its key
//     (length-prefixed), its emitted row count, its LAG ring (slot ids)
//     and the state of each running aggregate (agg.State);
//   - the meta entry: the arrival counter, the input and forwarded
//     watermarks and whether the input closed.
//
// Slots are marked dirty when rows arrive, move from waiting to the LAG
// ring, or are freed; partitions when created and when they emit rows.

var _ Checkpointer = (*Over)(nil)

// overCk is the Over's checkpoint bookkeeping.
type overCk struct {
	slots sckSlots
	wait  []overRow // by slot: the waiting row it holds (slot -1: LAG history)
	parts sckSlots  // by partition id
	keys  []string  // partition keys by id
	codec *RowCodec
	meta  sckMeta
}

// waiting records the row waiting in r.slot.
func (c *overCk) waiting(r overRow) {
	for int(r.slot) >= len(c.wait) {
		c.wait = append(c.wait, overRow{slot: -1})
	}
	c.wait[r.slot] = r
}

// toHistory records that slot s now holds a row LAG reads.
func (c *overCk) toHistory(s int32) {
	c.wait[s].slot = -1
	c.slots.touch(s)
}

// newPart records a new partition's key (its id is the next one).
func (c *overCk) newPart(key string) {
	c.parts.set(int32(len(c.keys)), true)
	c.keys = append(c.keys, key)
}

func (o *Over) ckMem() memory.Allocator {
	if o.mem == nil {
		return memory.DefaultAllocator
	}
	return o.mem
}

func (o *Over) ckCodec() (*RowCodec, error) {
	if o.ck.codec == nil {
		c, err := NewRowCodecFor(o.cfg.Input.Arrow())
		if err != nil {
			return nil, fmt.Errorf("over state: %w", err)
		}
		o.ck.codec = c
	}
	return o.ck.codec, nil
}

// ckAcc returns call i's accumulator as an agg.State.
func (o *Over) ckAcc(i int) (agg.State, error) {
	st, ok := o.accs[i].(agg.State)
	if !ok {
		return nil, fmt.Errorf("over state: the accumulator of call %d (%T) cannot be checkpointed", i, o.accs[i])
	}
	return st, nil
}

func overPartKey(pid int32) []byte {
	return binary.BigEndian.AppendUint32([]byte{sckTagPart}, uint32(pid))
}

// Snapshot implements Checkpointer: the rows and partitions changed since
// the previous Snapshot, and the counters and watermarks when they moved.
func (o *Over) Snapshot(w StateWriter) error {
	if o.store == nil {
		// Closed: the state is gone; so are its entries.
		if err := o.ckDropAll(w); err != nil {
			return err
		}
	} else {
		if err := o.ckSnapshotSlots(w); err != nil {
			return err
		}
		if err := o.ckSnapshotParts(w); err != nil {
			return err
		}
	}
	meta := binary.AppendUvarint(nil, o.seq)
	meta = binary.AppendVarint(meta, o.inWm)
	meta = binary.AppendVarint(meta, o.outWm)
	if o.closed {
		meta = append(meta, 1)
	} else {
		meta = append(meta, 0)
	}
	return o.ck.meta.write(w, meta)
}

func (o *Over) ckSnapshotSlots(w StateWriter) error {
	if len(o.ck.slots.dirty) == 0 {
		return nil
	}
	codec, err := o.ckCodec()
	if err != nil {
		return err
	}
	header := func(dst []byte, s int32) []byte {
		if int(s) >= len(o.ck.wait) || o.ck.wait[s].slot < 0 {
			return append(dst, 0)
		}
		r := o.ck.wait[s]
		dst = append(dst, 1)
		dst = binary.AppendVarint(dst, int64(r.pid))
		dst = binary.AppendVarint(dst, r.time)
		return binary.AppendUvarint(dst, r.seq)
	}
	gather := func(slots []int32) []arrow.Array {
		arrs := make([]arrow.Array, len(o.store.cols))
		for i := range o.store.cols {
			arrs[i] = o.store.gather(i, slots, o.ckMem())
		}
		return arrs
	}
	if err := o.ck.slots.snapshot(w, 0, codec, gather, o.ck.slots.live, header); err != nil {
		return fmt.Errorf("over state: %w", err)
	}
	return nil
}

func (o *Over) ckSnapshotParts(w StateWriter) error {
	var val []byte
	for _, pid := range o.ck.parts.dirty {
		var err error
		if val, err = o.appendPart(val[:0], pid); err != nil {
			return err
		}
		if err := w.Put(overPartKey(pid), val); err != nil {
			return err
		}
		f := o.ck.parts.flag(pid)
		*f = (*f | sckStored) &^ sckDirty
	}
	o.ck.parts.dirty = o.ck.parts.dirty[:0]
	return nil
}

// appendPart encodes partition pid's carried state.
func (o *Over) appendPart(dst []byte, pid int32) ([]byte, error) {
	key := o.ck.keys[pid]
	dst = binary.AppendUvarint(dst, uint64(len(key)))
	dst = append(dst, key...)
	dst = binary.AppendVarint(dst, o.count[pid])
	h := int(o.lagDepth)
	for _, s := range o.hist[int(pid)*h : int(pid+1)*h] {
		dst = binary.AppendVarint(dst, int64(s))
	}
	for i, c := range o.cfg.Calls {
		if c.Func != planner.OverAgg {
			continue
		}
		st, err := o.ckAcc(i)
		if err != nil {
			return nil, err
		}
		dst = st.AppendState(dst, pid)
	}
	return dst, nil
}

// ckDropAll deletes every entry the store holds (after Close).
func (o *Over) ckDropAll(w StateWriter) error {
	var key []byte
	for s, f := range o.ck.slots.flags {
		if f&sckStored != 0 {
			if err := w.Delete(sckSlotKey(key, 0, int32(s))); err != nil {
				return err
			}
		}
		o.ck.slots.flags[s] = 0
	}
	for pid, f := range o.ck.parts.flags {
		if f&sckStored != 0 {
			if err := w.Delete(overPartKey(int32(pid))); err != nil {
				return err
			}
		}
		o.ck.parts.flags[pid] = 0
	}
	o.ck.slots.dirty, o.ck.parts.dirty = o.ck.slots.dirty[:0], o.ck.parts.dirty[:0]
	return nil
}

// Restore implements Checkpointer. It must be called on a new Over.
func (o *Over) Restore(r StateReader) error {
	if o.store == nil || o.store.nslots > 0 || len(o.pend) > 0 {
		return fmt.Errorf("over: restore into an operator that holds state")
	}
	var slots, parts []sckEntry
	var meta []byte
	err := r.Scan(func(k, v []byte) error {
		v = append([]byte(nil), v...)
		switch {
		case len(k) == 1 && k[0] == sckTagMeta:
			meta = v
		case len(k) == 5 && k[0] == sckTagPart:
			parts = append(parts, sckEntry{slot: int32(binary.BigEndian.Uint32(k[1:])), val: v})
		default:
			tag, s, err := sckParseSlotKey(k)
			if err != nil || tag != 0 {
				return fmt.Errorf("bad over state key %x", k)
			}
			slots = append(slots, sckEntry{slot: s, val: v})
		}
		return nil
	})
	if err == nil && meta != nil {
		err = o.restoreMeta(meta)
	}
	if err == nil {
		err = o.restoreParts(parts)
	}
	if err == nil {
		err = o.restoreSlots(slots)
	}
	if err != nil {
		return fmt.Errorf("over: restore: %w", err)
	}
	if o.closed {
		o.store = nil
	}
	return nil
}

func (o *Over) restoreMeta(v []byte) error {
	r := sckReader{b: v}
	o.seq = r.uvarint()
	o.inWm, o.outWm = r.varint(), r.varint()
	o.closed = r.byte() == 1
	if r.err != nil {
		return r.err
	}
	o.ck.meta.last = v
	return nil
}

// restoreParts recreates the partitions in id order with their counts,
// LAG rings and accumulators.
func (o *Over) restoreParts(es []sckEntry) error {
	sckSortEntries(es)
	h := int(o.lagDepth)
	for i, e := range es {
		if int(e.slot) != i {
			return fmt.Errorf("partition %d missing", i)
		}
		r := sckReader{b: e.val}
		n := r.uvarint()
		if r.err != nil || uint64(len(r.b)) < n {
			return fmt.Errorf("partition %d: truncated key", i)
		}
		key := string(r.b[:n])
		r.b = r.b[n:]
		if pid := o.partition(key); pid != e.slot {
			return fmt.Errorf("partition %d: key already restored as %d", e.slot, pid)
		}
		o.count[e.slot] = r.varint()
		for k := range h {
			o.hist[int(e.slot)*h+k] = int32(r.varint())
		}
		if r.err != nil {
			return fmt.Errorf("partition %d: %w", e.slot, r.err)
		}
		rest := r.b
		for ci, c := range o.cfg.Calls {
			if c.Func != planner.OverAgg {
				continue
			}
			st, err := o.ckAcc(ci)
			if err != nil {
				return err
			}
			if rest, err = st.RestoreState(rest, e.slot); err != nil {
				return fmt.Errorf("partition %d call %d: %w", e.slot, ci, err)
			}
		}
		if len(rest) != 0 {
			return fmt.Errorf("partition %d: %d bytes left over", e.slot, len(rest))
		}
	}
	// The restored partitions are what the store holds; one NewOver made
	// (the single partition without PARTITION BY) stays to be written.
	o.ck.parts.dirty = o.ck.parts.dirty[:0]
	for pid := range o.ck.parts.flags {
		if pid < len(es) {
			o.ck.parts.flags[pid] = sckStored | sckLive
			continue
		}
		o.ck.parts.flags[pid] = sckLive
		o.ck.parts.touch(int32(pid))
	}
	return nil
}

// restoreSlots puts every row back at its slot; waiting rows wait again.
func (o *Over) restoreSlots(es []sckEntry) error {
	if len(es) == 0 {
		return nil
	}
	codec, err := o.ckCodec()
	if err != nil {
		return err
	}
	sckSortEntries(es)
	n := int(es[len(es)-1].slot) + 1
	o.store.nslots = n
	o.store.free = sckFreeList(es, n)
	rows := make([][]byte, len(es))
	idx := make([]int32, len(es))
	slots := make([]int32, len(es))
	for i, e := range es {
		r := sckReader{b: e.val}
		if r.byte() == 1 {
			row := overRow{slot: e.slot, pid: int32(r.varint()), time: r.varint(), seq: r.uvarint()}
			if r.err == nil && (row.pid < 0 || int(row.pid) >= len(o.count)) {
				return fmt.Errorf("slot %d: unknown partition %d", e.slot, row.pid)
			}
			o.pend = append(o.pend, row)
			o.ck.waiting(row)
		}
		if r.err != nil {
			return fmt.Errorf("slot %d: %w", e.slot, r.err)
		}
		rows[i], idx[i], slots[i] = r.b, int32(i), e.slot
		o.ck.slots.restored(e.slot)
	}
	slices.SortFunc(o.pend, func(a, b overRow) int {
		switch {
		case a.seq < b.seq:
			return -1
		case a.seq > b.seq:
			return 1
		}
		return 0
	})
	rec, err := sckDecodeRows(codec, rows, o.ckMem())
	if err != nil {
		return err
	}
	defer rec.Release()
	for c, col := range o.store.cols {
		col.grow(n)
		col.copyIn(rec.Column(c), idx, slots)
	}
	return nil
}
