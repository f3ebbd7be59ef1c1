package exec

import "bytes"

// bytesTable maps byte-string join keys (several columns, or strings) to
// group ids: open addressing with linear probing over entries holding a
// key's hash and its group, at most 3/4 full, deleting by backward shift.
// The key bytes live in one arena, addressed by group, so a new key costs
// no allocation and a probe compares bytes only when the full 64-bit
// hashes agree. Hashes come from batchKeys (computed once per batch, with
// a seed both sides share).
type bytesTable struct {
	ents  []bytesEntry
	shift uint
	n     int

	arena   []byte
	gOff    []int64 // by group: the key's bytes in arena
	gLen    []int32 // 0 for a group not in the table
	gHash   []uint64
	garbage int64 // arena bytes of deleted keys
	sink    int32 // keeps touch's loads
}

type bytesEntry struct {
	hash uint64
	val  int32 // group + 1; 0 marks an empty entry
}

func newBytesTable() *bytesTable {
	t := &bytesTable{}
	t.alloc(64)
	return t
}

func (t *bytesTable) alloc(size int) {
	t.ents = make([]bytesEntry, size)
	t.shift = 64
	for s := size; s > 1; s >>= 1 {
		t.shift--
	}
}

func (t *bytesTable) home(h uint64) int { return int((h * 0x9e3779b97f4a7c15) >> t.shift) }

func (t *bytesTable) keyOf(g int32) []byte {
	o := t.gOff[g]
	return t.arena[o : o+int64(t.gLen[g])]
}

// find returns the position of key (hash h), or where it would go, and
// whether it is there.
func (t *bytesTable) find(h uint64, key []byte) (int, bool) {
	mask := len(t.ents) - 1
	for i := t.home(h); ; i = (i + 1) & mask {
		e := &t.ents[i]
		if e.val == 0 {
			return i, false
		}
		if e.hash == h && bytes.Equal(t.keyOf(e.val-1), key) {
			return i, true
		}
	}
}

// get returns the group of key (hash h) or -1.
func (t *bytesTable) get(h uint64, key []byte) int32 {
	i, ok := t.find(h, key)
	if !ok {
		return -1
	}
	return t.ents[i].val - 1
}

// at returns the group at a position find reported as found.
func (t *bytesTable) at(i int) int32 { return t.ents[i].val - 1 }

// reserve grows the table so that one more key keeps it at most 3/4
// full; call it before a find whose position putAt then uses.
func (t *bytesTable) reserve() {
	if 4*(t.n+1) <= 3*len(t.ents) {
		return
	}
	old := t.ents
	t.alloc(2 * len(old))
	mask := len(t.ents) - 1
	for _, e := range old {
		if e.val == 0 {
			continue
		}
		i := t.home(e.hash)
		for t.ents[i].val != 0 {
			i = (i + 1) & mask
		}
		t.ents[i] = e
	}
}

// putAt stores key (hash h) → g at a position find returned (after
// reserve), copying the key into the arena.
func (t *bytesTable) putAt(i int, h uint64, key []byte, g int32) {
	for int(g) >= len(t.gOff) {
		t.gOff, t.gLen, t.gHash = append(t.gOff, 0), append(t.gLen, 0), append(t.gHash, 0)
	}
	t.gOff[g], t.gLen[g], t.gHash[g] = int64(len(t.arena)), int32(len(key)), h
	t.arena = append(t.arena, key...)
	t.ents[i] = bytesEntry{hash: h, val: g + 1}
	t.n++
}

// del removes group g's key, shifting later entries of its probe run
// back.
func (t *bytesTable) del(g int32) {
	mask := len(t.ents) - 1
	i := t.home(t.gHash[g])
	for ; t.ents[i].val != g+1; i = (i + 1) & mask {
		if t.ents[i].val == 0 {
			return
		}
	}
	t.n--
	t.garbage += int64(t.gLen[g])
	t.gLen[g] = 0
	t.ents[i].val = 0
	for j := (i + 1) & mask; t.ents[j].val != 0; j = (j + 1) & mask {
		h := t.home(t.ents[j].hash)
		if i <= j && i < h && h <= j || i > j && (i < h || h <= j) {
			continue // j's home lies after the hole: it stays
		}
		t.ents[i] = t.ents[j]
		t.ents[j].val = 0
		i = j
	}
	t.compact()
}

// compact rewrites the arena without garbage once garbage is most of it.
func (t *bytesTable) compact() {
	if t.garbage < 1<<20 || t.garbage*2 < int64(len(t.arena)) {
		return
	}
	arena := make([]byte, 0, int64(len(t.arena))-t.garbage)
	for _, e := range t.ents {
		if e.val == 0 {
			continue
		}
		g := e.val - 1
		k := t.keyOf(g)
		t.gOff[g] = int64(len(arena))
		arena = append(arena, k...)
	}
	t.arena, t.garbage = arena, 0
}

// bytes is the table's memory.
func (t *bytesTable) bytes() int64 {
	return int64(len(t.ents)*16 + len(t.arena) + len(t.gOff)*20)
}

// touch loads the home entry of every hash, so that their cache misses
// overlap (see u64Table.touch); null rows have hash 0, harmlessly.
func (t *bytesTable) touch(hashes []uint64) {
	var sum int32
	for _, h := range hashes {
		sum += t.ents[t.home(h)].val
	}
	t.sink = sum
}
