package agg

import (
	"container/heap"
	"strings"
)

// multiset is a counted set of encoded values with its extreme at hand: a
// heap (min-first, or max-first when max) over the distinct values with
// lazy deletion. A value whose count drops to zero leaves the map at once
// and the heap when it reaches the top; the heap is rebuilt when stale
// entries outnumber live ones. Add and Remove are O(log d) amortized for d
// distinct values, Top O(1) amortized.
type multiset struct {
	counts map[string]int64
	h      keyHeap
}

func newMultiset(max bool) *multiset {
	return &multiset{counts: map[string]int64{}, h: keyHeap{max: max}}
}

// add counts key once more; the key is copied when it is new.
func (m *multiset) add(key []byte) {
	if c, ok := m.counts[string(key)]; ok {
		m.counts[string(key)] = c + 1
		return
	}
	k := strings.Clone(string(key))
	m.counts[k] = 1
	heap.Push(&m.h, k)
}

// remove counts key once less; removing an absent key does nothing.
func (m *multiset) remove(key []byte) {
	c, ok := m.counts[string(key)]
	switch {
	case !ok:
		return
	case c > 1:
		m.counts[string(key)] = c - 1
		return
	}
	delete(m.counts, string(key))
	if len(m.h.keys) > 2*len(m.counts)+16 {
		m.rebuild()
	}
}

// top returns the extreme value, false when the multiset is empty.
func (m *multiset) top() (string, bool) {
	for len(m.h.keys) > 0 {
		k := m.h.keys[0]
		if _, ok := m.counts[k]; ok {
			return k, true
		}
		heap.Pop(&m.h)
	}
	return "", false
}

func (m *multiset) rebuild() {
	m.h.keys = m.h.keys[:0]
	for k := range m.counts {
		m.h.keys = append(m.h.keys, k)
	}
	heap.Init(&m.h)
}

func (m *multiset) bytes() int64 {
	n := int64(len(m.h.keys))*16 + int64(len(m.counts))*48
	for k := range m.counts {
		n += int64(len(k))
	}
	return n
}

// keyHeap is a binary heap of encoded values (byte order is value order).
type keyHeap struct {
	keys []string
	max  bool
}

func (h *keyHeap) Len() int { return len(h.keys) }
func (h *keyHeap) Less(i, j int) bool {
	if h.max {
		return h.keys[i] > h.keys[j]
	}
	return h.keys[i] < h.keys[j]
}
func (h *keyHeap) Swap(i, j int) { h.keys[i], h.keys[j] = h.keys[j], h.keys[i] }
func (h *keyHeap) Push(x any)    { h.keys = append(h.keys, x.(string)) }
func (h *keyHeap) Pop() any {
	k := h.keys[len(h.keys)-1]
	h.keys = h.keys[:len(h.keys)-1]
	return k
}
