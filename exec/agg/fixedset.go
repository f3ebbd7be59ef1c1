package agg

// fixedSet is a counted set of order-preserving uint64 encodings with its
// minimum at hand (MAX stores complemented values). Up to smallSet
// distinct values it is a sorted slice; beyond, a map of counts and a
// binary min-heap over the distinct values with lazy deletion: a value
// whose count drops to zero leaves the map at once and the heap when it
// reaches the top; the heap is rebuilt when stale entries outnumber live
// ones. Add and remove are O(log d) amortized for d distinct values.
type fixedSet struct {
	small  []counted // sorted by value, while counts is nil
	counts map[uint64]int64
	heap   []uint64
}

type counted struct {
	v uint64
	n int64
}

const smallSet = 16

// size is the number of distinct values.
func (m *fixedSet) size() int {
	if m.counts == nil {
		return len(m.small)
	}
	return len(m.counts)
}

// add counts v once more.
func (m *fixedSet) add(v uint64) {
	if m.counts == nil {
		if m.addSmall(v) {
			return
		}
		m.grow()
	}
	c := m.counts[v]
	m.counts[v] = c + 1
	if c == 0 {
		m.push(v)
	}
}

// remove counts v once less and reports whether its last copy left;
// removing an absent value does nothing.
func (m *fixedSet) remove(v uint64) bool {
	if m.counts == nil {
		return m.removeSmall(v)
	}
	c, ok := m.counts[v]
	switch {
	case !ok:
		return false
	case c > 1:
		m.counts[v] = c - 1
		return false
	}
	delete(m.counts, v)
	if len(m.heap) > 2*len(m.counts)+16 {
		m.rebuild()
	}
	return true
}

// top returns the minimum, false when the set is empty.
func (m *fixedSet) top() (uint64, bool) {
	if m.counts == nil {
		if len(m.small) == 0 {
			return 0, false
		}
		return m.small[0].v, true
	}
	for len(m.heap) > 0 {
		v := m.heap[0]
		if _, ok := m.counts[v]; ok {
			return v, true
		}
		m.pop()
	}
	return 0, false
}

func (m *fixedSet) push(v uint64) {
	h := append(m.heap, v)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h[p] <= v {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = v
	m.heap = h
}

func (m *fixedSet) pop() {
	h := m.heap
	n := len(h) - 1
	h[0] = h[n]
	m.heap = h[:n]
	m.down(0)
}

func (m *fixedSet) down(i int) {
	h := m.heap
	n := len(h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		c := l
		if r := l + 1; r < n && h[r] < h[l] {
			c = r
		}
		if h[i] <= h[c] {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

func (m *fixedSet) rebuild() {
	m.heap = m.heap[:0]
	for v := range m.counts {
		m.heap = append(m.heap, v)
	}
	for i := len(m.heap)/2 - 1; i >= 0; i-- {
		m.down(i)
	}
}

func (m *fixedSet) bytes() int64 {
	return int64(cap(m.small))*16 + int64(cap(m.heap))*8 + int64(len(m.counts))*24
}

// addSmall counts v in the sorted slice; false when v is new and the
// slice is full.
func (m *fixedSet) addSmall(v uint64) bool {
	i := 0
	for i < len(m.small) && m.small[i].v < v {
		i++
	}
	if i < len(m.small) && m.small[i].v == v {
		m.small[i].n++
		return true
	}
	if len(m.small) == smallSet {
		return false
	}
	m.small = append(m.small, counted{})
	copy(m.small[i+1:], m.small[i:])
	m.small[i] = counted{v, 1}
	return true
}

func (m *fixedSet) removeSmall(v uint64) bool {
	for i := range m.small {
		if m.small[i].v == v {
			if m.small[i].n--; m.small[i].n > 0 {
				return false
			}
			m.small = append(m.small[:i], m.small[i+1:]...)
			return true
		}
	}
	return false
}

// grow moves the sorted slice into the map and heap (a sorted slice is a
// valid min-heap).
func (m *fixedSet) grow() {
	m.counts = make(map[uint64]int64, 2*smallSet)
	m.heap = make([]uint64, 0, 2*smallSet)
	for _, c := range m.small {
		m.counts[c.v] = c.n
		m.heap = append(m.heap, c.v)
	}
	m.small = nil
}
