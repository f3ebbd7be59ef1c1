package exec

import "fmt"

// push applies a batch of one side: store its rows, join each with the
// other side's held rows of the same key within the bounds (then the
// residual, evaluated once per chunk of candidate pairs), then hold the
// rows whose interval is still open and drop the others (padding the
// unmatched ones of a preserved side).
func (j *IntervalJoin) push(side int, b Batch) error {
	n := b.NumRows()
	if n == 0 {
		return nil
	}
	if !b.AppendOnly() {
		return fmt.Errorf("input must be append-only, got a retraction")
	}
	own, other := j.sides(side)
	if b.Rec.NumCols() != int64(len(own.cols)) {
		return fmt.Errorf("batch has %d columns, want %d", b.Rec.NumCols(), len(own.cols))
	}
	own.load(b.Rec)
	// Rows that can never join are stored only to be padded.
	j.rows = j.rows[:0]
	outer := j.preserved(side)
	for r := 0; r < n; r++ {
		if outer || own.matchable(r) {
			j.rows = append(j.rows, int32(r))
		}
	}
	if len(j.rows) == 0 {
		return nil
	}
	slots := own.store(b.Rec, j.rows, j.slots)
	j.slots = slots
	if err := j.probe(side, own, other, slots); err != nil {
		return err
	}
	// Hold what may still join; drop the rest.
	w := j.pw[1-side]
	dropped := j.padded[:0]
	for i, s := range slots {
		r := int(j.rows[i])
		if own.matchable(r) && !j.expired(side, own.times[s], w) {
			own.hold(s, r)
		} else {
			dropped = append(dropped, s)
		}
	}
	j.padded = dropped
	j.notePeak()
	if len(dropped) == 0 {
		return nil
	}
	err := j.padUnmatched(side, dropped)
	own.release(dropped)
	return err
}

// probe joins the new rows (slots of own, in batch order) with the other
// side's held rows.
func (j *IntervalJoin) probe(side int, own, other *ivSide, slots []int32) error {
	for i, s := range slots {
		r := int(j.rows[i])
		if !own.matchable(r) {
			continue
		}
		g := other.probe(&own.keys, r)
		if g < 0 {
			continue
		}
		// The other side's times that join: [lo, hi].
		t := own.times[s]
		lo, hi := addSaturating(t, j.lower), addSaturating(t, j.upper)
		if side == 1 {
			lo, hi = addSaturating(t, -j.upper), addSaturating(t, -j.lower)
		}
		for o := other.gHead[g]; o >= 0; o = other.next[o] {
			if ot := other.times[o]; ot < lo || ot > hi {
				continue
			}
			if err := j.candidate(side, s, o); err != nil {
				return err
			}
		}
	}
	if err := j.flushCandidates(); err != nil {
		return err
	}
	return j.flushOut()
}

// candidate records a pair within the bounds: an output row, or, with a
// residual, a candidate to test.
func (j *IntervalJoin) candidate(side int, s, o int32) error {
	l, r := s, o
	if side == 1 {
		l, r = o, s
	}
	if j.residual != nil {
		j.cl, j.cr = append(j.cl, l), append(j.cr, r)
		if len(j.cl) >= maxJoinOut {
			return j.flushCandidates()
		}
		return nil
	}
	j.setMatched(l, r)
	j.outL, j.outR = append(j.outL, l), append(j.outR, r)
	if len(j.outL) >= maxJoinOut {
		return j.flushOut()
	}
	return nil
}

// flushCandidates evaluates the residual over the candidate pairs and
// emits those passing it.
func (j *IntervalJoin) flushCandidates() error {
	if len(j.cl) == 0 {
		return nil
	}
	rec := gatherPairs(j.schema, j.left.cols, j.right.cols, j.cl, j.cr, j.mem)
	defer rec.Release()
	sel, err := j.residual.Select(rec, j.mem, j.sel)
	if err != nil {
		return fmt.Errorf("residual: %w", err)
	}
	j.sel = sel
	for _, i := range sel {
		j.setMatched(j.cl[i], j.cr[i])
	}
	all := len(sel) == len(j.cl)
	j.cl, j.cr = j.cl[:0], j.cr[:0]
	switch {
	case len(sel) == 0:
		return nil
	case all:
		return j.out.Push(Batch{Rec: rec})
	}
	b, err := TakeRows(Batch{Rec: rec}, sel, j.mem)
	if err != nil {
		return err
	}
	err = j.out.Push(b)
	b.Release()
	return err
}
