package exec

import (
	"encoding/binary"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The unique-key join's checkpoint: one entry per row held while its key
// is in flight, keyed by (input, slot id), whose value is the encoded
// row. A key's partial row is rebuilt on Restore from its rows' key
// columns and its timers from their event times (one timer per group:
// the resolution deadline when the first input's row is there, else each
// partner row's expiry). Slots are marked dirty when taken and when
// released (emitted, resolved or expired). The meta entry holds the
// ports' watermarks and closed flags and the forwarded watermark.

var _ Checkpointer = (*UniqueJoin)(nil)

// ujCk is the UniqueJoin's checkpoint bookkeeping.
type ujCk struct {
	codecs []*RowCodec
	meta   sckMeta
}

func (j *UniqueJoin) ckCodec(i int) (*RowCodec, error) {
	if j.ck.codecs == nil {
		j.ck.codecs = make([]*RowCodec, j.n)
	}
	if j.ck.codecs[i] == nil {
		c, err := NewRowCodec(colTypes(j.ins[i].cols))
		if err != nil {
			return nil, fmt.Errorf("%s %s state: %w", j.Name(), j.names[i], err)
		}
		j.ck.codecs[i] = c
	}
	return j.ck.codecs[i], nil
}

func (j *UniqueJoin) ckMem() memory.Allocator {
	if j.mem == nil {
		return memory.DefaultAllocator
	}
	return j.mem
}

// Snapshot implements Checkpointer: the rows taken or released since the
// previous Snapshot, and the watermarks when they moved.
func (j *UniqueJoin) Snapshot(w StateWriter) error {
	if j.n > 255 {
		return fmt.Errorf("%s: %d inputs, at most 255 can be checkpointed", j.Name(), j.n)
	}
	noHeader := func(dst []byte, _ int32) []byte { return dst }
	for i, in := range j.ins {
		if len(in.ck.dirty) == 0 {
			continue
		}
		codec, err := j.ckCodec(i)
		if err != nil {
			return err
		}
		if err := in.ck.snapshot(w, byte(i), codec, colGather(in.cols, j.ckMem()), in.ck.live, noHeader); err != nil {
			return fmt.Errorf("%s %s state: %w", j.Name(), j.names[i], err)
		}
	}
	meta := binary.AppendVarint(nil, j.fwdWM)
	meta = appendPorts(meta, j.ports)
	return j.ck.meta.write(w, meta)
}

// Restore implements Checkpointer. It must be called on a new UniqueJoin.
func (j *UniqueJoin) Restore(r StateReader) error {
	for _, in := range j.ins {
		if in.nslots > 0 {
			return fmt.Errorf("%s: restore into a join that holds state", j.Name())
		}
	}
	ents, err := sckScanSlots(r, j.n, "unique-key join", func(v []byte) error {
		rd := sckReader{b: v}
		j.fwdWM = rd.varint()
		if err := readPorts(&rd, j.ports); err != nil {
			return err
		}
		j.ck.meta.last = append([]byte(nil), v...)
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: restore: %w", j.Name(), err)
	}
	for i := range j.n {
		if err := j.restoreInput(i, ents[i]); err != nil {
			return fmt.Errorf("%s: restore %s: %w", j.Name(), j.names[i], err)
		}
	}
	j.restoreTimers()
	j.notePeak()
	return nil
}

// restoreInput puts input i's rows back at their slots and into their
// keys' groups.
func (j *UniqueJoin) restoreInput(i int, es []sckEntry) error {
	if len(es) == 0 {
		return nil
	}
	in := j.ins[i]
	codec, err := j.ckCodec(i)
	if err != nil {
		return err
	}
	sckSortEntries(es)
	n := int(es[len(es)-1].slot) + 1
	in.nslots, in.times, in.live = n, make([]int64, n), len(es)
	in.free = sckFreeList(es, n)
	rows := make([][]byte, len(es))
	for k, e := range es {
		rows[k] = e.val
	}
	rec, err := sckDecodeRows(codec, rows, j.ckMem())
	if err != nil {
		return err
	}
	defer rec.Release()
	in.enc.encode(rec, &in.keys)
	tcol := rec.Column(j.times[i])
	idx := make([]int32, len(es))
	slots := make([]int32, len(es))
	for k, e := range es {
		t, ok := timeAt(tcol, k)
		if !ok || in.keys.null[k] {
			return fmt.Errorf("slot %d: a held row with a NULL key or time", e.slot)
		}
		g := j.groups.groupFor(&in.keys, k)
		if j.groups.slot(g, i) >= 0 {
			return fmt.Errorf("slot %d: key %s held twice", e.slot, keyText(rec, in.enc.cols, k))
		}
		j.groups.set(g, i, e.slot)
		in.times[e.slot] = t
		in.ck.restored(e.slot)
		idx[k], slots[k] = int32(k), e.slot
	}
	in.copyIn(rec, idx, slots)
	return nil
}

// restoreTimers gives every restored group the timer that decides its
// fate: its resolution deadline with its first-input row, else each
// partner row's expiry.
func (j *UniqueJoin) restoreTimers() {
	for g := range int32(len(j.groups.count)) {
		if j.groups.count[g] == 0 {
			continue
		}
		if s0 := j.groups.slot(g, 0); s0 >= 0 {
			j.due.push(ujTimer{at: j.deadline(g, j.ins[0].times[s0]), g: g, gen: j.groups.gen[g]})
			continue
		}
		for i := 1; i < j.n; i++ {
			if s := j.groups.slot(g, i); s >= 0 {
				j.due.push(ujTimer{at: satAdd(j.ins[i].times[s], -j.lowCum[i]), g: g, gen: j.groups.gen[g]})
			}
		}
	}
}
