package agg

// u128 is the order-preserving encoding of a DECIMAL: the high word with
// its sign bit flipped, then the low word; compared as an unsigned pair.
type u128 struct{ hi, lo uint64 }

func (a u128) less(b u128) bool { return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo) }

func (a u128) not() u128 { return u128{^a.hi, ^a.lo} }

// set128 is fixedSet over u128 values: a counted set with its minimum at
// hand, a sorted slice up to smallSet distinct values, then a map of
// counts and a lazily pruned binary min-heap. (A copy of fixedSet rather
// than a generic one: a method call through a type parameter is indirect
// and would slow the uint64 set's heap loops.)
type set128 struct {
	small  []counted128 // sorted by value, while counts is nil
	counts map[u128]int64
	heap   []u128
}

type counted128 struct {
	v u128
	n int64
}

// size is the number of distinct values.
func (m *set128) size() int {
	if m.counts == nil {
		return len(m.small)
	}
	return len(m.counts)
}

// add counts v once more.
func (m *set128) add(v u128) {
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
func (m *set128) remove(v u128) bool {
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
func (m *set128) top() (u128, bool) {
	if m.counts == nil {
		if len(m.small) == 0 {
			return u128{}, false
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
	return u128{}, false
}

func (m *set128) push(v u128) {
	h := append(m.heap, v)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !v.less(h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = v
	m.heap = h
}

func (m *set128) pop() {
	h := m.heap
	n := len(h) - 1
	h[0] = h[n]
	m.heap = h[:n]
	m.down(0)
}

func (m *set128) down(i int) {
	h := m.heap
	n := len(h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		c := l
		if r := l + 1; r < n && h[r].less(h[l]) {
			c = r
		}
		if !h[c].less(h[i]) {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

func (m *set128) rebuild() {
	m.heap = m.heap[:0]
	for v := range m.counts {
		m.heap = append(m.heap, v)
	}
	for i := len(m.heap)/2 - 1; i >= 0; i-- {
		m.down(i)
	}
}

func (m *set128) bytes() int64 {
	return int64(cap(m.small))*24 + int64(cap(m.heap))*16 + int64(len(m.counts))*32
}

// addSmall counts v in the sorted slice; false when v is new and the
// slice is full.
func (m *set128) addSmall(v u128) bool {
	i := 0
	for i < len(m.small) && m.small[i].v.less(v) {
		i++
	}
	if i < len(m.small) && m.small[i].v == v {
		m.small[i].n++
		return true
	}
	if len(m.small) == smallSet {
		return false
	}
	m.small = append(m.small, counted128{})
	copy(m.small[i+1:], m.small[i:])
	m.small[i] = counted128{v, 1}
	return true
}

func (m *set128) removeSmall(v u128) bool {
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
func (m *set128) grow() {
	m.counts = make(map[u128]int64, 2*smallSet)
	m.heap = make([]u128, 0, 2*smallSet)
	for _, c := range m.small {
		m.counts[c.v] = c.n
		m.heap = append(m.heap, c.v)
	}
	m.small = nil
}
