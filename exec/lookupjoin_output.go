package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// build assembles the output batch of the current pairs: input columns
// taken by inIdx (passed through when inIdx is every row in order), table
// columns taken by tabIdx with -1 as NULL, and the ops of the input rows.
func (j *LookupJoin) build(b Batch, rows arrow.RecordBatch) (Batch, error) {
	cols := make([]arrow.Array, 0, j.cfg.Schema.NumFields())
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	passInput := lookupIsIdentity(j.inIdx, b.NumRows())
	for i, c := range b.Rec.Columns() {
		if passInput {
			c.Retain()
			cols = append(cols, c)
			continue
		}
		t, err := TakeArray(c, j.inIdx, j.mem)
		if err != nil {
			return Batch{}, fmt.Errorf("input column %s: %w", b.Rec.ColumnName(i), err)
		}
		cols = append(cols, t)
	}
	pads := j.padPositions()
	defer func() {
		for _, p := range pads {
			j.tabIdx[p] = -1
		}
	}()
	for i, c := range rows.Columns() {
		t, err := j.takeTable(c, pads, j.cfg.Schema.Field(j.cfg.InputWidth+i).Type)
		if err != nil {
			return Batch{}, fmt.Errorf("table column %s: %w", j.cfg.Schema.Field(j.cfg.InputWidth+i).Name, err)
		}
		cols = append(cols, t)
	}
	var ops []Op
	if b.Ops != nil {
		ops = make([]Op, len(j.inIdx))
		for o, i := range j.inIdx {
			ops[o] = b.Ops[i]
		}
	}
	return Batch{Rec: array.NewRecordBatch(j.cfg.Schema, cols, int64(len(j.inIdx))), Ops: ops}, nil
}

// padPositions returns the output rows that are NULL-padded (tabIdx -1),
// rewriting their tabIdx to 0 so that a take can run over them.
func (j *LookupJoin) padPositions() []int32 {
	var pads []int32
	for o, t := range j.tabIdx {
		if t < 0 {
			pads = append(pads, int32(o))
			j.tabIdx[o] = 0
		}
	}
	return pads
}

// takeTable gathers a table column by tabIdx (padded rows rewritten to 0)
// and nulls the padded rows.
func (j *LookupJoin) takeTable(c arrow.Array, pads []int32, dt arrow.DataType) (arrow.Array, error) {
	if len(pads) == 0 && lookupIsIdentity(j.tabIdx, c.Len()) {
		c.Retain() // every table row once, in order
		return c, nil
	}
	if c.Len() == 0 {
		if len(pads) != len(j.tabIdx) {
			return nil, fmt.Errorf("no table rows for %d matches", len(j.tabIdx)-len(pads))
		}
		return array.MakeArrayOfNull(j.mem, dt, len(j.tabIdx)), nil
	}
	t, err := TakeArray(c, j.tabIdx, j.mem)
	if err != nil || len(pads) == 0 {
		return t, err
	}
	defer t.Release()
	return lookupNullAt(t, pads, j.mem), nil
}

// lookupNullAt returns a (offset 0) with the rows at pos made NULL, sharing
// its value buffers.
func lookupNullAt(a arrow.Array, pos []int32, mem memory.Allocator) arrow.Array {
	data := a.Data()
	n := a.Len()
	valid := memory.NewResizableBuffer(mem)
	valid.Resize(int(bitutil.BytesForBits(int64(n))))
	bits := valid.Bytes()
	if old := data.Buffers()[0]; old != nil && a.NullN() > 0 {
		copy(bits, old.Bytes()[:len(bits)])
	} else {
		for i := range bits {
			bits[i] = 0xff
		}
	}
	for _, p := range pos {
		bitutil.ClearBit(bits, int(p))
	}
	nulls := n - bitutil.CountSetBits(bits, 0, n)
	bufs := append([]*memory.Buffer{valid}, data.Buffers()[1:]...)
	d := array.NewData(a.DataType(), n, bufs, data.Children(), nulls, 0)
	valid.Release()
	defer d.Release()
	return array.MakeFromData(d)
}
