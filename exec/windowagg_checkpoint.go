package exec

import (
	"bytes"
	"cmp"
	"container/heap"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow/ipc"

	"github.com/sqlstream/sqlstream/exec/agg"
)

// Window aggregation checkpoints (Checkpointer).
//
// WindowAgg (TUMBLE, HOP, CUMULATE, EMIT ON WINDOW CLOSE) keeps HashAgg's
// group entries (hashagg_checkpoint.go; the window bounds are group
// columns, so they are part of the key) with this bookkeeping after the
// version byte: varint row count, varint close time, uvarint opening
// order (groups closing together are emitted in the order they opened).
//
// SessionAgg writes
//
//	's' + session key (agg.KeyEncoder of the non-window group columns)
//	    → version, varint start, varint last row time, accumulator states:
//	    the key's open session (between watermarks every live session is
//	    its key's open one);
//	'p' + 8-byte batch number → version, an Arrow IPC stream of the
//	    batch's rows still waiting for the watermark;
//
// and both write 'w' → version, varint: the last watermark forwarded.
// After a Restore, a lower input watermark (sources restart theirs from
// MinWatermark) forwards the restored one instead, so the output's
// watermark never goes back.

const (
	windowWatermarkKey = 'w'
	sessionKeyPrefix   = 's'
	sessionBatchPrefix = 'p'
)

// ckWatermark is the last watermark an operator forwarded and the one the
// store holds.
type ckWatermark struct {
	t, saved      int64
	set, savedSet bool
	// floor is the restored watermark, when restored.
	floor    int64
	hasFloor bool
}

// forward returns the watermark to process and forward for input t: t,
// or the restored watermark while t is below it.
func (c *ckWatermark) forward(t int64) int64 {
	if c.hasFloor && t < c.floor {
		t = c.floor
	}
	c.t, c.set = t, true
	return t
}

// snapshot writes the watermark entry when it changed.
func (c *ckWatermark) snapshot(w StateWriter) error {
	if !c.set || (c.savedSet && c.saved == c.t) {
		return nil
	}
	v := binary.AppendVarint([]byte{aggStateVersion}, c.t)
	if err := w.Put([]byte{windowWatermarkKey}, v); err != nil {
		return err
	}
	c.saved, c.savedSet = c.t, true
	return nil
}

// restore reads the watermark entry's value.
func (c *ckWatermark) restore(v []byte) error {
	if len(v) == 0 || v[0] != aggStateVersion {
		return fmt.Errorf("watermark state version %v, want %d", v[:min(len(v), 1)], aggStateVersion)
	}
	t, rest, err := ckVarint(v[1:])
	if err != nil || len(rest) != 0 {
		return fmt.Errorf("watermark state %x: malformed", v)
	}
	c.t, c.set, c.saved, c.savedSet = t, true, t, true
	c.floor, c.hasFloor = t, true
	return nil
}

// windowCheckpoint is a WindowAgg's bookkeeping beyond its groups'.
type windowCheckpoint struct {
	order []uint64 // by group id: its opening number
	next  uint64
	wm    ckWatermark
}

// opened numbers group g, just opened.
func (c *windowCheckpoint) opened(g int32) {
	c.order = growZeroed(c.order, int(g)+1)
	c.order[g] = c.next
	c.next++
}

// Snapshot implements Checkpointer: the groups changed since the previous
// Snapshot, the closed ones deleted, and the watermark.
func (w *WindowAgg) Snapshot(sw StateWriter) error {
	if err := w.h.snapshotGroups(sw, w.appendGroupMeta); err != nil {
		return fmt.Errorf("%s: %w", w.cfg.Name, err)
	}
	if err := w.ck.wm.snapshot(sw); err != nil {
		return fmt.Errorf("%s: snapshot: %w", w.cfg.Name, err)
	}
	return nil
}

func (w *WindowAgg) appendGroupMeta(dst []byte, g int32) []byte {
	dst = binary.AppendVarint(dst, w.h.groups.rows[g])
	dst = binary.AppendVarint(dst, w.closeAt[g])
	return binary.AppendUvarint(dst, w.ck.order[g])
}

// Restore implements Checkpointer: it rebuilds the open groups, their
// close times in their opening order, and the watermark.
func (w *WindowAgg) Restore(r StateReader) error {
	h := w.h
	var entries []restoredGroup
	err := r.Scan(func(key, value []byte) error {
		switch {
		case len(key) > 0 && key[0] == aggGroupPrefix:
			entries = append(entries, restoredGroup{string(key[1:]), string(value)})
			return nil
		case len(key) == 1 && key[0] == windowWatermarkKey:
			return w.ck.wm.restore(value)
		}
		return fmt.Errorf("unknown state key %q", key)
	})
	if err != nil {
		return fmt.Errorf("%s: restore: %w", w.cfg.Name, err)
	}
	if h.seq != 0 || h.groups.count > 0 {
		return fmt.Errorf("%s: restore after input", w.cfg.Name)
	}
	type opening struct {
		g     int32
		at    int64
		order uint64
	}
	var opens []opening
	_, err = h.restoreGroupsInto(entries, func(src []byte, g int32) ([]byte, error) {
		rows, rest, err := ckVarint(src)
		if err != nil {
			return nil, err
		}
		at, rest, err := ckVarint(rest)
		if err != nil {
			return nil, err
		}
		order, rest, err := ckUvarint(rest)
		if err != nil {
			return nil, err
		}
		if rows <= 0 {
			return nil, fmt.Errorf("open group with %d rows", rows)
		}
		h.groups.rows[g] = rows
		opens = append(opens, opening{g, at, order})
		return rest, nil
	})
	if err != nil {
		return fmt.Errorf("%s: restore: %w", w.cfg.Name, err)
	}
	slices.SortFunc(opens, func(a, b opening) int { return cmp.Compare(a.order, b.order) })
	w.closeAt = growZeroed(w.closeAt, h.groups.n)
	for _, o := range opens {
		w.open(o.g, o.at)
	}
	return nil
}

// sessionCheckpoint is a SessionAgg's snapshot bookkeeping.
type sessionCheckpoint struct {
	// snapSeq is SessionAgg.seq at the last Snapshot; dirty lists the
	// sessions changed since (see aggCheckpoint).
	snapSeq uint64
	dirty   []int32
	saved   []bool   // by group id: the store holds the session
	dels    []string // keys of saved sessions freed since the last Snapshot
	batches uint64   // pending batches numbered so far
	delB    []uint64 // saved batches dropped since the last Snapshot
	wm      ckWatermark
	buf     []byte
	ipcBuf  bytes.Buffer
}

// dropped queues the entry of pending batch p, about to be released, for
// a Delete when the store holds it.
func (c *sessionCheckpoint) dropped(p pendingBatch) {
	if p.saved > 0 {
		c.delB = append(c.delB, p.id)
	}
}

// freed queues the entry of session g, about to be freed, for a Delete
// when the store holds it.
func (s *SessionAgg) freed(g int32) {
	c := &s.ck
	if int(g) < len(c.saved) && c.saved[g] {
		c.saved[g] = false
		c.dels = append(c.dels, s.kinfo[s.sessions[g].kid].key)
	}
}

func sessionKeyOf(key string) []byte { return append([]byte{sessionKeyPrefix}, key...) }

func batchKeyOf(id uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte{sessionBatchPrefix}, id)
}

// Snapshot implements Checkpointer: the sessions and waiting rows changed
// since the previous Snapshot, and the watermark.
func (s *SessionAgg) Snapshot(w StateWriter) error {
	if err := s.snapshot(w); err != nil {
		return fmt.Errorf("session-agg: snapshot: %w", err)
	}
	return nil
}

func (s *SessionAgg) snapshot(w StateWriter) error {
	c := &s.ck
	for _, k := range c.dels {
		if err := w.Delete(sessionKeyOf(k)); err != nil {
			return err
		}
	}
	for _, id := range c.delB {
		if err := w.Delete(batchKeyOf(id)); err != nil {
			return err
		}
	}
	c.dels, c.delB = c.dels[:0], c.delB[:0]
	c.saved = growZeroed(c.saved, s.h.groups.n)
	for _, g := range c.dirty {
		ss := &s.sessions[g]
		if !ss.live {
			continue
		}
		v := append(c.buf[:0], aggStateVersion)
		v = binary.AppendVarint(v, ss.start)
		v = binary.AppendVarint(v, ss.last)
		for i := range s.h.aggs {
			v = s.h.aggs[i].acc.(agg.State).AppendState(v, g)
		}
		c.buf = v
		if err := w.Put(sessionKeyOf(s.kinfo[ss.kid].key), v); err != nil {
			return err
		}
		c.saved[g] = true
	}
	c.dirty = c.dirty[:0]
	c.snapSeq = s.seq
	for i := range s.pending {
		p := &s.pending[i]
		if p.saved == len(p.rem) {
			continue
		}
		if err := s.putBatch(w, p); err != nil {
			return err
		}
		p.saved = len(p.rem)
	}
	return c.wm.snapshot(w)
}

// putBatch writes the waiting rows of p as an Arrow IPC stream.
func (s *SessionAgg) putBatch(w StateWriter, p *pendingBatch) error {
	rows, err := TakeRows(Batch{Rec: p.b.Rec}, p.rem, s.h.mem)
	if err != nil {
		return err
	}
	defer rows.Release()
	buf := &s.ck.ipcBuf
	buf.Reset()
	buf.WriteByte(aggStateVersion)
	iw := ipc.NewWriter(buf, ipc.WithSchema(rows.Rec.Schema()), ipc.WithAllocator(s.h.mem))
	if err := iw.Write(rows.Rec); err != nil {
		return fmt.Errorf("encode waiting rows: %w", err)
	}
	if err := iw.Close(); err != nil {
		return fmt.Errorf("encode waiting rows: %w", err)
	}
	return w.Put(batchKeyOf(p.id), buf.Bytes())
}

// Restore implements Checkpointer: it rebuilds the open sessions, their
// keys and accumulators, the rows waiting for the watermark (in arrival
// order) and the watermark.
func (s *SessionAgg) Restore(r StateReader) error {
	if s.seq != 0 || len(s.pending) > 0 || s.h.groups.count > 0 {
		return fmt.Errorf("session-agg: restore after input")
	}
	if err := s.restore(r); err != nil {
		return fmt.Errorf("session-agg: restore: %w", err)
	}
	return nil
}

func (s *SessionAgg) restore(r StateReader) error {
	for i := range s.h.aggs {
		if _, ok := s.h.aggs[i].acc.(agg.State); !ok {
			return fmt.Errorf("aggregate %s has no checkpoint state", s.h.aggs[i].call.Name)
		}
	}
	err := r.Scan(func(key, value []byte) error {
		switch {
		case len(key) == 1 && key[0] == windowWatermarkKey:
			return s.ck.wm.restore(value)
		case len(key) > 0 && key[0] == sessionKeyPrefix:
			if err := s.restoreSession(string(key[1:]), value); err != nil {
				return fmt.Errorf("session %x: %w", key[1:], err)
			}
			return nil
		case len(key) == 9 && key[0] == sessionBatchPrefix:
			return s.restoreBatch(binary.BigEndian.Uint64(key[1:]), value)
		}
		return fmt.Errorf("unknown state key %q", key)
	})
	slices.SortFunc(s.pending, func(a, b pendingBatch) int { return cmp.Compare(a.id, b.id) })
	return err
}

// restoreSession rebuilds the open session of key.
func (s *SessionAgg) restoreSession(key string, v []byte) error {
	if len(v) == 0 || v[0] != aggStateVersion {
		return fmt.Errorf("state version %v, want %d", v[:min(len(v), 1)], aggStateVersion)
	}
	start, rest, err := ckVarint(v[1:])
	if err != nil {
		return err
	}
	last, rest, err := ckVarint(rest)
	if err != nil {
		return err
	}
	var kid int32
	if s.enc == nil {
		if key != "" || len(s.kinfo) > 0 {
			return fmt.Errorf("a second session of a key-less session window")
		}
		s.kinfo = append(s.kinfo, sessionKey{open: -1})
	} else {
		if _, ok := s.keyIDs[key]; ok {
			return fmt.Errorf("key stored twice")
		}
		kid = s.newKey(key)
	}
	groups := s.h.groups
	g := groups.newID()
	s.sessions = growZeroed(s.sessions, groups.n)
	s.sessions[g] = session{kid: kid, start: start, last: last, live: true}
	s.kinfo[kid].open = g
	s.h.growAccs()
	for i := range s.h.aggs {
		if rest, err = s.h.aggs[i].acc.(agg.State).RestoreState(rest, g); err != nil {
			return err
		}
	}
	if len(rest) != 0 {
		return fmt.Errorf("%d bytes after the session state", len(rest))
	}
	heap.Push(&s.ends, sessionEnd{end: last + s.cfg.Gap, g: g})
	s.ck.saved = growZeroed(s.ck.saved, groups.n)
	s.ck.saved[g] = true
	return nil
}

// restoreBatch reads back a batch of waiting rows (restore sorts them
// back into arrival order).
func (s *SessionAgg) restoreBatch(id uint64, v []byte) error {
	if len(v) == 0 || v[0] != aggStateVersion {
		return fmt.Errorf("waiting rows %d: state version %v, want %d", id, v[:min(len(v), 1)], aggStateVersion)
	}
	rd, err := ipc.NewReader(bytes.NewReader(v[1:]), ipc.WithAllocator(s.h.mem))
	if err != nil {
		return fmt.Errorf("waiting rows %d: %w", id, err)
	}
	defer rd.Release()
	if !rd.Next() {
		if err := rd.Err(); err != nil {
			return fmt.Errorf("waiting rows %d: %w", id, err)
		}
		return fmt.Errorf("waiting rows %d: no record", id)
	}
	rec := rd.RecordBatch()
	rec.Retain()
	n := int(rec.NumRows())
	rem := make([]int32, n)
	for i := range rem {
		rem[i] = int32(i)
	}
	p := pendingBatch{b: Batch{Rec: rec}, rem: rem, id: id, saved: n}
	s.pending = append(s.pending, p)
	s.ck.batches = max(s.ck.batches, id)
	return nil
}
