package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
)

// lookupEntry is one cached key: its rows are segs[seg] rows
// [start, start+count); seg is -1 for a key that matched nothing.
type lookupEntry struct {
	key               string
	seg, start, count int32
	at                int64 // when it was fetched, unix nanoseconds
	prev, next        int32 // LRU list; -1 ends it
}

// lookupLRU is an LRU list of entries in a slice, linked by index, with a
// map from key encoding to entry. Freed slots are reused.
type lookupLRU struct {
	index      map[string]int32
	ents       []lookupEntry
	free       []int32
	head, tail int32 // most and least recently used; -1 when empty
}

func (l *lookupLRU) init() {
	l.index = map[string]int32{}
	l.ents, l.free = l.ents[:0], l.free[:0]
	l.head, l.tail = -1, -1
}

func (l *lookupLRU) len() int { return len(l.index) }

// oldest is the least recently used entry (the list must not be empty).
func (l *lookupLRU) oldest() int32 { return l.tail }

// add stores a new entry as the most recently used and returns its index.
func (l *lookupLRU) add(e lookupEntry) int32 {
	var i int32
	if n := len(l.free); n > 0 {
		i = l.free[n-1]
		l.free = l.free[:n-1]
		l.ents[i] = e
	} else {
		i = int32(len(l.ents))
		l.ents = append(l.ents, e)
	}
	l.index[e.key] = i
	l.pushFront(i)
	return i
}

// remove unlinks entry i and frees its slot.
func (l *lookupLRU) remove(i int32) {
	l.unlink(i)
	delete(l.index, l.ents[i].key)
	l.ents[i] = lookupEntry{}
	l.free = append(l.free, i)
}

// touch marks entry i as the most recently used.
func (l *lookupLRU) touch(i int32) {
	if l.head == i {
		return
	}
	l.unlink(i)
	l.pushFront(i)
}

func (l *lookupLRU) pushFront(i int32) {
	e := &l.ents[i]
	e.prev, e.next = -1, l.head
	if l.head >= 0 {
		l.ents[l.head].prev = i
	}
	l.head = i
	if l.tail < 0 {
		l.tail = i
	}
}

func (l *lookupLRU) unlink(i int32) {
	e := &l.ents[i]
	if e.prev >= 0 {
		l.ents[e.prev].next = e.next
	} else {
		l.head = e.next
	}
	if e.next >= 0 {
		l.ents[e.next].prev = e.prev
	} else {
		l.tail = e.prev
	}
	e.prev, e.next = -1, -1
}

// insert caches key (replacing nothing: callers evict a stale entry first).
func (c *CachedLookup) insert(key string, seg, start, count int32, now int64) {
	c.lru.add(lookupEntry{key: key, seg: seg, start: start, count: count, at: now})
	if seg >= 0 {
		s := c.segs[seg]
		s.refs++
		s.live += int(count)
	}
}

// evict drops entry i, releasing its segment when no entry is left in it.
func (c *CachedLookup) evict(i int32) {
	e := c.lru.ents[i]
	c.lru.remove(i)
	if e.seg < 0 {
		return
	}
	s := c.segs[e.seg]
	s.refs--
	s.live -= int(e.count)
	if s.refs == 0 {
		c.releaseSegment(e.seg)
	}
}

// addSegment keeps rec (owned by the cache from now on) as a new segment.
func (c *CachedLookup) addSegment(rec arrow.RecordBatch) int32 {
	s := &lookupSegment{rec: rec}
	for i, old := range c.segs {
		if old == nil {
			c.segs[i] = s
			return int32(i)
		}
	}
	c.segs = append(c.segs, s)
	return int32(len(c.segs) - 1)
}

func (c *CachedLookup) releaseSegment(id int32) {
	c.segs[id].rec.Release()
	c.segs[id] = nil
}

// compactIfSparse copies the live rows of every segment into one new
// segment when the segments hold more than twice the live rows (plus
// slack), so that a few surviving entries never pin many old results, or
// when there are more than lookupMaxSegments, so that an answer gathers
// from few of them.
func (c *CachedLookup) compactIfSparse() {
	total, live, n := 0, 0, 0
	for _, s := range c.segs {
		if s != nil {
			total += int(s.rec.NumRows())
			live += s.live
			n++
		}
	}
	if n == 0 || n <= lookupMaxSegments && total <= 2*live+lookupCompactSlack {
		return
	}
	// Collect every entry's rows into one segment; an entry's rows land
	// at its segment's base plus its offset within that segment's part.
	c.touched = c.touched[:0]
	starts := make([]int32, len(c.lru.ents))
	for i := c.lru.head; i >= 0; i = c.lru.ents[i].next {
		e := &c.lru.ents[i]
		if e.seg < 0 {
			continue
		}
		starts[i] = int32(len(c.segs[e.seg].rowIdx))
		c.addRows(e.seg, e.start, e.count, 0)
	}
	base := make(map[int32]int32, len(c.touched))
	pos := int32(0)
	for _, id := range c.touched {
		base[id] = pos
		pos += int32(len(c.segs[id].rowIdx))
	}
	for i := c.lru.head; i >= 0; i = c.lru.ents[i].next {
		if e := &c.lru.ents[i]; e.seg >= 0 {
			starts[i] += base[e.seg]
		}
	}
	rec, _, err := c.assemble()
	if err != nil {
		return // keep the sparse segments: correct, only larger
	}
	for id, s := range c.segs {
		if s != nil {
			c.releaseSegment(int32(id))
		}
	}
	seg := c.addSegment(rec)
	s := c.segs[seg]
	for i := c.lru.head; i >= 0; i = c.lru.ents[i].next {
		e := &c.lru.ents[i]
		if e.seg < 0 {
			continue
		}
		e.seg, e.start = seg, starts[i]
		s.refs++
		s.live += int(e.count)
	}
}

// lookupCompactSlack is how many dead rows the segments may hold anyway
// (a variable so that tests can force compactions).
var lookupCompactSlack = 4096

// lookupMaxSegments bounds the segments before a compaction.
const lookupMaxSegments = 8
