package exec

// u64Table maps uint64 join keys to group ids: open addressing with
// linear probing over one array of entries (a key and its group share a
// cache line), at most 3/4 full, deleting by backward shift (no
// tombstones). It replaces a Go map on the hot path of single
// fixed-width keys: one probe finds a key or the place to put it.
type u64Table struct {
	ents  []u64Entry
	shift uint
	n     int
	sink  int32 // keeps touch's loads
}

type u64Entry struct {
	key uint64
	val int32 // group + 1; 0 marks an empty entry
}

func newU64Table() *u64Table {
	t := &u64Table{}
	t.alloc(64)
	return t
}

func (t *u64Table) alloc(size int) {
	t.ents = make([]u64Entry, size)
	t.shift = 64
	for s := size; s > 1; s >>= 1 {
		t.shift--
	}
}

func (t *u64Table) home(k uint64) int {
	return int(((k ^ k>>29) * 0x9e3779b97f4a7c15) >> t.shift)
}

// find returns the position of k, or where it would go, and whether it
// is there.
func (t *u64Table) find(k uint64) (int, bool) {
	mask := len(t.ents) - 1
	for i := t.home(k); ; i = (i + 1) & mask {
		e := &t.ents[i]
		if e.val == 0 {
			return i, false
		}
		if e.key == k {
			return i, true
		}
	}
}

// get returns the group of k or -1.
func (t *u64Table) get(k uint64) int32 {
	i, ok := t.find(k)
	if !ok {
		return -1
	}
	return t.ents[i].val - 1
}

// at returns the group at a position find reported as found.
func (t *u64Table) at(i int) int32 { return t.ents[i].val - 1 }

// reserve grows the table so that one more key keeps it at most 3/4
// full; call it before a find whose position putAt then uses.
func (t *u64Table) reserve() {
	if 4*(t.n+1) <= 3*len(t.ents) {
		return
	}
	old := t.ents
	t.alloc(2 * len(old))
	for _, e := range old {
		if e.val != 0 {
			j, _ := t.find(e.key)
			t.ents[j] = e
		}
	}
}

// putAt stores k → g at a position find returned (after reserve).
func (t *u64Table) putAt(i int, k uint64, g int32) {
	t.ents[i] = u64Entry{key: k, val: g + 1}
	t.n++
}

// setAt replaces the value at a position find reported as found.
func (t *u64Table) setAt(i int, g int32) { t.ents[i].val = g + 1 }

// del removes k, shifting later entries of its probe run back.
func (t *u64Table) del(k uint64) {
	i, ok := t.find(k)
	if !ok {
		return
	}
	t.n--
	mask := len(t.ents) - 1
	t.ents[i].val = 0
	for j := (i + 1) & mask; t.ents[j].val != 0; j = (j + 1) & mask {
		h := t.home(t.ents[j].key)
		if i <= j && i < h && h <= j || i > j && (i < h || h <= j) {
			continue // j's home lies after the hole: it stays
		}
		t.ents[i] = t.ents[j]
		t.ents[j].val = 0
		i = j
	}
}

// bytes is the table's memory.
func (t *u64Table) bytes() int64 { return int64(len(t.ents) * 16) }

// touch loads the home entry of every key of a batch, so that their cache
// misses overlap (independent loads) instead of stalling the probe loop
// one at a time.
func (t *u64Table) touch(keys []uint64) {
	var sum int32
	for _, k := range keys {
		sum += t.ents[t.home(k)].val
	}
	t.sink = sum
}
