package exec

import (
	"fmt"
	"hash/maphash"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
)

// bigGroup is the number of distinct rows above which a key group's rows
// are also indexed by row hash, so that finding a duplicate or a retracted
// row stays one probe under a skewed key. Below it a walk of the group is
// cheaper than the index: BenchmarkJoinFanout (8 rows per key) ran at
// about half the speed with every group of more than 4 rows indexed.
const bigGroup = 16

// joinSlot is one stored distinct row's bookkeeping (its values live in
// the side's column stores at the same slot index).
type joinSlot struct {
	count   int64  // multiplicity; 0 for a free slot
	match   int64  // partner rows (with multiplicity) passing the residual
	hash    uint64 // full-row hash
	touched int64  // processing time (ms) of the last change, for TTL
	grp     int32
	next    int32 // next / previous slot of the key group
	prev    int32
	hnext   int32 // next slot with the same row hash (big groups)
	fresh   int32 // batch row + 1 while created in the current batch
	indexed bool  // in byHash (the row's group is big)
	ck      uint8 // checkpoint flags (sckDirty, sckStored; see join_checkpoint.go)
}

// joinSide is the state of one input of a Join: its distinct rows in row
// slots (columnar values in cols, a multiplicity count per slot, so
// duplicates are counted, not copied), grouped by join key. Slots of one
// key group form a doubly linked list in insertion order; rows with a
// NULL key sit in their own group that the other side never probes.
type joinSide struct {
	name   string
	cols   []*colStore
	enc    keyEncoder
	keys   batchKeys
	hasher rowHasher

	fixedIdx  *u64Table   // key → group, fixed mode
	bytesIdx  *bytesTable // key → group, bytes mode
	nullGroup int32

	gHead, gTail, gSize []int32
	gBig                []bool
	gKeyU               []uint64
	gFree               []int32

	rows   []joinSlot
	byHash *u64Table // row hash → a slot of a big group (chained by hnext)

	freshRows   []int32
	freshSlots  []int32
	free        []int32
	pendingFree []int32 // slots emptied in this batch, freed after output
	nslots      int
	live        int

	sckDirty []int32 // slots changed since the last Snapshot (join_checkpoint.go)
}

func newJoinSide(name string, s *arrow.Schema, enc keyEncoder) (*joinSide, error) {
	js := &joinSide{name: name, enc: enc, nullGroup: -1, byHash: newU64Table()}
	js.hasher.seed = maphash.MakeSeed()
	for i, f := range s.Fields() {
		c, err := newColStore(f.Type)
		if err != nil {
			return nil, fmt.Errorf("join %s column %s: %w", name, s.Field(i).Name, err)
		}
		js.cols = append(js.cols, c)
	}
	if enc.fixed {
		js.fixedIdx = newU64Table()
	} else {
		js.bytesIdx = newBytesTable()
	}
	return js, nil
}

// probe returns the group of k's row i in this side, or -1 (NULL keys
// never match). k may be the other side's keys: encodings agree.
func (js *joinSide) probe(k *batchKeys, i int) int32 {
	if k.null[i] {
		return -1
	}
	if js.fixedIdx != nil {
		return js.fixedIdx.get(k.u64[i])
	}
	return js.bytesIdx.get(k.hash[i], k.key(i))
}

// groupFor returns the group of this side's batch row i, creating it.
func (js *joinSide) groupFor(i int) int32 {
	k := &js.keys
	if k.null[i] {
		if js.nullGroup < 0 {
			js.nullGroup = js.newGroup()
		}
		return js.nullGroup
	}
	if js.fixedIdx != nil {
		js.fixedIdx.reserve()
		pos, ok := js.fixedIdx.find(k.u64[i])
		if ok {
			return js.fixedIdx.at(pos)
		}
		g := js.newGroup()
		js.fixedIdx.putAt(pos, k.u64[i], g)
		js.gKeyU[g] = k.u64[i]
		return g
	}
	js.bytesIdx.reserve()
	pos, ok := js.bytesIdx.find(k.hash[i], k.key(i))
	if ok {
		return js.bytesIdx.at(pos)
	}
	g := js.newGroup()
	js.bytesIdx.putAt(pos, k.hash[i], k.key(i), g)
	return g
}

func (js *joinSide) newGroup() int32 {
	if n := len(js.gFree); n > 0 {
		g := js.gFree[n-1]
		js.gFree = js.gFree[:n-1]
		return g
	}
	g := int32(len(js.gHead))
	js.gHead = append(js.gHead, -1)
	js.gTail = append(js.gTail, -1)
	js.gSize = append(js.gSize, 0)
	js.gBig = append(js.gBig, false)
	if js.fixedIdx != nil {
		js.gKeyU = append(js.gKeyU, 0)
	}
	return g
}

// dropGroup forgets an empty group.
func (js *joinSide) dropGroup(g int32) {
	switch {
	case g == js.nullGroup:
		js.nullGroup = -1
	case js.fixedIdx != nil:
		js.fixedIdx.del(js.gKeyU[g])
	default:
		js.bytesIdx.del(g)
	}
	js.gHead[g], js.gTail[g], js.gSize[g], js.gBig[g] = -1, -1, 0, false
	js.gFree = append(js.gFree, g)
}

// find returns the slot of group g holding row r of rec (hash h), or -1.
func (js *joinSide) find(g int32, h uint64, rec arrow.RecordBatch, r int) int32 {
	if js.gBig[g] {
		for s := js.byHash.get(h); s >= 0; s = js.rows[s].hnext {
			if js.rows[s].grp == g && js.equal(s, rec, r) {
				return s
			}
		}
		return -1
	}
	for s := js.gHead[g]; s >= 0; s = js.rows[s].next {
		if js.rows[s].hash == h && js.equal(s, rec, r) {
			return s
		}
	}
	return -1
}

// equal compares a slot with a batch row; slots created in this batch
// compare against the batch row they came from.
func (js *joinSide) equal(s int32, rec arrow.RecordBatch, r int) bool {
	if f := js.rows[s].fresh; f > 0 {
		return rowsEqual(rec, r, int(f-1))
	}
	for c, col := range js.cols {
		if !col.equalRow(s, rec.Column(c), r) {
			return false
		}
	}
	return true
}

// insert adds one copy of row r (group g, hash h) and returns its slot.
func (js *joinSide) insert(g int32, h uint64, rec arrow.RecordBatch, r int, now int64) int32 {
	s := js.find(g, h, rec, r)
	if s < 0 {
		s = js.newSlot()
		js.rows[s].hash, js.rows[s].grp, js.rows[s].match = h, g, 0
		js.rows[s].fresh = int32(r + 1)
		js.freshRows = append(js.freshRows, int32(r))
		js.freshSlots = append(js.freshSlots, s)
		js.link(g, s)
		js.live++
	}
	js.rows[s].count++
	js.rows[s].touched = now
	js.touch(s)
	return s
}

// retract removes one copy of row r; it returns the slot (whose values
// stay readable until endBatch) or -1 when the row is not in state.
//
// A slot whose count drops to 0 stays in its group until endBatch, so
// that the usual -U/+U of one row (an upsert that did not change it, or a
// delete and re-insert) revives the slot: no new slot, no copy of its
// values, no churn of the key index.
func (js *joinSide) retract(g int32, h uint64, rec arrow.RecordBatch, r int, now int64) int32 {
	s := js.find(g, h, rec, r)
	if s < 0 || js.rows[s].count == 0 {
		return -1
	}
	js.rows[s].count--
	js.rows[s].touched = now
	js.touch(s)
	if js.rows[s].count == 0 {
		js.pendingFree = append(js.pendingFree, s)
	}
	return s
}

func (js *joinSide) newSlot() int32 {
	if n := len(js.free); n > 0 {
		s := js.free[n-1]
		js.free = js.free[:n-1]
		return s
	}
	s := int32(js.nslots)
	js.nslots++
	if len(js.rows) == cap(js.rows) {
		js.rows = slices.Grow(js.rows, max(len(js.rows), 64)) // double, not 1.25x
	}
	js.rows = append(js.rows, joinSlot{grp: -1, next: -1, prev: -1, hnext: -1})
	for _, c := range js.cols {
		c.grow(js.nslots)
	}
	return s
}

// link appends slot s to group g.
func (js *joinSide) link(g, s int32) {
	js.rows[s].next, js.rows[s].prev = -1, js.gTail[g]
	if t := js.gTail[g]; t >= 0 {
		js.rows[t].next = s
	} else {
		js.gHead[g] = s
	}
	js.gTail[g] = s
	js.gSize[g]++
	switch {
	case js.gBig[g]:
		js.index(s)
	case js.gSize[g] > bigGroup:
		js.gBig[g] = true
		for t := js.gHead[g]; t >= 0; t = js.rows[t].next {
			js.index(t)
		}
	}
}

// remove unlinks slot s from its group, dropping the group when empty.
func (js *joinSide) remove(s int32) {
	g := js.rows[s].grp
	p, n := js.rows[s].prev, js.rows[s].next
	if p >= 0 {
		js.rows[p].next = n
	} else {
		js.gHead[g] = n
	}
	if n >= 0 {
		js.rows[n].prev = p
	} else {
		js.gTail[g] = p
	}
	if js.rows[s].indexed {
		js.unindex(s)
	}
	js.live--
	if js.gSize[g]--; js.gSize[g] == 0 {
		js.dropGroup(g)
	}
}

// index puts slot s at the head of its row hash's chain.
func (js *joinSide) index(s int32) {
	h := js.rows[s].hash
	js.rows[s].indexed = true
	js.byHash.reserve()
	pos, ok := js.byHash.find(h)
	if ok {
		js.rows[s].hnext = js.byHash.at(pos)
		js.byHash.setAt(pos, s)
		return
	}
	js.rows[s].hnext = -1
	js.byHash.putAt(pos, h, s)
}

// unindex takes slot s out of its row hash's chain.
func (js *joinSide) unindex(s int32) {
	h := js.rows[s].hash
	js.rows[s].indexed = false
	pos, _ := js.byHash.find(h)
	head := js.byHash.at(pos)
	if head == s {
		if js.rows[s].hnext >= 0 {
			js.byHash.setAt(pos, js.rows[s].hnext)
		} else {
			js.byHash.del(h)
		}
		return
	}
	for t := head; t >= 0; t = js.rows[t].hnext {
		if js.rows[t].hnext == s {
			js.rows[t].hnext = js.rows[s].hnext
			return
		}
	}
}

// storeFresh copies the values of the slots created in this batch into
// the column stores, one typed loop per column.
func (js *joinSide) storeFresh(rec arrow.RecordBatch) {
	if len(js.freshSlots) == 0 {
		return
	}
	for c, col := range js.cols {
		col.copyIn(rec.Column(c), js.freshRows, js.freshSlots)
	}
	for _, s := range js.freshSlots {
		js.rows[s].fresh = 0
	}
	js.freshRows, js.freshSlots = js.freshRows[:0], js.freshSlots[:0]
}

// endBatch frees the slots emptied by the batch (and not revived), once
// output is built. A slot may be listed twice; freeSlot marks it freed.
func (js *joinSide) endBatch() {
	for _, s := range js.pendingFree {
		if js.rows[s].count == 0 && js.rows[s].grp >= 0 {
			js.remove(s)
			js.freeSlot(s)
		}
	}
	js.pendingFree = js.pendingFree[:0]
	for _, c := range js.cols {
		c.compact(js.nslots)
	}
}

func (js *joinSide) freeSlot(s int32) {
	for _, c := range js.cols {
		c.release(s)
	}
	js.rows[s].count, js.rows[s].grp = 0, -1
	js.touch(s)
	js.free = append(js.free, s)
}

// stateBytes estimates the memory of the side's state.
func (js *joinSide) stateBytes() int64 {
	const perSlot = 56                 // joinSlot
	const perGroup = 4 + 4 + 4 + 1 + 8 // arrays
	b := int64(js.nslots*perSlot+len(js.gHead)*perGroup) + js.byHash.bytes()
	for _, c := range js.cols {
		b += c.bytes()
	}
	if js.fixedIdx != nil {
		b += js.fixedIdx.bytes()
	} else {
		b += js.bytesIdx.bytes()
	}
	return b
}
