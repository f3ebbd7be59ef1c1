package exec

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/sqlstream/sqlstream/planner"
)

// overRound is one flush: the final rows F sorted by (partition, time,
// arrival), which of them are emitted now, and each one's position k
// within its partition's run in F.
type overRound struct {
	f       []overRow
	k       []int32 // position within the partition's run
	runEnd  []int32 // end (exclusive) of the row's run in f
	emitted []bool
	e       []int32 // indices into f of the emitted rows, in f order
	out     []int32 // indices into f of the rows output, sorted by (time, arrival)
}

// flush emits the rows that watermark t makes final (every row when t is
// MaxWatermark) and returns the earliest time of a final row held back
// for LEAD, or MaxWatermark when none is.
func (o *Over) flush(t int64) (int64, error) {
	var final []overRow
	keep := 0
	for _, r := range o.pend {
		if r.time < t || t == MaxWatermark {
			final = append(final, r)
			continue
		}
		o.pend[keep] = r
		keep++
	}
	o.pend = o.pend[:keep]
	if len(final) == 0 {
		return MaxWatermark, nil
	}
	slices.SortFunc(final, func(a, b overRow) int {
		return cmp.Or(cmp.Compare(a.pid, b.pid), overRowOrder(a, b))
	})
	r := o.round(final, t == MaxWatermark)
	held := int64(MaxWatermark)
	for i, row := range r.f {
		if !r.emitted[i] {
			o.pend = append(o.pend, row)
			held = min(held, row.time)
		}
	}
	if len(r.out) > 0 {
		if err := o.emit(r); err != nil {
			return 0, err
		}
	}
	o.advance(r)
	return held, nil
}

// round splits the sorted final rows into runs and decides which are
// emitted: all of them at the end of input; else a row whose LEAD partner
// is not final yet is held, with the rows after it (and, when a running
// aggregate shares values among peers, the peers before it).
func (o *Over) round(f []overRow, end bool) *overRound {
	n := len(f)
	r := &overRound{f: f, k: make([]int32, n), runEnd: make([]int32, n), emitted: make([]bool, n)}
	peers := o.hasRangeAgg()
	for s := 0; s < n; {
		e := s
		for e < n && f[e].pid == f[s].pid {
			e++
		}
		cut := e
		if !end && o.leadDepth > 0 {
			cut = max(s, e-int(o.leadDepth))
			for peers && cut > s && cut < e && f[cut-1].time == f[cut].time {
				cut--
			}
		}
		for i := s; i < e; i++ {
			r.k[i], r.runEnd[i] = int32(i-s), int32(e)
			r.emitted[i] = i < cut
			if i < cut {
				r.e = append(r.e, int32(i))
				rn := o.count[f[i].pid] + int64(i-s) + 1
				if o.cfg.Limit <= 0 || rn <= o.cfg.Limit {
					r.out = append(r.out, int32(i))
				}
			}
		}
		s = e
	}
	slices.SortFunc(r.out, func(a, b int32) int { return overRowOrder(f[a], f[b]) })
	return r
}

// hasRangeAgg reports a running aggregate with the RANGE frame.
func (o *Over) hasRangeAgg() bool {
	for _, c := range o.cfg.Calls {
		if c.Func == planner.OverAgg && !c.Rows {
			return true
		}
	}
	return false
}

// emit builds and pushes the output batch of a round.
func (o *Over) emit(r *overRound) error {
	nin := o.cfg.Input.Len()
	cols := make([]arrow.Array, 0, nin+len(o.cfg.Calls))
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	own := make([]int32, len(r.out))
	for j, i := range r.out {
		own[j] = r.f[i].slot
	}
	for c := 0; c < nin; c++ {
		cols = append(cols, o.store.gather(c, own, o.mem))
	}
	var ag *overAggRound
	for ci, c := range o.cfg.Calls {
		var col arrow.Array
		var err error
		switch c.Func {
		case planner.OverRowNumber:
			col = o.rowNumbers(r)
		case planner.OverLag, planner.OverLead:
			col, err = o.lagLead(r, c, own)
		case planner.OverAgg:
			if ag == nil {
				ag = newOverAggRound(o, r)
			}
			col, err = ag.compute(ci, c, o.cfg.Output.Field(nin+ci).Type)
		default:
			err = fmt.Errorf("over: unknown window function %d", c.Func)
		}
		if err != nil {
			return err
		}
		cols = append(cols, col)
	}
	rec := array.NewRecordBatch(o.cfg.Output, cols, int64(len(r.out)))
	defer rec.Release()
	return o.out.Push(Batch{Rec: rec})
}

// rowNumbers is ROW_NUMBER of the output rows.
func (o *Over) rowNumbers(r *overRound) arrow.Array {
	b := array.NewInt64Builder(o.mem)
	defer b.Release()
	b.Reserve(len(r.out))
	for _, i := range r.out {
		b.UnsafeAppend(o.count[r.f[i].pid] + int64(r.k[i]) + 1)
	}
	return b.NewArray()
}

// lagLead is LAG or LEAD of the output rows: the argument at the
// partner's slot, or the default (at the row's own slot) when the
// partition has no partner.
func (o *Over) lagLead(r *overRound, c planner.OverCall, own []int32) (arrow.Array, error) {
	partner := make([]int32, len(r.out))
	off := int(c.Offset)
	h := int(o.lagDepth)
	for j, i := range r.out {
		row := r.f[i]
		k := int(r.k[i])
		p := int32(-1)
		switch {
		case c.Func == planner.OverLead:
			if int(i)+off < int(r.runEnd[i]) {
				p = r.f[int(i)+off].slot
			}
		case k >= off:
			p = r.f[int(i)-off].slot
		default:
			if n := o.count[row.pid] + int64(k-off); n >= 0 {
				p = o.hist[int(row.pid)*h+int(n%int64(h))]
			}
		}
		partner[j] = p
	}
	vals := o.store.gather(c.Arg, partner, o.mem)
	if c.Default < 0 {
		return vals, nil
	}
	defer vals.Release()
	defs := o.store.gather(c.Default, own, o.mem)
	defer defs.Release()
	both, err := array.Concatenate([]arrow.Array{vals, defs}, o.mem)
	if err != nil {
		return nil, fmt.Errorf("over: LAG/LEAD default: %w", err)
	}
	defer both.Release()
	idx := make([]int32, len(partner))
	for j, p := range partner {
		idx[j] = int32(j)
		if p < 0 {
			idx[j] = int32(len(partner) + j)
		}
	}
	return TakeArray(both, idx, o.mem)
}

// advance moves the per-partition state past the emitted rows: counts
// grow, LAG's ring keeps each partition's last rows, every other emitted
// row's slot is freed.
func (o *Over) advance(r *overRound) {
	h := o.lagDepth
	for _, i := range r.e {
		row := r.f[i]
		o.ck.parts.touch(row.pid)
		if h == 0 {
			o.store.release(row.slot)
			continue
		}
		n := o.count[row.pid] + int64(r.k[i])
		p := int64(row.pid)*h + n%h
		if old := o.hist[p]; old >= 0 {
			o.store.release(old)
		}
		o.hist[p] = row.slot
		o.ck.toHistory(row.slot)
	}
	for _, i := range r.e {
		if r.runEnd[i]-1 == int32(i) || !r.emitted[i+1] {
			o.count[r.f[i].pid] += int64(r.k[i]) + 1
		}
	}
	o.store.compact()
}

// overRowOrder orders rows of one partition by event time, then arrival.
func overRowOrder(a, b overRow) int {
	return cmp.Or(cmp.Compare(a.time, b.time), cmp.Compare(a.seq, b.seq))
}
