package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// Normalize's checkpoint: one entry per stored row, keyed by its slot
// (sckSlotKey with tag 0), whose value is the encoded last row of its key
// (the key itself is re-encoded from the row's key columns on Restore).
// commit marks the slots a batch wrote or freed; Snapshot writes those.
// Normalize forwards watermarks as they come, so it has no other state.

var _ Checkpointer = (*Normalize)(nil)

// normCk is Normalize's checkpoint bookkeeping.
type normCk struct {
	slots sckSlots
	codec *RowCodec
}

func (n *Normalize) ckCodec() (*RowCodec, error) {
	if n.ck.codec == nil {
		c, err := NewRowCodecFor(n.schema)
		if err != nil {
			return nil, fmt.Errorf("normalize state: %w", err)
		}
		n.ck.codec = c
	}
	return n.ck.codec, nil
}

// Snapshot implements Checkpointer: the rows of the keys written or
// deleted since the previous Snapshot.
func (n *Normalize) Snapshot(w StateWriter) error {
	if len(n.ck.slots.dirty) == 0 {
		return nil
	}
	codec, err := n.ckCodec()
	if err != nil {
		return err
	}
	noIn := make([]normIn, len(n.store.cols))
	gather := func(slots []int32) []arrow.Array {
		refs := make([]normRef, len(slots))
		for i, s := range slots {
			refs[i] = normRef{Row: -1, Slot: s}
		}
		rec := n.store.build(n.schema, noIn, refs, n.mem)
		defer rec.Release()
		arrs := rec.Columns()
		for _, a := range arrs {
			a.Retain()
		}
		return arrs
	}
	noHeader := func(dst []byte, _ int32) []byte { return dst }
	if err := n.ck.slots.snapshot(w, 0, codec, gather, n.ck.slots.live, noHeader); err != nil {
		return fmt.Errorf("normalize state: %w", err)
	}
	return nil
}

// Restore implements Checkpointer. It must be called on a new Normalize.
func (n *Normalize) Restore(r StateReader) error {
	if n.store.slots > 0 {
		return fmt.Errorf("normalize: restore into an operator that holds state")
	}
	ents, err := sckScanSlots(r, 1, "normalize", nil)
	if err != nil {
		return fmt.Errorf("normalize: restore: %w", err)
	}
	es := ents[0]
	if len(es) == 0 {
		return nil
	}
	if err := n.restoreRows(es); err != nil {
		return fmt.Errorf("normalize: restore: %w", err)
	}
	return nil
}

// restoreRows puts every entry's row back at its slot and indexes its key.
func (n *Normalize) restoreRows(es []sckEntry) error {
	codec, err := n.ckCodec()
	if err != nil {
		return err
	}
	sckSortEntries(es)
	last := int(es[len(es)-1].slot)
	for range last + 1 {
		n.newSlot()
	}
	n.store.free = sckFreeList(es, last+1)
	rows := make([][]byte, len(es))
	for i, e := range es {
		rows[i] = e.val
	}
	rec, err := sckDecodeRows(codec, rows, n.mem)
	if err != nil {
		return err
	}
	defer rec.Release()
	in := make([]normIn, len(n.store.cols))
	for i, col := range rec.Columns() {
		in[i] = normInput(col, n.store.cols[i].kind)
	}
	n.keyArrs = n.keyArrs[:0]
	for _, k := range n.keyCols {
		n.keyArrs = append(n.keyArrs, rec.Column(k))
	}
	n.enc.Encode(n.keyArrs, len(es))
	for i, e := range es {
		k := n.enc.Key(i)
		if _, dup := n.index[string(k)]; dup {
			return fmt.Errorf("slot %d: key stored twice", e.slot)
		}
		n.index[string(k)] = e.slot
		n.keyBytes += int64(len(k))
		n.store.set(e.slot, in, i)
		n.ck.slots.restored(e.slot)
	}
	return nil
}
