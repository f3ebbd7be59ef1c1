package exec

import (
	"fmt"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec/agg"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Normalize turns an upsert stream into a retract stream (the operator of
// planner.NormalizeNode). It keeps the last full row of every key:
//
//   - +I or +U of a new key emits +I;
//   - +I or +U of a known key emits -U old, +U new (nothing when the row is
//     identical to the stored one);
//   - -D of a known key emits -D with the stored full row (the input may
//     carry only the key columns) and forgets the key; -D of an unknown key
//     emits nothing;
//   - -U input is ignored: upsert streams may carry it redundantly.
//
// Keys are the bytes of the key columns encoded a batch at a time (see
// agg.KeyEncoder); rows are kept column by column (normStore). Within a batch
// rows are applied in order, and the output is one batch. Push borrows its
// batch and keeps none of it. State is checkpointed incrementally (see
// normalize_checkpoint.go).
type Normalize struct {
	schema *arrow.Schema
	out    Stream
	mem    memory.Allocator

	enc      *agg.KeyEncoder // encodes the key columns of a batch
	keyCols  []int
	keyArrs  []arrow.Array
	index    map[string]int32 // key → slot
	keyBytes int64
	store    normStore
	pending  []int32 // by slot: input row holding its value in this batch, -1 none, -2 deleted
	dirty    []int32 // slots written in this batch
	freed    []int32 // slots deleted in this batch
	in       []normIn
	refs     []normRef
	ck       normCk // checkpoint bookkeeping (normalize_checkpoint.go)
}

var (
	_ Operator      = (*Normalize)(nil)
	_ StateReporter = (*Normalize)(nil)
)

// NewNormalize returns a Normalize over rows of schema keyed by the key
// columns, emitting to out.
func NewNormalize(schema *arrow.Schema, key []int, out Stream, mem memory.Allocator) (*Normalize, error) {
	if len(key) == 0 {
		return nil, fmt.Errorf("no key columns")
	}
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	n := &Normalize{schema: schema, out: out, mem: mem, index: map[string]int32{}}
	for _, f := range schema.Fields() {
		kind, w, err := normLayout(f.Type)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", f.Name, err)
		}
		n.store.cols = append(n.store.cols, normCol{kind: kind, w: w})
	}
	types := make([]catalog.Type, len(key))
	for i, k := range key {
		if k < 0 || k >= len(n.store.cols) {
			return nil, fmt.Errorf("key column %d out of range", k)
		}
		t, err := catalog.FromArrow(schema.Field(k).Type)
		if err != nil {
			return nil, fmt.Errorf("key column %s: %w", schema.Field(k).Name, err)
		}
		types[i] = t
	}
	enc, err := agg.NewKeyEncoder(types)
	if err != nil {
		return nil, fmt.Errorf("normalize: %w", err)
	}
	n.enc, n.keyCols = enc, key
	return n, nil
}

// Name implements Operator.
func (n *Normalize) Name() string { return "normalize" }

// StateSize implements StateReporter.
func (n *Normalize) StateSize() (rows, bytes int64) {
	return int64(len(n.index)), n.store.bytes() + n.keyBytes + int64(len(n.index))*48
}

// Push implements Stream.
func (n *Normalize) Push(b Batch) error {
	rows := b.NumRows()
	if rows == 0 {
		return nil
	}
	if int(b.Rec.NumCols()) != len(n.store.cols) {
		return fmt.Errorf("normalize: batch has %d columns, want %d", b.Rec.NumCols(), len(n.store.cols))
	}
	n.in = n.in[:0]
	for i, col := range b.Rec.Columns() {
		n.in = append(n.in, normInput(col, n.store.cols[i].kind))
	}
	n.keyArrs = n.keyArrs[:0]
	for _, k := range n.keyCols {
		n.keyArrs = append(n.keyArrs, b.Rec.Column(k))
	}
	n.enc.Encode(n.keyArrs, rows)
	n.refs = n.refs[:0]
	var ops []Op
	for r := 0; r < rows; r++ {
		ops = n.apply(b.Op(r), r, ops)
	}
	var rec arrow.RecordBatch
	if len(n.refs) > 0 {
		rec = n.store.build(n.schema, n.in, n.refs, n.mem)
	}
	n.commit()
	if rec == nil {
		return nil
	}
	out := Batch{Rec: rec, Ops: ops}
	defer out.Release()
	return n.out.Push(out)
}

// apply handles input row r and appends the ops of what it emits.
func (n *Normalize) apply(op Op, r int, ops []Op) []Op {
	if op == UpdateBefore {
		return ops
	}
	k := n.enc.Key(r)
	slot, known := n.index[string(k)]
	if op == Delete {
		if !known {
			return ops
		}
		n.refs = append(n.refs, n.current(slot))
		delete(n.index, string(k))
		n.keyBytes -= int64(len(k))
		n.pending[slot] = -2
		n.freed = append(n.freed, slot)
		return append(ops, Delete)
	}
	if !known {
		slot = n.newSlot()
		n.index[string(k)] = slot
		n.keyBytes += int64(len(k))
		n.setPending(slot, r)
		n.refs = append(n.refs, normRef{Row: int32(r), Slot: -1})
		return append(ops, Insert)
	}
	cur := n.current(slot)
	if n.store.equal(n.in, r, cur) {
		return ops
	}
	n.refs = append(n.refs, cur, normRef{Row: int32(r), Slot: -1})
	n.setPending(slot, r)
	return append(ops, UpdateBefore, UpdateAfter)
}

// current is the ref of slot's row as of the row being applied.
func (n *Normalize) current(slot int32) normRef {
	if p := n.pending[slot]; p >= 0 {
		return normRef{Row: p, Slot: slot}
	}
	return normRef{Row: -1, Slot: slot}
}

func (n *Normalize) newSlot() int32 {
	slot := n.store.alloc()
	for int(slot) >= len(n.pending) {
		n.pending = append(n.pending, -1)
	}
	return slot
}

func (n *Normalize) setPending(slot int32, r int) {
	if n.pending[slot] == -1 {
		n.dirty = append(n.dirty, slot)
	}
	n.pending[slot] = int32(r)
}

// commit writes the batch's last row of every written key into the store
// and frees the slots of deleted keys.
func (n *Normalize) commit() {
	for _, slot := range n.dirty {
		if p := n.pending[slot]; p >= 0 {
			n.store.set(slot, n.in, int(p))
			n.ck.slots.set(slot, true)
		}
		n.pending[slot] = -1
	}
	for _, slot := range n.freed {
		n.pending[slot] = -1
		n.store.release(slot)
		n.ck.slots.set(slot, false)
	}
	n.dirty, n.freed = n.dirty[:0], n.freed[:0]
	n.in = n.in[:0]
}

// Watermark implements Stream.
func (n *Normalize) Watermark(t int64) error { return n.out.Watermark(t) }

// Barrier implements Stream.
func (n *Normalize) Barrier(epoch uint64) error { return n.out.Barrier(epoch) }

// Close implements Stream.
func (n *Normalize) Close() error { return n.out.Close() }
