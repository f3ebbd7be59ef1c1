package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/sqlstream/sqlstream/planner"
)

// ujEmit is the scratch of one emission: per input the slot each output
// row takes (-1: NULL-padded or absent), and which rows survive.
type ujEmit struct {
	eff   [][]int32
	alive []bool
	cand  []int32
	sel   []int32
	sub   []int32
}

// emit evaluates the join chain over the partial rows of groups (each
// holding its first-input row), as SQL does step by step: input i matches
// when present, its Ref matched, its time is within the bound of Ref's
// and its residual is TRUE; an unmatched LEFT step pads NULLs, an
// unmatched INNER step drops the row. The surviving rows are pushed as
// one batch, then the groups are freed.
func (j *UniqueJoin) emit(groups []int32) error {
	if len(groups) == 0 {
		return nil
	}
	defer j.free(groups)
	m := len(groups)
	e := &j.scratch
	if len(e.eff) != j.n {
		e.eff = make([][]int32, j.n)
	}
	for i := range j.n {
		e.eff[i] = joinResize(e.eff[i], m)
		for k, g := range groups {
			e.eff[i][k] = j.groups.slot(g, i)
		}
	}
	e.alive = joinResize(e.alive, m)
	for k := range e.alive {
		e.alive[k] = true
	}
	for i := 1; i < j.n; i++ {
		st := j.steps[i-1]
		si, sr := e.eff[i], e.eff[st.Ref]
		ti, tr := j.ins[i].times, j.ins[st.Ref].times
		for k := range si {
			if si[k] < 0 {
				continue
			}
			if sr[k] < 0 {
				si[k] = -1
				continue
			}
			t, t0 := ti[si[k]], tr[sr[k]]
			if t < satAdd(t0, st.Lower) || t > satAdd(t0, st.Upper) {
				si[k] = -1
			}
		}
		if st.Residual != nil {
			if err := j.residual(st.Residual, i); err != nil {
				return fmt.Errorf("residual of %s: %w", j.names[i], err)
			}
		}
		if st.Type == planner.InnerJoin {
			for k, s := range si {
				if s < 0 {
					e.alive[k] = false
				}
			}
		}
	}
	e.sub = e.sub[:0]
	for k, ok := range e.alive {
		if ok {
			e.sub = append(e.sub, int32(k))
		}
	}
	if len(e.sub) == 0 {
		return nil
	}
	rec := j.gather(e.sub)
	defer rec.Release()
	return j.out.Push(Batch{Rec: rec})
}

// residual clears input i's slot in the candidate rows (alive, input i
// matched so far) where step i's residual is not TRUE.
func (j *UniqueJoin) residual(sel Selector, i int) error {
	e := &j.scratch
	e.cand = e.cand[:0]
	for k, s := range e.eff[i] {
		if s >= 0 && e.alive[k] {
			e.cand = append(e.cand, int32(k))
		}
	}
	if len(e.cand) == 0 {
		return nil
	}
	rec := j.gather(e.cand)
	defer rec.Release()
	pass, err := sel.Select(rec, j.mem, e.sel)
	if err != nil {
		return err
	}
	e.sel = pass
	p := 0
	for c, k := range e.cand {
		if p < len(pass) && pass[p] == int32(c) {
			p++
			continue
		}
		e.eff[i][k] = -1
	}
	return nil
}

// gather builds a batch of the output schema from the effective slots
// of the given rows. The caller releases it.
func (j *UniqueJoin) gather(rows []int32) arrow.RecordBatch {
	cols := make([]arrow.Array, 0, j.schema.NumFields())
	slots := make([]int32, len(rows))
	for i, in := range j.ins {
		for r, k := range rows {
			slots[r] = j.scratch.eff[i][k]
		}
		for _, c := range in.cols {
			cols = append(cols, c.gather(slots, j.mem))
		}
	}
	rec := array.NewRecordBatch(j.schema, cols, int64(len(rows)))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// free releases the groups' rows and keys.
func (j *UniqueJoin) free(groups []int32) {
	for _, g := range groups {
		for i, in := range j.ins {
			if s := j.groups.slot(g, i); s >= 0 {
				in.release(s)
			}
		}
		j.groups.drop(g)
	}
	for _, in := range j.ins {
		in.compact()
	}
}

// emitAlone emits first-input rows of b that can match nothing (NULL key
// or time) NULL-padded: the chain is all LEFT joins.
func (j *UniqueJoin) emitAlone(b Batch, rows []int32) error {
	cols := make([]arrow.Array, 0, j.schema.NumFields())
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	for _, a := range b.Rec.Columns() {
		c, err := TakeArray(a, rows, j.mem)
		if err != nil {
			return err
		}
		cols = append(cols, c)
	}
	none := make([]int32, len(rows))
	for k := range none {
		none[k] = -1
	}
	for _, in := range j.ins[1:] {
		for _, c := range in.cols {
			cols = append(cols, c.gather(none, j.mem))
		}
	}
	rec := array.NewRecordBatch(j.schema, cols, int64(len(rows)))
	defer rec.Release()
	return j.out.Push(Batch{Rec: rec})
}
