package exec

import (
	"container/heap"
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec/agg"
	"github.com/sqlstream/sqlstream/planner"
)

// SessionAggConfig describes a SessionAgg (planner.WindowAggNode over
// SESSION windows).
type SessionAggConfig struct {
	// Input is the schema of the input rows.
	Input   catalog.Schema
	GroupBy []int
	Aggs    []planner.AggCall
	// Output has the GroupBy columns in order, then one per Aggs.
	Output *arrow.Schema
	// StartKey and EndKey are the positions in GroupBy of window_start and
	// window_end (-1 when not grouped; not both). Their input columns hold
	// each row's event time; the other group columns are the session key.
	StartKey, EndKey int
	// Gap is the session gap in milliseconds.
	Gap int64
}

// SessionAgg aggregates SESSION windows: per session key, rows at most
// Gap apart (inclusive) form one session [first row, last row + Gap).
//
// Rows wait in their batches until the watermark passes them; then every
// row of every key before the watermark has arrived, so the waiting rows
// are taken in time order and sessions only ever grow at their end: a
// key's open session takes a row within Gap of its last row, else it
// closes and a new one starts. Each session is a group of HashAgg's
// accumulators. A session closes once the watermark passes its end (a
// row at the watermark itself could still join a session ending there);
// closed sessions are emitted as +I, ordered by window_end, and freed.
// State is thus the rows within the watermark delay plus one open
// session per active key.
type SessionAgg struct {
	cfg  SessionAggConfig
	out  Stream
	h    *HashAgg // accumulators and group ids of the sessions; never emits
	time int      // input column of the rows' time
	keys []int    // positions in GroupBy of the session key columns
	enc  *agg.KeyEncoder
	// keyIDs numbers the keys with an open session; kinfo is by key id.
	keyIDs   map[string]int32
	kinfo    []sessionKey
	freeKeys []int32
	sessions []session // by group id
	ends     sessionEnds
	pending  []pendingBatch
	seq      uint64
	// ck is the checkpoint bookkeeping (windowagg_checkpoint.go).
	ck sessionCheckpoint

	// scratch
	ready   []readyRow
	closing []int32
	touched []int32
	keyCols []arrow.Array
}

// session is one session's bounds and key.
type session struct {
	kid         int32
	start, last int64
	live        bool
}

// sessionKey is a key's encoding and its open session (-1 when none).
type sessionKey struct {
	key  string
	open int32
}

// pendingBatch is a kept input batch with its rows not yet processed.
type pendingBatch struct {
	b    Batch
	rem  []int32
	gids []int32 // scratch, by row
	mask []int8
	// id numbers the batch in its state entry; saved is the number of
	// its rows the store holds (0: none).
	id    uint64
	saved int
}

// readyRow is a row the watermark has passed.
type readyRow struct {
	t     int64
	batch int32
	row   int32
	kid   int32
}

var (
	_ Operator      = (*SessionAgg)(nil)
	_ StateReporter = (*SessionAgg)(nil)
)

// NewSessionAgg returns a session window aggregation emitting to out.
func NewSessionAgg(cfg SessionAggConfig, out Stream, mem memory.Allocator) (*SessionAgg, error) {
	if cfg.Gap <= 0 {
		return nil, fmt.Errorf("session-agg: gap %dms, want > 0", cfg.Gap)
	}
	s := &SessionAgg{cfg: cfg, out: out, keyIDs: map[string]int32{}}
	tk := cfg.StartKey
	if tk < 0 {
		tk = cfg.EndKey
	}
	if tk < 0 || tk >= len(cfg.GroupBy) || (cfg.EndKey >= len(cfg.GroupBy)) {
		return nil, fmt.Errorf("session-agg: window columns at %d and %d of %d group columns", cfg.StartKey, cfg.EndKey, len(cfg.GroupBy))
	}
	s.time = cfg.GroupBy[tk]
	if s.time < 0 || s.time >= cfg.Input.Len() || cfg.Input.Columns[s.time].Type.ID != catalog.Timestamp {
		return nil, fmt.Errorf("session-agg: time column %d is not a TIMESTAMP of %s", s.time, cfg.Input)
	}
	var types []catalog.Type
	for i, c := range cfg.GroupBy {
		if i != cfg.StartKey && i != cfg.EndKey {
			s.keys = append(s.keys, i)
			types = append(types, cfg.Input.Columns[c].Type)
		}
	}
	if len(types) > 0 {
		enc, err := agg.NewKeyEncoder(types)
		if err != nil {
			return nil, fmt.Errorf("session-agg: %w", err)
		}
		s.enc = enc
	}
	h, err := NewHashAgg(HashAggConfig{Input: cfg.Input, GroupBy: cfg.GroupBy, Aggs: cfg.Aggs, Output: cfg.Output, AppendOnly: true}, nil, mem)
	if err != nil {
		return nil, fmt.Errorf("session-agg: %w", err)
	}
	s.h = h
	return s, nil
}

// Name implements Operator.
func (s *SessionAgg) Name() string { return "session-agg" }

// Push implements Stream: the batch waits for the watermark.
func (s *SessionAgg) Push(b Batch) error {
	n := b.NumRows()
	if n == 0 {
		return nil
	}
	if !b.AppendOnly() {
		return fmt.Errorf("session-agg: a retraction in its append-only input")
	}
	times := b.Rec.Column(s.time)
	rem := make([]int32, 0, n)
	for i := 0; i < n; i++ {
		if times.IsValid(i) {
			rem = append(rem, int32(i))
		}
	}
	if len(rem) == 0 {
		return nil
	}
	s.ck.batches++
	s.pending = append(s.pending, pendingBatch{b: b.Keep(), rem: rem, id: s.ck.batches})
	return nil
}

// Watermark implements Stream: it folds the rows before t into their
// sessions, emits the sessions t closed, then forwards t.
func (s *SessionAgg) Watermark(t int64) error {
	t = s.ck.wm.forward(t)
	if err := s.advance(t, t == MaxWatermark); err != nil {
		return err
	}
	return s.out.Watermark(t)
}

// Barrier implements Stream.
func (s *SessionAgg) Barrier(epoch uint64) error { return s.out.Barrier(epoch) }

// Close implements Stream: every waiting row is folded in and every
// session emitted first.
func (s *SessionAgg) Close() error {
	err := s.advance(MaxWatermark, true)
	for _, p := range s.pending {
		p.b.Release()
	}
	s.pending = nil
	s.h.bld.Release()
	if cerr := s.out.Close(); err == nil {
		err = cerr
	}
	return err
}

// advance processes the rows before t in time order and emits the
// sessions that close: those a later row of their key could not join,
// and, when final, all of them.
func (s *SessionAgg) advance(t int64, final bool) error {
	s.seq++
	s.collectReady(t)
	s.closing = s.closing[:0]
	if len(s.ready) > 0 {
		s.assignSessions()
		s.foldReady()
	}
	s.dropDone()
	s.collectClosed(t, final)
	return s.emitClosing()
}

// collectReady moves the waiting rows before t to ready, with their key
// ids, sorted by time (then arrival).
func (s *SessionAgg) collectReady(t int64) {
	s.ready = s.ready[:0]
	for bi := range s.pending {
		p := &s.pending[bi]
		times := p.b.Rec.Column(s.time).(*array.Timestamp).TimestampValues()
		first := len(s.ready)
		kept := p.rem[:0]
		for _, r := range p.rem {
			if int64(times[r]) < t {
				s.ready = append(s.ready, readyRow{t: int64(times[r]), batch: int32(bi), row: r})
			} else {
				kept = append(kept, r)
			}
		}
		p.rem = kept
		if len(s.ready) > first {
			s.keyIDsOf(p.b.Rec, s.ready[first:])
		}
	}
	slices.SortFunc(s.ready, func(a, b readyRow) int {
		switch {
		case a.t != b.t:
			return cmpInt64(a.t, b.t)
		case a.batch != b.batch:
			return int(a.batch - b.batch)
		}
		return int(a.row - b.row)
	})
}

// keyIDsOf sets the key id of each ready row of rec, numbering new keys.
func (s *SessionAgg) keyIDsOf(rec arrow.RecordBatch, rows []readyRow) {
	if s.enc == nil {
		if len(s.kinfo) == 0 {
			s.kinfo = append(s.kinfo, sessionKey{open: -1})
		}
		return // every row has key id 0
	}
	s.keyCols = s.keyCols[:0]
	for _, k := range s.keys {
		s.keyCols = append(s.keyCols, rec.Column(s.cfg.GroupBy[k]))
	}
	s.enc.Encode(s.keyCols, int(rec.NumRows()))
	for i := range rows {
		key := s.enc.Key(int(rows[i].row))
		kid, ok := s.keyIDs[string(key)]
		if !ok {
			kid = s.newKey(string(key))
		}
		rows[i].kid = kid
	}
}

func (s *SessionAgg) newKey(key string) int32 {
	var kid int32
	if n := len(s.freeKeys); n > 0 {
		kid = s.freeKeys[n-1]
		s.freeKeys = s.freeKeys[:n-1]
		s.kinfo[kid] = sessionKey{key: key, open: -1}
	} else {
		kid = int32(len(s.kinfo))
		s.kinfo = append(s.kinfo, sessionKey{key: key, open: -1})
	}
	s.keyIDs[key] = kid
	return kid
}

// assignSessions walks the ready rows in time order: each joins its key's
// open session when within Gap of its last row, else the open session
// closes and a new one starts. It records every row's session in its
// batch's gids.
func (s *SessionAgg) assignSessions() {
	for bi := range s.pending {
		p := &s.pending[bi]
		n := p.b.NumRows()
		p.gids, p.mask = growSlice(p.gids, n), growSlice(p.mask, n)
		clear(p.gids)
		clear(p.mask)
	}
	groups := s.h.groups
	for _, r := range s.ready {
		k := &s.kinfo[r.kid]
		g := k.open
		if g >= 0 && r.t-s.sessions[g].last > s.cfg.Gap {
			s.closing = append(s.closing, g)
			g = -1
		}
		if g < 0 {
			g = groups.newID()
			s.sessions = growZeroed(s.sessions, groups.n)
			s.sessions[g] = session{kid: r.kid, start: r.t, last: r.t, live: true}
			k.open = g
		}
		ss := &s.sessions[g]
		ss.last = max(ss.last, r.t)
		if groups.stamp[g] != s.seq {
			if groups.stamp[g] <= s.ck.snapSeq {
				s.ck.dirty = append(s.ck.dirty, g) // first change since the last snapshot
			}
			groups.stamp[g] = s.seq
			s.touched = append(s.touched, g)
		}
		p := &s.pending[r.batch]
		p.gids[r.row], p.mask[r.row] = g, 1
	}
	for _, g := range s.touched {
		heap.Push(&s.ends, sessionEnd{end: s.sessions[g].last + s.cfg.Gap, g: g})
	}
	s.touched = s.touched[:0]
}

// foldReady updates the sessions' accumulators with the ready rows.
func (s *SessionAgg) foldReady() {
	h := s.h
	h.growAccs()
	for bi := range s.pending {
		p := &s.pending[bi]
		if !slices.Contains(p.mask, 1) {
			continue
		}
		h.gids, h.signs = p.gids, p.mask
		for i := range h.aggs {
			h.update(&h.aggs[i], p.b.Rec)
		}
	}
	h.gids, h.signs = nil, nil
}

// dropDone releases the batches with no waiting row left.
func (s *SessionAgg) dropDone() {
	kept := s.pending[:0]
	for _, p := range s.pending {
		if len(p.rem) == 0 {
			s.ck.dropped(p)
			p.b.Release()
			continue
		}
		kept = append(kept, p)
	}
	clear(s.pending[len(kept):])
	s.pending = kept
}

// collectClosed adds the open sessions that end before t (all when
// final) to closing.
func (s *SessionAgg) collectClosed(t int64, final bool) {
	for s.ends.Len() > 0 && (final || s.ends[0].end < t) {
		e := heap.Pop(&s.ends).(sessionEnd)
		ss := &s.sessions[e.g]
		if ss.live && s.kinfo[ss.kid].open == e.g && ss.last+s.cfg.Gap == e.end {
			s.closing = append(s.closing, e.g)
		}
	}
}

// emitClosing emits the closing sessions ordered by window_end, then
// window_start, and frees them.
func (s *SessionAgg) emitClosing() error {
	if len(s.closing) == 0 {
		return nil
	}
	gap := s.cfg.Gap
	slices.SortFunc(s.closing, func(a, b int32) int {
		x, y := &s.sessions[a], &s.sessions[b]
		if c := cmpInt64(x.last+gap, y.last+gap); c != 0 {
			return c
		}
		return cmpInt64(x.start, y.start)
	})
	bld := s.h.bld
	keyBs := make([]array.Builder, len(s.keys))
	for i, k := range s.keys {
		keyBs[i] = bld.Field(k)
	}
	for _, g := range s.closing {
		ss := &s.sessions[g]
		if s.enc != nil {
			if err := s.enc.Decode(s.kinfo[ss.kid].key, keyBs); err != nil {
				return fmt.Errorf("session-agg: %w", err)
			}
		}
		if s.cfg.StartKey >= 0 {
			bld.Field(s.cfg.StartKey).(*array.TimestampBuilder).Append(arrow.Timestamp(ss.start))
		}
		if s.cfg.EndKey >= 0 {
			bld.Field(s.cfg.EndKey).(*array.TimestampBuilder).Append(arrow.Timestamp(ss.last + gap))
		}
	}
	nk := len(s.cfg.GroupBy)
	for i := range s.h.aggs {
		s.h.aggs[i].acc.Append(s.closing, bld.Field(nk+i))
	}
	rec := bld.NewRecordBatch()
	defer rec.Release()
	for _, g := range s.closing {
		s.free(g)
	}
	return s.out.Push(Batch{Rec: rec})
}

// free releases session g, and its key when it was the key's open one.
func (s *SessionAgg) free(g int32) {
	s.freed(g)
	ss := &s.sessions[g]
	if k := &s.kinfo[ss.kid]; k.open == g {
		k.open = -1
		if s.enc != nil {
			delete(s.keyIDs, k.key)
			k.key = ""
			s.freeKeys = append(s.freeKeys, ss.kid)
		}
	}
	*ss = session{}
	s.h.groups.release(g)
	for i := range s.h.aggs {
		s.h.aggs[i].acc.Reset(g)
	}
}

// StateSize implements StateReporter: waiting rows plus open sessions,
// and approximate bytes (kept batches, keys, accumulators).
func (s *SessionAgg) StateSize() (rows, bytes int64) {
	for _, p := range s.pending {
		rows += int64(len(p.rem))
		for _, c := range p.b.Rec.Columns() {
			for _, buf := range c.Data().Buffers() {
				if buf != nil {
					bytes += int64(buf.Len())
				}
			}
		}
	}
	rows += int64(s.h.groups.count)
	bytes += s.h.groups.stateBytes() + int64(cap(s.sessions))*32 + int64(len(s.ends))*16
	for _, k := range s.kinfo {
		bytes += int64(len(k.key)) + 48
	}
	for _, a := range s.h.aggs {
		bytes += a.acc.Bytes()
	}
	return rows, bytes
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// sessionEnd is a heap entry: session g ended at end when pushed (stale
// once the session grew or closed).
type sessionEnd struct {
	end int64
	g   int32
}

// sessionEnds is a min-heap of session ends.
type sessionEnds []sessionEnd

func (q sessionEnds) Len() int           { return len(q) }
func (q sessionEnds) Less(i, j int) bool { return q[i].end < q[j].end }
func (q sessionEnds) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *sessionEnds) Push(x any)        { *q = append(*q, x.(sessionEnd)) }
func (q *sessionEnds) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}
