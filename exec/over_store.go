package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// overStore holds the rows an Over operator keeps (rows waiting for the
// watermark, and the last rows of each partition that LAG reads) in
// columnar slots, one colStore per input column. Slots are reused once
// freed.
type overStore struct {
	cols   []*colStore
	free   []int32
	nslots int
	ck     *sckSlots // the Over's changed slots (over_checkpoint.go)
}

func newOverStore(s *arrow.Schema) (*overStore, error) {
	st := &overStore{cols: make([]*colStore, s.NumFields())}
	for i, f := range s.Fields() {
		c, err := newColStore(f.Type)
		if err != nil {
			return nil, err
		}
		st.cols[i] = c
	}
	return st, nil
}

// add copies rows of rec into fresh slots, returned in the order of rows.
func (s *overStore) add(rec arrow.RecordBatch, rows []int32) []int32 {
	slots := make([]int32, len(rows))
	for i := range rows {
		if n := len(s.free); n > 0 {
			slots[i] = s.free[n-1]
			s.free = s.free[:n-1]
			continue
		}
		slots[i] = int32(s.nslots)
		s.nslots++
	}
	for _, slot := range slots {
		s.ck.set(slot, true)
	}
	for c, col := range s.cols {
		col.grow(s.nslots)
		col.copyIn(rec.Column(c), rows, slots)
	}
	return slots
}

// release frees a slot.
func (s *overStore) release(slot int32) {
	for _, c := range s.cols {
		c.release(slot)
	}
	s.free = append(s.free, slot)
	s.ck.set(slot, false)
}

// compact reclaims string arenas that are mostly garbage.
func (s *overStore) compact() {
	for _, c := range s.cols {
		c.compact(s.nslots)
	}
}

// gather builds column c's values at slots (NULL for -1); the caller
// releases the array.
func (s *overStore) gather(c int, slots []int32, mem memory.Allocator) arrow.Array {
	return s.cols[c].gather(slots, mem)
}

// live is the number of occupied slots.
func (s *overStore) live() int64 { return int64(s.nslots - len(s.free)) }

func (s *overStore) bytes() int64 {
	n := int64(4 * cap(s.free))
	for _, c := range s.cols {
		n += c.bytes()
	}
	return n
}
