package exec

// maxJoinOut is the number of output rows after which a join flushes a
// batch in the middle of an input batch (a hot key can fan out widely).
const maxJoinOut = 1 << 14

// joinEmit collects output rows as pairs of slots (-1 pads with NULLs)
// and builds them into one batch, columnar, on flush.
type joinEmit struct {
	side   int // the side being pushed: add's own slot is left when 0
	ops    []Op
	ls, rs []int32
}

// add appends times copies of the row (own, other) with op.
func (e *joinEmit) add(op Op, own, other int32, times int64) {
	l, r := own, other
	if e.side == 1 {
		l, r = other, own
	}
	for ; times > 0; times-- {
		e.ops = append(e.ops, op)
		e.ls = append(e.ls, l)
		e.rs = append(e.rs, r)
	}
}

func (e *joinEmit) full() bool { return len(e.ops) >= maxJoinOut }

// flush pushes the collected rows downstream.
func (e *joinEmit) flush(j *Join) error {
	if len(e.ops) == 0 {
		return nil
	}
	rec := gatherPairs(j.schema, j.left.cols, j.right.cols, e.ls, e.rs, j.mem)
	b := Batch{Rec: rec, Ops: e.ops}
	allInserts := true
	for _, o := range e.ops {
		if o != Insert {
			allInserts = false
			break
		}
	}
	if allInserts {
		b.Ops = nil
	}
	err := j.out.Push(b)
	rec.Release()
	// Downstream may hold on to the ops it was given: never reuse them.
	if allInserts {
		e.ops = e.ops[:0]
	} else {
		e.ops = make([]Op, 0, cap(e.ops))
	}
	e.ls, e.rs = e.ls[:0], e.rs[:0]
	return err
}
