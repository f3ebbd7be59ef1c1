package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// joinAct is what one input row did to its side's state.
type joinAct struct {
	slot         int32 // -1: a retraction of a row not in state
	retract      bool
	partners     int32 // the other side's key group, -1 for none
	cStart, cEnd int32 // its candidate pairs in Join.cands (with a residual)
}

// joinPair is a candidate pair of slots: own side, other side.
type joinPair struct{ own, other int32 }

// push applies a batch of one side in three steps: update the side's
// state row by row, recording each row's partner group (and, with a
// residual, its candidate pairs); evaluate the residual once over all
// candidate pairs; then walk the rows in order, updating match counts and
// emitting joined and NULL-padded rows. The other side's rows do not
// change during the batch, so a row's partners are fixed by step one.
func (j *Join) push(side int, b Batch) error {
	n := b.NumRows()
	if n == 0 {
		return nil
	}
	now := j.clock().UnixMilli()
	j.expire(now)
	own, other := j.sides(side)
	if b.Rec.NumCols() != int64(len(own.cols)) {
		return fmt.Errorf("batch has %d columns, want %d", b.Rec.NumCols(), len(own.cols))
	}
	j.applyRows(own, other, b, now)
	own.storeFresh(b.Rec)
	if err := j.evalResidual(side); err != nil {
		return err
	}
	if err := j.emitRows(side); err != nil {
		return err
	}
	err := j.emit.flush(j)
	own.endBatch()
	return err
}

// applyRows is step one.
func (j *Join) applyRows(own, other *joinSide, b Batch, now int64) {
	own.enc.encode(b.Rec, &own.keys)
	hashes := own.hasher.hash(b.Rec)
	if own.fixedIdx != nil {
		own.fixedIdx.touch(own.keys.u64)
		other.fixedIdx.touch(own.keys.u64)
	} else {
		own.bytesIdx.touch(own.keys.hash)
		other.bytesIdx.touch(own.keys.hash)
	}
	j.acts, j.cands = j.acts[:0], j.cands[:0]
	for r := range b.NumRows() {
		act := joinAct{slot: -1, retract: b.Op(r).IsRetraction(), partners: -1}
		var g int32
		switch {
		case !act.retract:
			g = own.groupFor(r)
			act.slot = own.insert(g, hashes[r], b.Rec, r, now)
		case own.keys.null[r]:
			g = own.nullGroup
		default:
			g = own.probe(&own.keys, r)
		}
		if act.retract && g >= 0 {
			act.slot = own.retract(g, hashes[r], b.Rec, r, now)
		}
		if act.slot >= 0 {
			act.partners = other.probe(&own.keys, r)
		}
		if j.residual != nil && act.partners >= 0 {
			act.cStart = int32(len(j.cands))
			for t := other.gHead[act.partners]; t >= 0; t = other.rows[t].next {
				j.cands = append(j.cands, joinPair{own: act.slot, other: t})
			}
			act.cEnd = int32(len(j.cands))
		}
		j.acts = append(j.acts, act)
	}
}

// evalResidual is step two: pass[i] says whether cands[i] joins.
func (j *Join) evalResidual(side int) error {
	if j.residual == nil || len(j.cands) == 0 {
		return nil
	}
	ls := make([]int32, len(j.cands))
	rs := make([]int32, len(j.cands))
	for i, c := range j.cands {
		ls[i], rs[i] = c.own, c.other
	}
	if side == 1 {
		ls, rs = rs, ls
	}
	rec := gatherPairs(j.schema, j.left.cols, j.right.cols, ls, rs, j.mem)
	defer rec.Release()
	sel, err := j.residual.Select(rec, j.mem, j.sel)
	if err != nil {
		return fmt.Errorf("residual: %w", err)
	}
	j.sel = sel
	j.pass = joinResize(j.pass, len(j.cands))
	clear(j.pass)
	for _, i := range sel {
		j.pass[i] = true
	}
	return nil
}

// gatherPairs builds a batch of a join's output schema from the left
// and right stores' columns at slots ls and rs (-1 for NULL padding).
// The caller releases it.
func gatherPairs(schema *arrow.Schema, left, right []*colStore, ls, rs []int32, mem memory.Allocator) arrow.RecordBatch {
	cols := make([]arrow.Array, 0, schema.NumFields())
	for _, c := range left {
		cols = append(cols, c.gather(ls, mem))
	}
	for _, c := range right {
		cols = append(cols, c.gather(rs, mem))
	}
	rec := array.NewRecordBatch(schema, cols, int64(len(ls)))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// partnersOf lists the other side's slots that join with act's row.
func (j *Join) partnersOf(act joinAct, other *joinSide, dst []int32) []int32 {
	dst = dst[:0]
	if act.partners < 0 {
		return dst
	}
	if j.residual == nil {
		for t := other.gHead[act.partners]; t >= 0; t = other.rows[t].next {
			dst = append(dst, t)
		}
		return dst
	}
	for i := act.cStart; i < act.cEnd; i++ {
		if j.pass[i] {
			dst = append(dst, j.cands[i].other)
		}
	}
	return dst
}

// emitRows is step three.
func (j *Join) emitRows(side int) error {
	own, other := j.sides(side)
	ownOuter, otherOuter := j.preserved(side), j.preserved(1-side)
	e := &j.emit
	e.side = side
	var partners []int32
	for _, act := range j.acts {
		if act.slot < 0 {
			continue
		}
		partners = j.partnersOf(act, other, partners)
		s := act.slot
		if act.retract {
			j.retractRow(s, partners, own, other, ownOuter, otherOuter)
		} else {
			j.insertRow(s, partners, own, other, ownOuter, otherOuter)
		}
		if e.full() {
			if err := e.flush(j); err != nil {
				return err
			}
		}
	}
	return nil
}

func (j *Join) insertRow(s int32, partners []int32, own, other *joinSide, ownOuter, otherOuter bool) {
	e := &j.emit
	var m int64
	for _, t := range partners {
		m += other.rows[t].count
	}
	own.rows[s].match = m
	if ownOuter && m == 0 {
		e.add(Insert, s, -1, 1)
	}
	for _, t := range partners {
		if otherOuter {
			if other.rows[t].match == 0 {
				e.add(Delete, -1, t, other.rows[t].count)
			}
			other.rows[t].match++
			other.touch(t)
		}
		e.add(Insert, s, t, other.rows[t].count)
	}
}

func (j *Join) retractRow(s int32, partners []int32, own, other *joinSide, ownOuter, otherOuter bool) {
	e := &j.emit
	for _, t := range partners {
		e.add(Delete, s, t, other.rows[t].count)
		if otherOuter {
			other.touch(t)
			if other.rows[t].match--; other.rows[t].match <= 0 {
				other.rows[t].match = 0
				e.add(Insert, -1, t, other.rows[t].count)
			}
		}
	}
	if ownOuter && len(partners) == 0 {
		e.add(Delete, s, -1, 1)
	}
}
