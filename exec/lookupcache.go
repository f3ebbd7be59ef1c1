package exec

import (
	"context"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// CachedLookup is a LookupTable in front of another one: a bounded LRU of
// keys (encoded columnar, see lookupKeys) to the table rows they
// matched, misses included. Per Lookup, only the distinct keys that are
// not cached (or whose entry is older than the TTL) go to the inner table,
// in one batch. Cached rows live in segments: the inner results, sorted by
// key, kept as Arrow record batches and shared by their entries; a
// segment is released when its last entry is evicted, and live rows are
// compacted into one segment when dead rows dominate.
//
// A CachedLookup is used from one goroutine (its operator's).
type CachedLookup struct {
	inner LookupTable
	max   int
	ttl   time.Duration
	now   func() time.Time
	mem   memory.Allocator

	schema *arrow.Schema // of the inner table's rows, once seen
	lru    lookupLRU
	segs   []*lookupSegment // by id; nil slots are free

	// per-call scratch, reused
	enc     lookupKeys
	hits    []lookupHit
	missRow []int32          // key row of each distinct missing key
	missKey []string         // its encoding
	missOf  map[string]int32 // encoding → index in missRow
	refs    []lookupHit      // key rows per missing key (entry = miss index)
	touched []int32          // segments with rows in the output
}

// lookupHit is a key row and the entry (or miss) it resolved to.
type lookupHit struct{ entry, row int32 }

// lookupSegment is one inner result, rows sorted by key.
type lookupSegment struct {
	rec  arrow.RecordBatch
	refs int // entries pointing into it
	live int // rows those entries cover
	// output scratch
	rowIdx, keyRow []int32
}

var _ LookupTable = (*CachedLookup)(nil)
var _ StateReporter = (*CachedLookup)(nil)

// NewCachedLookup caches inner's answers for up to maxKeys keys, each for
// ttl (0: until evicted). now is the clock (nil: time.Now). With maxKeys
// <= 0 there is no cache and inner is returned as is. The cache owns inner:
// Close closes it.
func NewCachedLookup(inner LookupTable, maxKeys int, ttl time.Duration, now func() time.Time) LookupTable {
	if maxKeys <= 0 {
		return inner
	}
	if now == nil {
		now = time.Now
	}
	c := &CachedLookup{inner: inner, max: maxKeys, ttl: ttl, now: now, mem: memory.DefaultAllocator, missOf: map[string]int32{}}
	c.lru.init()
	return c
}

// Lookup implements LookupTable. Output rows are grouped by the segment
// they come from and in key-row order within each.
func (c *CachedLookup) Lookup(ctx context.Context, keys arrow.RecordBatch) (arrow.RecordBatch, []int32, error) {
	n := int(keys.NumRows())
	if err := c.enc.encode(keys.Columns(), n); err != nil {
		return nil, nil, err
	}
	now := c.now().UnixNano()
	c.probe(n, now)
	missSeg := int32(-1)
	var missStart, missCount []int32
	if len(c.missRow) > 0 || c.schema == nil {
		var err error
		if missSeg, missStart, missCount, err = c.fetch(ctx, keys); err != nil {
			return nil, nil, err
		}
	}
	c.collect(missSeg, missStart, missCount)
	rows, keyRow, err := c.assemble()
	if err != nil {
		return nil, nil, err
	}
	c.remember(missSeg, missStart, missCount, now)
	c.compactIfSparse()
	return rows, keyRow, nil
}

// probe sorts the non-NULL key rows into hits and distinct misses.
func (c *CachedLookup) probe(n int, now int64) {
	c.hits, c.missRow, c.missKey, c.refs = c.hits[:0], c.missRow[:0], c.missKey[:0], c.refs[:0]
	clear(c.missOf)
	for i := range n {
		if c.enc.isNull(i) {
			continue
		}
		k := c.enc.key(i)
		if e, ok := c.lru.index[string(k)]; ok {
			if c.ttl <= 0 || now-c.lru.ents[e].at < int64(c.ttl) {
				c.lru.touch(e)
				c.hits = append(c.hits, lookupHit{entry: e, row: int32(i)})
				continue
			}
			c.evict(e)
		}
		m, ok := c.missOf[string(k)]
		if !ok {
			m = int32(len(c.missRow))
			ks := string(k)
			c.missOf[ks] = m
			c.missRow = append(c.missRow, int32(i))
			c.missKey = append(c.missKey, ks)
		}
		c.refs = append(c.refs, lookupHit{entry: m, row: int32(i)})
	}
}

// fetch looks the missing keys up in the inner table and stores the
// answer as a new segment sorted by miss index; start/count give each
// miss's rows in it. The segment id is -1 when nothing matched.
func (c *CachedLookup) fetch(ctx context.Context, keys arrow.RecordBatch) (int32, []int32, []int32, error) {
	mk, err := lookupTakeRecord(keys, c.missRow, c.mem)
	if err != nil {
		return -1, nil, nil, fmt.Errorf("lookup cache: %w", err)
	}
	defer mk.Release()
	rows, keyRow, err := c.inner.Lookup(ctx, mk)
	if err != nil {
		return -1, nil, nil, err
	}
	defer rows.Release()
	if c.schema == nil {
		c.schema = rows.Schema()
	}
	perm, start, count, err := lookupSortByKeyRow(keyRow, len(c.missRow))
	if err != nil {
		return -1, nil, nil, fmt.Errorf("lookup cache: %w", err)
	}
	if len(perm) == 0 {
		return -1, start, count, nil
	}
	sorted, err := lookupTakeRecord(rows, perm, c.mem)
	if err != nil {
		return -1, nil, nil, fmt.Errorf("lookup cache: %w", err)
	}
	return c.addSegment(sorted), start, count, nil
}

// collect lists, per segment, the rows of every hit and miss, merging
// both in key-row order: with one segment touched (the common case once
// the cache is warm and compacted) the answer is in key-row order, which
// lets the join pass the table columns through.
func (c *CachedLookup) collect(missSeg int32, missStart, missCount []int32) {
	c.touched = c.touched[:0]
	h, m := 0, 0
	for h < len(c.hits) || m < len(c.refs) {
		if m == len(c.refs) || h < len(c.hits) && c.hits[h].row < c.refs[m].row {
			e := &c.lru.ents[c.hits[h].entry]
			c.addRows(e.seg, e.start, e.count, c.hits[h].row)
			h++
			continue
		}
		r := c.refs[m]
		c.addRows(missSeg, missStart[r.entry], missCount[r.entry], r.row)
		m++
	}
}

func (c *CachedLookup) addRows(seg, start, count, keyRow int32) {
	if count == 0 {
		return
	}
	s := c.segs[seg]
	if len(s.keyRow) == 0 {
		c.touched = append(c.touched, seg)
	}
	for r := start; r < start+count; r++ {
		s.rowIdx = append(s.rowIdx, r)
		s.keyRow = append(s.keyRow, keyRow)
	}
}

// assemble gathers the collected rows of every touched segment into one
// record batch and resets the segments' scratch.
func (c *CachedLookup) assemble() (arrow.RecordBatch, []int32, error) {
	var keyRow []int32
	parts := make([]arrow.RecordBatch, 0, len(c.touched))
	defer func() {
		for _, p := range parts {
			p.Release()
		}
		for _, id := range c.touched {
			s := c.segs[id]
			s.rowIdx, s.keyRow = s.rowIdx[:0], s.keyRow[:0]
		}
	}()
	for _, id := range c.touched {
		s := c.segs[id]
		keyRow = append(keyRow, s.keyRow...)
		if lookupIsIdentity(s.rowIdx, int(s.rec.NumRows())) {
			s.rec.Retain()
			parts = append(parts, s.rec)
			continue
		}
		p, err := lookupTakeRecord(s.rec, s.rowIdx, c.mem)
		if err != nil {
			return nil, nil, fmt.Errorf("lookup cache: %w", err)
		}
		parts = append(parts, p)
	}
	rows, err := lookupConcat(c.schema, parts, c.mem)
	return rows, keyRow, err
}

// remember caches every miss of this call (as empty entries when nothing
// matched), then evicts down to the bound.
func (c *CachedLookup) remember(seg int32, start, count []int32, now int64) {
	for m, k := range c.missKey {
		s := seg
		if count[m] == 0 {
			s = -1
		}
		c.insert(k, s, start[m], count[m], now)
	}
	if seg >= 0 && c.segs[seg].refs == 0 {
		c.releaseSegment(seg)
	}
	for c.lru.len() > c.max {
		c.evict(c.lru.oldest())
	}
}

// Close implements LookupTable: it drops the cache and closes inner.
func (c *CachedLookup) Close() error {
	for id, s := range c.segs {
		if s != nil {
			c.releaseSegment(int32(id))
		}
	}
	c.lru.init()
	return c.inner.Close()
}

// StateSize implements StateReporter: cached keys and the bytes of the
// segments holding their rows.
func (c *CachedLookup) StateSize() (rows, bytes int64) {
	for _, s := range c.segs {
		if s != nil {
			for _, col := range s.rec.Columns() {
				bytes += int64(lookupArrayBytes(col))
			}
		}
	}
	return int64(c.lru.len()), bytes
}

// lookupSortByKeyRow is a counting sort of result rows by key row: perm lists
// the rows key by key; key m's rows are perm[start[m] : start[m]+count[m]].
func lookupSortByKeyRow(keyRow []int32, keys int) (perm, start, count []int32, err error) {
	start = make([]int32, keys)
	count = make([]int32, keys)
	for _, k := range keyRow {
		if k < 0 || int(k) >= keys {
			return nil, nil, nil, fmt.Errorf("lookup returned key row %d of %d keys", k, keys)
		}
		count[k]++
	}
	pos := int32(0)
	for m := range start {
		start[m] = pos
		pos += count[m]
	}
	perm = make([]int32, len(keyRow))
	next := append([]int32(nil), start...)
	for r, k := range keyRow {
		perm[next[k]] = int32(r)
		next[k]++
	}
	return perm, start, count, nil
}

// lookupTakeRecord gathers the rows of rec at idx (see TakeArray).
func lookupTakeRecord(rec arrow.RecordBatch, idx []int32, mem memory.Allocator) (arrow.RecordBatch, error) {
	b, err := TakeRows(Batch{Rec: rec}, idx, mem)
	return b.Rec, err
}

// lookupConcat concatenates parts (of schema) into one record batch; with
// one part it is returned retained, with none an empty batch.
func lookupConcat(schema *arrow.Schema, parts []arrow.RecordBatch, mem memory.Allocator) (arrow.RecordBatch, error) {
	if len(parts) == 1 {
		parts[0].Retain()
		return parts[0], nil
	}
	cols := make([]arrow.Array, schema.NumFields())
	defer func() {
		for _, col := range cols {
			if col != nil {
				col.Release()
			}
		}
	}()
	n := int64(0)
	for _, p := range parts {
		n += p.NumRows()
	}
	for i := range cols {
		if len(parts) == 0 {
			cols[i] = array.MakeArrayOfNull(mem, schema.Field(i).Type, 0)
			continue
		}
		arrs := make([]arrow.Array, len(parts))
		for j, p := range parts {
			arrs[j] = p.Column(i)
		}
		col, err := array.Concatenate(arrs, mem)
		if err != nil {
			return nil, fmt.Errorf("concatenate column %s: %w", schema.Field(i).Name, err)
		}
		cols[i] = col
	}
	return array.NewRecordBatch(schema, cols, n), nil
}

// lookupIsIdentity reports whether idx is 0, 1, ..., n-1.
func lookupIsIdentity(idx []int32, n int) bool {
	if len(idx) != n {
		return false
	}
	for i, v := range idx {
		if int(v) != i {
			return false
		}
	}
	return true
}

// lookupArrayBytes is the size of an array's buffers.
func lookupArrayBytes(a arrow.Array) int {
	n := 0
	for _, b := range a.Data().Buffers() {
		if b != nil {
			n += b.Len()
		}
	}
	return n
}
