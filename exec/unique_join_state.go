package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// ujInput holds the rows one input of a UniqueJoin keeps while their keys
// are in flight: columnar stores indexed by row slot (reused after a key
// leaves), each slot's event time, and the input's key encoder.
type ujInput struct {
	cols   []*colStore
	times  []int64
	free   []int32
	nslots int
	live   int
	enc    keyEncoder
	keys   batchKeys
	ck     sckSlots // slots changed since the last Snapshot (unique_join_checkpoint.go)

	rows, slots []int32 // scratch of push
}

func newUJInput(s *arrow.Schema, enc keyEncoder) (*ujInput, error) {
	in := &ujInput{enc: enc}
	for _, f := range s.Fields() {
		c, err := newColStore(f.Type)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", f.Name, err)
		}
		in.cols = append(in.cols, c)
	}
	return in, nil
}

// alloc returns a free slot for a row at event time t; its values are
// copied in later, per batch (copyIn).
func (in *ujInput) alloc(t int64) int32 {
	in.live++
	if n := len(in.free); n > 0 {
		s := in.free[n-1]
		in.free = in.free[:n-1]
		in.times[s] = t
		in.ck.set(s, true)
		return s
	}
	s := int32(in.nslots)
	in.nslots++
	in.times = append(in.times, t)
	in.ck.set(s, true)
	return s
}

// copyIn stores rec's rows into their slots, column by column.
func (in *ujInput) copyIn(rec arrow.RecordBatch, rows, slots []int32) {
	if len(rows) == 0 {
		return
	}
	for i, c := range in.cols {
		c.grow(in.nslots)
		c.copyIn(rec.Column(i), rows, slots)
	}
}

// release frees a slot.
func (in *ujInput) release(s int32) {
	for _, c := range in.cols {
		c.release(s)
	}
	in.free = append(in.free, s)
	in.live--
	in.ck.set(s, false)
}

// compact rewrites string arenas that are mostly garbage.
func (in *ujInput) compact() {
	for _, c := range in.cols {
		c.compact(in.nslots)
	}
}

func (in *ujInput) bytes() int64 {
	b := int64(len(in.times)*8 + len(in.free)*4)
	for _, c := range in.cols {
		b += c.bytes()
	}
	return b
}

// ujGroups maps in-flight keys to groups: one partial row each, a slot
// per input (-1 while absent). A group's generation changes whenever it
// is freed or handed to emission, which invalidates its pending timers.
type ujGroups struct {
	n     int
	fixed *u64Table
	bytes *bytesTable
	slots []int32 // n per group
	count []int32 // inputs present
	keyU  []uint64
	gen   []uint32
	free  []int32
	live  int
}

func newUJGroups(n int, fixed bool) *ujGroups {
	g := &ujGroups{n: n}
	if fixed {
		g.fixed = newU64Table()
	} else {
		g.bytes = newBytesTable()
	}
	return g
}

// groupFor returns the group of row i's key (k has no NULL at i),
// creating it.
func (gs *ujGroups) groupFor(k *batchKeys, i int) int32 {
	if gs.fixed != nil {
		gs.fixed.reserve()
		pos, ok := gs.fixed.find(k.u64[i])
		if ok {
			return gs.fixed.at(pos)
		}
		g := gs.newGroup()
		gs.fixed.putAt(pos, k.u64[i], g)
		gs.keyU[g] = k.u64[i]
		return g
	}
	gs.bytes.reserve()
	pos, ok := gs.bytes.find(k.hash[i], k.key(i))
	if ok {
		return gs.bytes.at(pos)
	}
	g := gs.newGroup()
	gs.bytes.putAt(pos, k.hash[i], k.key(i), g)
	return g
}

func (gs *ujGroups) newGroup() int32 {
	gs.live++
	if n := len(gs.free); n > 0 {
		g := gs.free[n-1]
		gs.free = gs.free[:n-1]
		return g
	}
	g := int32(len(gs.count))
	for range gs.n {
		gs.slots = append(gs.slots, -1)
	}
	gs.count = append(gs.count, 0)
	gs.keyU = append(gs.keyU, 0)
	gs.gen = append(gs.gen, 0)
	return g
}

func (gs *ujGroups) slot(g int32, i int) int32 { return gs.slots[int(g)*gs.n+i] }

func (gs *ujGroups) set(g int32, i int, s int32) {
	p := int(g)*gs.n + i
	if (gs.slots[p] >= 0) != (s >= 0) {
		if s >= 0 {
			gs.count[g]++
		} else {
			gs.count[g]--
		}
	}
	gs.slots[p] = s
}

// drop removes g's key and frees the group (its slots must be released
// by the caller first).
func (gs *ujGroups) drop(g int32) {
	if gs.fixed != nil {
		gs.fixed.del(gs.keyU[g])
	} else {
		gs.bytes.del(g)
	}
	for i := range gs.n {
		gs.slots[int(g)*gs.n+i] = -1
	}
	gs.count[g] = 0
	gs.gen[g]++
	gs.free = append(gs.free, g)
	gs.live--
}

func (gs *ujGroups) bytesUsed() int64 {
	b := int64(len(gs.slots)*4 + len(gs.count)*16 + len(gs.free)*4)
	if gs.fixed != nil {
		return b + gs.fixed.bytes()
	}
	return b + gs.bytes.bytes()
}

// ujTimer asks to look at group g (if still at generation gen) once the
// watermark passes at.
type ujTimer struct {
	at  int64
	g   int32
	gen uint32
}

// ujHeap is a min-heap of timers by at.
type ujHeap []ujTimer

func (h *ujHeap) push(t ujTimer) {
	*h = append(*h, t)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if s[p].at <= s[i].at {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
}

func (h *ujHeap) pop() ujTimer {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < len(s) && s[l].at < s[m].at {
			m = l
		}
		if r := l + 1; r < len(s) && s[r].at < s[m].at {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}

// timeAt reads an event-time value (TIMESTAMP ms or BIGINT).
func timeAt(a arrow.Array, i int) (int64, bool) {
	if a.IsNull(i) {
		return 0, false
	}
	switch a := a.(type) {
	case *array.Timestamp:
		return int64(a.Value(i)), true
	case *array.Int64:
		return a.Value(i), true
	}
	return 0, false
}
