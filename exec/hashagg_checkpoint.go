package exec

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec/agg"
)

// HashAgg checkpoints (Checkpointer). The state is one entry per group:
//
//	key   'g' + the group key in agg.KeyEncoder's encoding (just 'g' for
//	      a global aggregate)
//	value version byte, flags (bit 0: the group's row has been emitted,
//	      so downstream holds it and the next change is a -U/+U pair),
//	      varint row count, varint last-change time (ms, for the TTL),
//	      then every accumulator's agg.State in call order.
//
// Dirty tracking costs one comparison per group a batch touches: a group
// whose stamp (the batch that last touched it) is not after the last
// snapshot's batch is appended to a list when touched. A released group
// that the store holds queues its key for a Delete. Snapshot writes the
// Deletes, then a Put per listed group still in use, so a key deleted and
// re-created within an epoch ends as its Put.

const (
	// aggStateVersion leads every value HashAgg and WindowAgg write.
	aggStateVersion = 1
	// aggGroupPrefix leads the key of a group entry.
	aggGroupPrefix = 'g'
	// aggFlagLive marks a group whose row downstream holds.
	aggFlagLive = 1
	// ckChunk is the number of keys encoded or decoded at a time.
	ckChunk = 4096
)

var (
	_ Checkpointer = (*HashAgg)(nil)
	_ Checkpointer = (*WindowAgg)(nil)
	_ Checkpointer = (*SessionAgg)(nil)
)

// aggCheckpoint is the snapshot bookkeeping of a HashAgg's groups.
type aggCheckpoint struct {
	// snapSeq is the batch number (HashAgg.seq) at the last Snapshot: a
	// group stamped after it is already listed in dirty.
	snapSeq uint64
	// dirty lists the ids of the groups changed since the last Snapshot;
	// an id may since have been freed, or reused by another group.
	dirty []int32
	// saved is by group id: the store holds the group.
	saved []bool
	// savedStarted is the global row's emitted flag the store holds.
	savedStarted bool
	// dels holds the keys of released saved groups (one builder per group
	// column), deleted at the next Snapshot; ndel counts them.
	dels []array.Builder
	ndel int
	one  []int32
	// err is a failure to queue a Delete, reported by the next Snapshot.
	err error

	// enc encodes and decodes group keys; keyBs and keyCols are scratch.
	enc     *agg.KeyEncoder
	keyBs   []array.Builder
	keyCols []arrow.Array
	buf     []byte
	gs      []int32
}

// noteDirty stamps the groups of gids with a new batch number and lists
// those not yet changed since the last snapshot (for operators that do
// not call markTouched).
func (h *HashAgg) noteDirty(gids []int32) {
	h.seq++
	stamp := h.groups.stamp
	for _, g := range gids {
		if stamp[g] != h.seq {
			if stamp[g] <= h.ck.snapSeq {
				h.ck.dirty = append(h.ck.dirty, g)
			}
			stamp[g] = h.seq
		}
	}
}

// released queues the key of group g, about to be released, for a Delete
// when the store holds it.
func (h *HashAgg) released(g int32) {
	c := &h.ck
	if int(g) >= len(c.saved) || !c.saved[g] {
		return
	}
	c.saved[g] = false
	if h.global {
		return
	}
	if c.dels == nil {
		c.dels = h.keyBuilders()
	}
	c.one = append(c.one[:0], g)
	if err := h.index.appendKeys(c.one, c.dels); err != nil && c.err == nil {
		c.err = fmt.Errorf("key of released group %d: %w", g, err) // reported by the next Snapshot
	}
	c.ndel++
}

// keyBuilders returns one builder per group column.
func (h *HashAgg) keyBuilders() []array.Builder {
	nk := len(h.cfg.GroupBy)
	bs := make([]array.Builder, nk)
	for i := range bs {
		bs[i] = array.NewBuilder(h.mem, h.cfg.Output.Field(i).Type)
	}
	return bs
}

// keyEncoder returns the encoder of the group key.
func (h *HashAgg) keyEncoder() (*agg.KeyEncoder, error) {
	if h.ck.enc == nil {
		types := make([]catalog.Type, len(h.cfg.GroupBy))
		for i, c := range h.cfg.GroupBy {
			types[i] = h.cfg.Input.Columns[c].Type
		}
		enc, err := agg.NewKeyEncoder(types)
		if err != nil {
			return nil, fmt.Errorf("hash-agg: %w", err)
		}
		h.ck.enc = enc
	}
	return h.ck.enc, nil
}

// Snapshot implements Checkpointer: the groups changed since the previous
// Snapshot.
func (h *HashAgg) Snapshot(w StateWriter) error {
	return h.snapshotGroups(w, h.appendGroupMeta)
}

// appendGroupMeta appends HashAgg's bookkeeping of group g.
func (h *HashAgg) appendGroupMeta(dst []byte, g int32) []byte {
	flags := byte(0)
	if h.groups.live[g] {
		flags |= aggFlagLive
	}
	dst = append(dst, flags)
	dst = binary.AppendVarint(dst, h.groups.rows[g])
	return binary.AppendVarint(dst, h.groups.used[g])
}

// snapshotGroups writes the Deletes of released groups, then a Put per
// changed group in use, its value the version, meta's bytes and the
// accumulators' states, and forgets the changes.
func (h *HashAgg) snapshotGroups(w StateWriter, meta func(dst []byte, g int32) []byte) error {
	c := &h.ck
	if c.err != nil {
		return fmt.Errorf("%s: snapshot: %w", h.Name(), c.err)
	}
	if err := h.writeDeletes(w); err != nil {
		return err
	}
	gs := c.gs[:0]
	for _, g := range c.dirty {
		if h.groups.inUse[g] && !(h.global && g == 0) {
			gs = append(gs, g)
		}
	}
	if h.global && (len(c.dirty) > 0 || h.started != c.savedStarted) {
		gs = append(gs, 0)
		c.savedStarted = h.started
	}
	c.gs = gs
	c.saved = growZeroed(c.saved, h.groups.n)
	err := h.encodeKeys(gs, func(i int, key []byte) error {
		g := gs[i]
		v := append(c.buf[:0], aggStateVersion)
		v = meta(v, g)
		for j := range h.aggs {
			v = h.aggs[j].acc.(agg.State).AppendState(v, g)
		}
		c.buf = v
		c.saved[g] = true
		return w.Put(key, v)
	})
	if err != nil {
		return fmt.Errorf("%s: snapshot: %w", h.Name(), err)
	}
	c.dirty = c.dirty[:0]
	c.snapSeq = h.seq
	return nil
}

// writeDeletes deletes the keys queued by released.
func (h *HashAgg) writeDeletes(w StateWriter) error {
	c := &h.ck
	if c.ndel == 0 {
		return nil
	}
	enc, err := h.keyEncoder()
	if err != nil {
		return err
	}
	cols := make([]arrow.Array, len(c.dels))
	for i, b := range c.dels {
		cols[i] = b.NewArray()
	}
	defer ckReleaseAll(cols)
	n := c.ndel
	c.ndel = 0
	enc.Encode(cols, n)
	key := c.buf[:0]
	for i := 0; i < n; i++ {
		key = append(append(key[:0], aggGroupPrefix), enc.Key(i)...)
		if err := w.Delete(key); err != nil {
			return fmt.Errorf("%s: snapshot: %w", h.Name(), err)
		}
	}
	c.buf = key
	return nil
}

func ckReleaseAll(as []arrow.Array) {
	for _, a := range as {
		if a != nil {
			a.Release()
		}
	}
}

// encodeKeys calls f with the entry key ('g' + the group key) of every
// group of gs, in order. The key is valid during the call.
func (h *HashAgg) encodeKeys(gs []int32, f func(i int, key []byte) error) error {
	var key []byte
	if h.global {
		key = []byte{aggGroupPrefix}
		for i := range gs {
			if err := f(i, key); err != nil {
				return err
			}
		}
		return nil
	}
	if x, ok := h.index.(*strIndex); ok {
		for i, g := range gs {
			key = append(append(key[:0], aggGroupPrefix), x.keys[g]...)
			if err := f(i, key); err != nil {
				return err
			}
		}
		return nil
	}
	enc, err := h.keyEncoder()
	if err != nil {
		return err
	}
	if h.ck.keyBs == nil {
		h.ck.keyBs = h.keyBuilders()
	}
	for lo := 0; lo < len(gs); lo += ckChunk {
		chunk := gs[lo:min(lo+ckChunk, len(gs))]
		if err := h.index.appendKeys(chunk, h.ck.keyBs); err != nil {
			return err
		}
		cols := h.ck.keyCols[:0]
		for _, b := range h.ck.keyBs {
			cols = append(cols, b.NewArray())
		}
		h.ck.keyCols = cols
		enc.Encode(cols, len(chunk))
		ckReleaseAll(cols)
		for i := range chunk {
			key = append(append(key[:0], aggGroupPrefix), enc.Key(i)...)
			if err := f(lo+i, key); err != nil {
				return err
			}
		}
	}
	return nil
}

// Restore implements Checkpointer: it rebuilds the groups, their keys and
// accumulators, and what downstream holds of each.
func (h *HashAgg) Restore(r StateReader) error {
	return h.restoreGroups(r, h.restoreGroupMeta)
}

// restoreGroupMeta reads HashAgg's bookkeeping of group g.
func (h *HashAgg) restoreGroupMeta(src []byte, g int32) ([]byte, error) {
	if len(src) == 0 {
		return nil, errCkTruncated
	}
	flags, rest := src[0], src[1:]
	rows, rest, err := ckVarint(rest)
	if err != nil {
		return nil, err
	}
	used, rest, err := ckVarint(rest)
	if err != nil {
		return nil, err
	}
	h.groups.live[g] = flags&aggFlagLive != 0
	h.groups.rows[g] = rows
	h.groups.used[g] = used
	if h.global {
		h.started = h.groups.live[0]
		h.ck.savedStarted = h.started
	}
	return rest, nil
}

var errCkTruncated = errors.New("state value truncated")

func ckVarint(src []byte) (int64, []byte, error) {
	v, n := binary.Varint(src)
	if n <= 0 {
		return 0, nil, errCkTruncated
	}
	return v, src[n:], nil
}

func ckUvarint(src []byte) (uint64, []byte, error) {
	v, n := binary.Uvarint(src)
	if n <= 0 {
		return 0, nil, errCkTruncated
	}
	return v, src[n:], nil
}

// restoredGroup is a group entry read back, before its group exists.
type restoredGroup struct {
	key, value string
}

// restoreGroups reads every entry of r, all group entries ('g'), and
// rebuilds their groups, meta reading the operator's bookkeeping after
// the version byte.
func (h *HashAgg) restoreGroups(r StateReader, meta func(src []byte, g int32) ([]byte, error)) error {
	if h.seq != 0 || h.started || (!h.global && h.groups.count > 0) {
		return fmt.Errorf("%s: restore after input", h.Name())
	}
	var entries []restoredGroup
	err := r.Scan(func(key, value []byte) error {
		if len(key) > 0 && key[0] == aggGroupPrefix {
			entries = append(entries, restoredGroup{string(key[1:]), string(value)})
			return nil
		}
		return fmt.Errorf("unknown state key %q", key)
	})
	if err == nil {
		_, err = h.restoreGroupsInto(entries, meta)
	}
	if err != nil {
		return fmt.Errorf("%s: restore: %w", h.Name(), err)
	}
	return nil
}

// restoreGroupsInto creates the groups of entries and restores their
// state; it returns their ids, by entry.
func (h *HashAgg) restoreGroupsInto(entries []restoredGroup, meta func(src []byte, g int32) ([]byte, error)) ([]int32, error) {
	for i := range h.aggs {
		if _, ok := h.aggs[i].acc.(agg.State); !ok {
			return nil, fmt.Errorf("aggregate %s has no checkpoint state", h.aggs[i].call.Name)
		}
	}
	gids := make([]int32, len(entries))
	if h.global {
		if len(entries) > 1 {
			return nil, fmt.Errorf("%d rows of a global aggregate", len(entries))
		}
	} else if err := h.createGroups(entries, gids); err != nil {
		return nil, err
	}
	h.ck.saved = growZeroed(h.ck.saved, h.groups.n)
	for i, e := range entries {
		g := gids[i]
		v := []byte(e.value)
		if len(v) == 0 || v[0] != aggStateVersion {
			return nil, fmt.Errorf("group state version %v, want %d", v[:min(len(v), 1)], aggStateVersion)
		}
		rest, err := meta(v[1:], g)
		for j := 0; err == nil && j < len(h.aggs); j++ {
			rest, err = h.aggs[j].acc.(agg.State).RestoreState(rest, g)
		}
		if err == nil && len(rest) != 0 {
			err = fmt.Errorf("%d bytes after the group state", len(rest))
		}
		if err != nil {
			return nil, fmt.Errorf("group %x: %w", e.key, err)
		}
		h.ck.saved[g] = true
	}
	return gids, nil
}

// createGroups decodes the keys of entries in chunks and creates their
// groups through the group index.
func (h *HashAgg) createGroups(entries []restoredGroup, gids []int32) error {
	enc, err := h.keyEncoder()
	if err != nil {
		return err
	}
	bs := h.keyBuilders()
	defer func() {
		for _, b := range bs {
			b.Release()
		}
	}()
	cols := make([]arrow.Array, len(bs))
	for lo := 0; lo < len(entries); lo += ckChunk {
		chunk := entries[lo:min(lo+ckChunk, len(entries))]
		for _, e := range chunk {
			if err := enc.Decode(e.key, bs); err != nil {
				return fmt.Errorf("group key %x: %w", e.key, err)
			}
		}
		for i, b := range bs {
			cols[i] = b.NewArray()
		}
		before := h.groups.count
		h.index.assign(cols, gids[lo:lo+len(chunk)], h.groups)
		ckReleaseAll(cols)
		if h.groups.count-before != len(chunk) {
			return fmt.Errorf("%d group keys stored twice", len(chunk)-(h.groups.count-before))
		}
		h.growAccs()
	}
	return nil
}

// close releases the builders of the bookkeeping.
func (c *aggCheckpoint) close() {
	for _, bs := range [][]array.Builder{c.dels, c.keyBs} {
		for _, b := range bs {
			b.Release()
		}
	}
	c.dels, c.keyBs, c.ndel = nil, nil, 0
}
