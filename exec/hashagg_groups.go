package exec

// aggGroups is the per-group bookkeeping of a HashAgg, indexed by dense
// group id; the key → id map is a groupIndex. Freed ids are reused, so
// state arrays stay as large as the peak number of groups.
type aggGroups struct {
	rows  []int64  // rows currently in the group (weights summed)
	live  []bool   // its row has been emitted and not deleted
	inUse []bool   // the id belongs to a group (not free)
	stamp []uint64 // the batch that last touched it
	used  []int64  // processing time (ms) of its last change, for the TTL
	free  []int32
	n     int // ids in use or free: the size of every state array
	count int // ids in use
}

// newID returns a fresh group id, reusing a freed one when there is one.
func (t *aggGroups) newID() int32 {
	t.count++
	if n := len(t.free); n > 0 {
		g := t.free[n-1]
		t.free = t.free[:n-1]
		t.inUse[g] = true
		return g
	}
	g := int32(t.n)
	t.n++
	t.rows = append(t.rows, 0)
	t.live = append(t.live, false)
	t.inUse = append(t.inUse, true)
	t.stamp = append(t.stamp, 0)
	t.used = append(t.used, 0)
	return g
}

// release frees group g; the caller forgets its key and resets its
// accumulators.
func (t *aggGroups) release(g int32) {
	t.rows[g], t.live[g], t.inUse[g], t.used[g] = 0, false, false, 0
	t.free = append(t.free, g)
	t.count--
}

// expired returns the groups not changed since before cutoff (ms).
func (t *aggGroups) expired(cutoff int64, out []int32) []int32 {
	for g, ok := range t.inUse {
		if ok && t.used[g] < cutoff {
			out = append(out, int32(g))
		}
	}
	return out
}

// stateBytes estimates the bookkeeping's heap bytes.
func (t *aggGroups) stateBytes() int64 {
	return int64(cap(t.rows))*(8+1+1+8+8) + int64(cap(t.free))*4
}
