package exec

import "math/bits"

// aggKeyTable is an open-addressing hash table (linear probing, load ≤ 1/2,
// backward-shift deletion, so no tombstones) from a uint64 key to a group
// id. The zero slot is empty: ids are stored plus one.
type aggKeyTable struct {
	slots []aggKeySlot // power-of-two length
	shift uint         // 64 - log2(len(slots))
	n     int
}

type aggKeySlot struct {
	key uint64
	id  int32 // group id + 1; 0 marks an empty slot
}

func newAggKeyTable() aggKeyTable { return aggKeyTable{slots: make([]aggKeySlot, 16), shift: 64 - 4} }

// home is the slot a key hashes to (Fibonacci hashing of a folded key).
func (t *aggKeyTable) home(k uint64) int {
	k ^= k >> 32
	return int((k * 0x9E3779B97F4A7C15) >> t.shift)
}

// lookup returns the id of key k, false when absent.
func (t *aggKeyTable) lookup(k uint64) (int32, bool) {
	mask := len(t.slots) - 1
	for i := t.home(k); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.id == 0 {
			return 0, false
		}
		if s.key == k {
			return s.id - 1, true
		}
	}
}

// insert adds key k (absent) with id g.
func (t *aggKeyTable) insert(k uint64, g int32) {
	if 2*(t.n+1) > len(t.slots) {
		t.resize(2 * len(t.slots))
	}
	t.put(k, g+1)
	t.n++
}

func (t *aggKeyTable) put(k uint64, id int32) {
	mask := len(t.slots) - 1
	i := t.home(k)
	for t.slots[i].id != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = aggKeySlot{key: k, id: id}
}

func (t *aggKeyTable) resize(n int) {
	old := t.slots
	t.slots = make([]aggKeySlot, n)
	t.shift = uint(64 - bits.Len(uint(n-1)))
	for _, s := range old {
		if s.id != 0 {
			t.put(s.key, s.id)
		}
	}
}

// remove deletes key k if present, shifting later entries of its probe
// run back so that lookups need no tombstones.
func (t *aggKeyTable) remove(k uint64) {
	mask := len(t.slots) - 1
	i := t.home(k)
	for ; t.slots[i].key != k || t.slots[i].id == 0; i = (i + 1) & mask {
		if t.slots[i].id == 0 {
			return
		}
	}
	for j := (i + 1) & mask; t.slots[j].id != 0; j = (j + 1) & mask {
		if h := t.home(t.slots[j].key); (j-h)&mask >= (j-i)&mask {
			t.slots[i] = t.slots[j]
			i = j
		}
	}
	t.slots[i] = aggKeySlot{}
	t.n--
}

func (t *aggKeyTable) bytes() int64 { return int64(cap(t.slots)) * 16 }
