package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// ivSide is the state of one input of an IntervalJoin: the rows it holds
// in row slots (values in Arrow-like column stores, as the regular
// join's; event time, partner flag and key-group links per slot), a key
// index (the regular join's u64Table or bytesTable) from join key to a
// group of slots linked in arrival order, and a min-heap of (event time,
// slot) that frees rows in time order when the other side's watermark
// passes their interval.
type ivSide struct {
	name    string
	cols    []*colStore
	timeCol int
	enc     keyEncoder
	keys    batchKeys
	tbuf    []int64 // the batch's event times
	tnull   []bool  // the batch's NULL event times

	fixedIdx *u64Table   // key → group, fixed mode
	bytesIdx *bytesTable // key → group, bytes mode

	gHead, gTail []int32
	gKeyU        []uint64 // fixed mode: the group's key, to delete it
	gFree        []int32

	// per slot
	times      []int64
	next, prev []int32
	grp        []int32 // -1 when the slot is not linked into a group
	matched    []bool  // has joined at least one row (outer joins)
	free       []int32
	nslots     int
	live       int // rows held (linked, in the heap)

	heap ivHeap
	ck   sckSlots // slots changed since the last Snapshot (interval_join_checkpoint.go)
}

func newIVSide(name string, s *arrow.Schema, enc keyEncoder, timeCol int) (*ivSide, error) {
	if timeCol < 0 || timeCol >= s.NumFields() {
		return nil, fmt.Errorf("interval join %s: time column %d out of range", name, timeCol)
	}
	switch s.Field(timeCol).Type.ID() {
	case arrow.TIMESTAMP, arrow.INT64:
	default:
		return nil, fmt.Errorf("interval join %s: time column %s is %s, want timestamp", name, s.Field(timeCol).Name, s.Field(timeCol).Type)
	}
	sd := &ivSide{name: name, enc: enc, timeCol: timeCol}
	for i, f := range s.Fields() {
		c, err := newColStore(f.Type)
		if err != nil {
			return nil, fmt.Errorf("interval join %s column %s: %w", name, s.Field(i).Name, err)
		}
		sd.cols = append(sd.cols, c)
	}
	if enc.fixed {
		sd.fixedIdx = newU64Table()
	} else {
		sd.bytesIdx = newBytesTable()
	}
	return sd, nil
}

// load encodes the batch's keys and reads its event times.
func (sd *ivSide) load(rec arrow.RecordBatch) {
	n := int(rec.NumRows())
	sd.enc.encode(rec, &sd.keys)
	sd.tbuf = joinResize(sd.tbuf, n)
	sd.tnull = joinResize(sd.tnull, n)
	a := rec.Column(sd.timeCol)
	switch a := a.(type) {
	case *array.Timestamp:
		for i, v := range a.TimestampValues() {
			sd.tbuf[i] = int64(v)
		}
	case *array.Int64:
		copy(sd.tbuf, a.Int64Values())
	}
	clear(sd.tnull)
	if a.NullN() > 0 {
		for i := range sd.tnull {
			sd.tnull[i] = a.IsNull(i)
		}
	}
}

// matchable reports whether batch row i can join: its key and its event
// time are not NULL.
func (sd *ivSide) matchable(i int) bool { return !sd.keys.null[i] && !sd.tnull[i] }

// probe returns the group of k's row i in this side, or -1. k may be the
// other side's keys: the encodings agree.
func (sd *ivSide) probe(k *batchKeys, i int) int32 {
	if sd.fixedIdx != nil {
		return sd.fixedIdx.get(k.u64[i])
	}
	return sd.bytesIdx.get(k.hash[i], k.key(i))
}

// store copies batch rows into new slots (appended to slots) and returns
// them; the slots are not linked into groups yet.
func (sd *ivSide) store(rec arrow.RecordBatch, rows []int32, slots []int32) []int32 {
	slots = slots[:0]
	for _, r := range rows {
		s := sd.newSlot()
		sd.times[s], sd.matched[s], sd.grp[s] = sd.tbuf[r], false, -1
		slots = append(slots, s)
	}
	for c, col := range sd.cols {
		col.copyIn(rec.Column(c), rows, slots)
	}
	return slots
}

func (sd *ivSide) newSlot() int32 {
	if n := len(sd.free); n > 0 {
		s := sd.free[n-1]
		sd.free = sd.free[:n-1]
		return s
	}
	s := int32(sd.nslots)
	sd.nslots++
	sd.times = append(sd.times, 0)
	sd.next = append(sd.next, -1)
	sd.prev = append(sd.prev, -1)
	sd.grp = append(sd.grp, -1)
	sd.matched = append(sd.matched, false)
	for _, c := range sd.cols {
		c.grow(sd.nslots)
	}
	return s
}

// hold links slot s (batch row r) into its key group and the expiry heap.
func (sd *ivSide) hold(s int32, r int) {
	g := sd.groupFor(r)
	sd.grp[s], sd.next[s], sd.prev[s] = g, -1, sd.gTail[g]
	if t := sd.gTail[g]; t >= 0 {
		sd.next[t] = s
	} else {
		sd.gHead[g] = s
	}
	sd.gTail[g] = s
	sd.heap.push(ivTimer{t: sd.times[s], slot: s})
	sd.live++
	sd.ck.touch(s)
}

// groupFor returns the group of batch row r's key, creating it.
func (sd *ivSide) groupFor(r int) int32 {
	k := &sd.keys
	if sd.fixedIdx != nil {
		sd.fixedIdx.reserve()
		pos, ok := sd.fixedIdx.find(k.u64[r])
		if ok {
			return sd.fixedIdx.at(pos)
		}
		g := sd.newGroup()
		sd.fixedIdx.putAt(pos, k.u64[r], g)
		sd.gKeyU[g] = k.u64[r]
		return g
	}
	sd.bytesIdx.reserve()
	pos, ok := sd.bytesIdx.find(k.hash[r], k.key(r))
	if ok {
		return sd.bytesIdx.at(pos)
	}
	g := sd.newGroup()
	sd.bytesIdx.putAt(pos, k.hash[r], k.key(r), g)
	return g
}

func (sd *ivSide) newGroup() int32 {
	if n := len(sd.gFree); n > 0 {
		g := sd.gFree[n-1]
		sd.gFree = sd.gFree[:n-1]
		return g
	}
	g := int32(len(sd.gHead))
	sd.gHead = append(sd.gHead, -1)
	sd.gTail = append(sd.gTail, -1)
	if sd.fixedIdx != nil {
		sd.gKeyU = append(sd.gKeyU, 0)
	}
	return g
}

// unlink takes a held slot out of its group, dropping an emptied group
// from the key index.
func (sd *ivSide) unlink(s int32) {
	g := sd.grp[s]
	p, n := sd.prev[s], sd.next[s]
	if p >= 0 {
		sd.next[p] = n
	} else {
		sd.gHead[g] = n
	}
	if n >= 0 {
		sd.prev[n] = p
	} else {
		sd.gTail[g] = p
	}
	sd.grp[s] = -1
	sd.live--
	if sd.gHead[g] >= 0 {
		return
	}
	if sd.fixedIdx != nil {
		sd.fixedIdx.del(sd.gKeyU[g])
	} else {
		sd.bytesIdx.del(g)
	}
	sd.gFree = append(sd.gFree, g)
}

// release frees slots (unlinked, their output built).
func (sd *ivSide) release(slots []int32) {
	for _, s := range slots {
		for _, c := range sd.cols {
			c.release(s)
		}
		sd.free = append(sd.free, s)
		sd.ck.touch(s)
	}
	for _, c := range sd.cols {
		c.compact(sd.nslots)
	}
}

// minHeld is the earliest event time held, MaxWatermark when none.
func (sd *ivSide) minHeld() int64 {
	if len(sd.heap) == 0 {
		return MaxWatermark
	}
	return sd.heap[0].t
}

// stateBytes estimates the memory of the side's state.
func (sd *ivSide) stateBytes() int64 {
	const perSlot = 8 + 4 + 4 + 4 + 1 // times, next, prev, grp, matched
	const perGroup = 4 + 4 + 8
	b := int64(sd.nslots*perSlot+len(sd.gHead)*perGroup) + int64(cap(sd.heap))*16
	for _, c := range sd.cols {
		b += c.bytes()
	}
	if sd.fixedIdx != nil {
		b += sd.fixedIdx.bytes()
	} else {
		b += sd.bytesIdx.bytes()
	}
	return b
}

// ivTimer is a held row's expiry entry: its event time and slot.
type ivTimer struct {
	t    int64
	slot int32
}

// ivHeap is a 4-ary min-heap of timers by event time: typed (without
// container/heap's interface boxing), shallow, and sifting by moving a
// hole rather than swapping (BenchmarkIntervalJoin spent a quarter of
// its time popping a binary heap).
type ivHeap []ivTimer

func (h *ivHeap) push(x ivTimer) {
	*h = append(*h, x)
	a := *h
	i := len(a) - 1
	for i > 0 {
		p := (i - 1) / 4
		if a[p].t <= x.t {
			break
		}
		a[i] = a[p]
		i = p
	}
	a[i] = x
}

// pop removes and returns the earliest timer.
func (h *ivHeap) pop() ivTimer {
	a := *h
	top := a[0]
	last := len(a) - 1
	a[0] = a[last]
	*h = a[:last]
	if last > 0 {
		h.down(0)
	}
	return top
}

// drain appends the slots of every timer for which expired holds to dst
// and removes them, rebuilding the heap in one pass over it: O(n) rather
// than O(k log n) for k timers.
func (h *ivHeap) drain(dst []int32, expired func(t int64) bool) []int32 {
	a := *h
	kept := a[:0]
	for _, x := range a {
		if expired(x.t) {
			dst = append(dst, x.slot)
		} else {
			kept = append(kept, x)
		}
	}
	*h = kept
	if len(kept) < 2 {
		return dst
	}
	for i := (len(kept) - 2) / 4; i >= 0; i-- {
		h.down(i)
	}
	return dst
}

// down sifts the timer at i down to its place.
func (h *ivHeap) down(i int) {
	a := *h
	n := len(a)
	x := a[i]
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		for k := c + 1; k < min(c+4, n); k++ {
			if a[k].t < a[m].t {
				m = k
			}
		}
		if a[m].t >= x.t {
			break
		}
		a[i] = a[m]
		i = m
	}
	a[i] = x
}
