package agg

// pairTable is an open-addressing (linear probing) table of counts keyed
// by a distinctKey, one probe sequence per update: the DISTINCT state of
// every group of an accumulator. A count of zero marks a free slot;
// deletion shifts the following entries back, so there are no tombstones.
type pairTable[K distinctKey] struct {
	slots []pairSlot[K]
	mask  uint64
	n     int // live entries
}

type pairSlot[K distinctKey] struct {
	key K
	n   int64 // > 0; 0 marks a free slot
}

// home is the first slot of k's probe sequence.
func (t *pairTable[K]) home(k K) uint64 {
	h := k[0] * 0x9E3779B97F4A7C15
	for i := 1; i < len(k); i++ {
		h = (h ^ k[i]) * 0xBF58476D1CE4E5B9
	}
	h ^= h >> 31
	h *= 0x94D049BB133111EB
	h ^= h >> 29
	return h & t.mask
}

// add adds s to k's count (a missing key counts 0; a count that drops to
// zero or below leaves the table; a negative count is never stored) and
// returns the count before and after.
func (t *pairTable[K]) add(k K, s int64) (before, after int64) {
	if t.slots == nil {
		t.resize(64)
	}
	i := t.home(k)
	for {
		p := &t.slots[i]
		switch {
		case p.n == 0:
			if s <= 0 {
				return 0, s
			}
			p.key, p.n = k, s
			t.n++
			if t.n*8 > len(t.slots)*5 {
				t.resize(2 * len(t.slots))
			}
			return 0, s
		case p.key == k:
			before, after = p.n, p.n+s
			if after > 0 {
				p.n = after
				return before, after
			}
			t.delete(i)
			return before, after
		}
		i = (i + 1) & t.mask
	}
}

// delete frees slot i and shifts back the entries of the run after it
// that would no longer be reachable.
func (t *pairTable[K]) delete(i uint64) {
	t.n--
	for j := (i + 1) & t.mask; t.slots[j].n != 0; j = (j + 1) & t.mask {
		h := t.home(t.slots[j].key)
		// the entry at j may move to i when i lies cyclically in [h, j)
		if (j-h)&t.mask >= (j-i)&t.mask {
			t.slots[i] = t.slots[j]
			i = j
		}
	}
	t.slots[i] = pairSlot[K]{}
}

func (t *pairTable[K]) resize(n int) {
	old := t.slots
	t.slots = make([]pairSlot[K], n)
	t.mask = uint64(n - 1)
	for _, p := range old {
		if p.n != 0 {
			i := t.home(p.key)
			for t.slots[i].n != 0 {
				i = (i + 1) & t.mask
			}
			t.slots[i] = p
		}
	}
}

// purge removes every entry whose key's word 0 is w, by rebuilding the
// table: O(table size).
func (t *pairTable[K]) purge(w uint64) {
	old := t.slots
	t.slots = make([]pairSlot[K], len(old))
	t.n = 0
	for _, p := range old {
		if p.n != 0 && p.key[0] != w {
			t.add(p.key, p.n)
		}
	}
}

func (t *pairTable[K]) bytes() int64 {
	var p pairSlot[K]
	return int64(len(t.slots)) * int64(len(p.key)*8+8)
}
