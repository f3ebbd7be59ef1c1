package exec

import "strings"

// aggGroups is the group table of a HashAgg: encoded group key → dense
// group id, with the per-group bookkeeping the operator needs. Freed ids
// are reused, so state arrays stay as large as the peak number of groups.
type aggGroups struct {
	index map[string]int32
	keys  []string // by id; the key a group was created with
	rows  []int64  // rows currently in the group (weights summed)
	live  []bool   // its row has been emitted and not deleted
	stamp []uint64 // the batch that last touched it
	used  []int64  // processing time (ms) of its last change, for the TTL
	free  []int32
	n     int // ids in use or free: the size of every state array
	bytes int64
}

func newAggGroups() *aggGroups { return &aggGroups{index: map[string]int32{}} }

// lookup returns the id of the group with key, creating it when absent.
// The key bytes are copied only for a new group.
func (t *aggGroups) lookup(key []byte) int32 {
	if g, ok := t.index[string(key)]; ok {
		return g
	}
	k := strings.Clone(string(key))
	var g int32
	if n := len(t.free); n > 0 {
		g = t.free[n-1]
		t.free = t.free[:n-1]
	} else {
		g = int32(t.n)
		t.n++
		t.keys = append(t.keys, "")
		t.rows = append(t.rows, 0)
		t.live = append(t.live, false)
		t.stamp = append(t.stamp, 0)
		t.used = append(t.used, 0)
	}
	t.keys[g] = k
	t.index[k] = g
	t.bytes += int64(len(k)) + 48
	return g
}

// release forgets group g; the caller resets its accumulators.
func (t *aggGroups) release(g int32) {
	delete(t.index, t.keys[g])
	t.bytes -= int64(len(t.keys[g])) + 48
	t.keys[g], t.rows[g], t.live[g], t.used[g] = "", 0, false, 0
	t.free = append(t.free, g)
}

// expired returns the groups not changed since before cutoff (ms).
func (t *aggGroups) expired(cutoff int64, out []int32) []int32 {
	for _, g := range t.index {
		if t.used[g] < cutoff {
			out = append(out, g)
		}
	}
	return out
}

// stateBytes estimates the table's own heap bytes.
func (t *aggGroups) stateBytes() int64 {
	return t.bytes + int64(cap(t.keys))*16 + int64(cap(t.rows))*(8+1+8+8)
}
