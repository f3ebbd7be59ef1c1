package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// emitScratch holds the reused buffers of emit.
type emitScratch struct {
	pairs [][2]int32 // (old row, new row) of groups that were and still are live
	same  []bool
	idx   []int32
	ops   []Op
	one   []int32
}

// appendRows appends one output row per group of gs to the builder: the
// decoded group key, then every aggregate's current result.
func (h *HashAgg) appendRows(gs []int32) error {
	if len(gs) == 0 {
		return nil
	}
	nk := len(h.cfg.GroupBy)
	if nk > 0 {
		if err := h.index.appendKeys(gs, h.bld.Fields()[:nk]); err != nil {
			return err
		}
	}
	for i := range h.aggs {
		h.aggs[i].acc.Append(gs, h.bld.Field(nk+i))
	}
	return nil
}

// emit turns the old rows (oldGs) and new rows (newGs) in the builder into
// the batch's changes, in the order the batch first touched the groups.
func (h *HashAgg) emit() error {
	rec := h.bld.NewRecordBatch()
	defer rec.Release()
	e := &h.em
	nOld := int32(len(h.oldGs))
	h.pairUp(nOld)
	e.same = growSlice(e.same, len(e.pairs))
	for i := range e.same {
		e.same[i] = true
	}
	for c := len(h.cfg.GroupBy); c < int(rec.NumCols()); c++ {
		markChanged(rec.Column(c), e.pairs, e.same)
	}
	h.order(nOld)
	for _, g := range h.newGs {
		h.groups.live[g] = true
	}
	if h.global {
		h.started = true
	}
	if len(e.idx) == 0 {
		return nil
	}
	if nOld == 0 && len(e.idx) == int(rec.NumRows()) {
		return h.out.Push(Batch{Rec: rec}) // only new groups, in order: all +I
	}
	out, err := TakeRows(Batch{Rec: rec}, e.idx, h.mem)
	if err != nil {
		return fmt.Errorf("hash-agg: %w", err)
	}
	defer out.Release()
	out.Ops = e.ops
	return h.out.Push(out)
}

// pairUp lists the (old row, new row) pairs of groups in both oldGs and
// newGs (both are subsequences of touched).
func (h *HashAgg) pairUp(nOld int32) {
	e := &h.em
	e.pairs = e.pairs[:0]
	oi, ni := 0, 0
	for _, g := range h.touched {
		hasOld := oi < len(h.oldGs) && h.oldGs[oi] == g
		hasNew := ni < len(h.newGs) && h.newGs[ni] == g
		if hasOld && hasNew {
			e.pairs = append(e.pairs, [2]int32{int32(oi), nOld + int32(ni)})
		}
		if hasOld {
			oi++
		}
		if hasNew {
			ni++
		}
	}
}

// order fills idx/ops with the rows to emit: -U/+U for changed pairs, -D
// for emptied groups, +I for new ones.
func (h *HashAgg) order(nOld int32) {
	e := &h.em
	e.idx, e.ops = e.idx[:0], e.ops[:0]
	oi, ni, pi := 0, 0, 0
	for _, g := range h.touched {
		hasOld := oi < len(h.oldGs) && h.oldGs[oi] == g
		hasNew := ni < len(h.newGs) && h.newGs[ni] == g
		switch {
		case hasOld && hasNew:
			if !e.same[pi] {
				e.idx = append(e.idx, int32(oi), nOld+int32(ni))
				e.ops = append(e.ops, UpdateBefore, UpdateAfter)
			}
			pi++
		case hasOld:
			e.idx = append(e.idx, int32(oi))
			e.ops = append(e.ops, Delete)
		case hasNew:
			e.idx = append(e.idx, nOld+int32(ni))
			e.ops = append(e.ops, Insert)
		}
		if hasOld {
			oi++
		}
		if hasNew {
			ni++
		}
	}
}

// emitInitial emits the row of a global aggregate that has not emitted yet.
func (h *HashAgg) emitInitial() error {
	if !h.global || h.started {
		return nil
	}
	h.started = true
	h.groups.live[0] = true
	h.em.one = append(h.em.one[:0], 0)
	if err := h.appendRows(h.em.one); err != nil {
		return err
	}
	rec := h.bld.NewRecordBatch()
	defer rec.Release()
	return h.out.Push(Batch{Rec: rec})
}

// markChanged clears same[p] where column a differs between the rows of
// pair p (NULL equals NULL; doubles compare bitwise).
func markChanged(a arrow.Array, pairs [][2]int32, same []bool) {
	for p, pr := range pairs {
		if !same[p] {
			continue
		}
		i, j := int(pr[0]), int(pr[1])
		if a.IsNull(i) != a.IsNull(j) {
			same[p] = false
		} else if a.IsValid(i) && !valueEqual(a, i, j) {
			same[p] = false
		}
	}
}

// valueEqual compares two non-NULL values of one array.
func valueEqual(a arrow.Array, i, j int) bool {
	switch a := a.(type) {
	case *array.Int64:
		return a.Value(i) == a.Value(j)
	case *array.Float64:
		return a.Value(i) == a.Value(j) || (a.Value(i) != a.Value(i) && a.Value(j) != a.Value(j))
	case *array.Decimal128:
		return a.Value(i) == a.Value(j)
	case *array.Int32:
		return a.Value(i) == a.Value(j)
	case *array.String:
		return a.Value(i) == a.Value(j)
	case *array.Boolean:
		return a.Value(i) == a.Value(j)
	case *array.Date32:
		return a.Value(i) == a.Value(j)
	case *array.Timestamp:
		return a.Value(i) == a.Value(j)
	case *array.MonthDayNanoInterval:
		return a.Value(i) == a.Value(j)
	}
	return false
}
