package duckdb

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/agg"
)

// changeNet nets the changes of one commit per key. Its buffers are reused
// from commit to commit.
type changeNet struct {
	enc   *agg.KeyEncoder
	types []arrow.DataType // Arrow types of the key columns
	cols  []arrow.Array    // key columns of the batch being encoded
	index map[string]int32 // encoded key -> position in keys
	keys  []netKey         // distinct keys in order of first change
	del   [][]int32        // per batch: rows whose key to delete
	ups   [][]int32        // per batch: rows to insert
	mem   memory.Allocator
}

// netKey is one distinct key of a commit.
type netKey struct {
	batch, row int32   // the key's last change
	last       exec.Op // its op
	fresh      bool    // the key's first change is +I
}

func newChangeNet(w *writer) (*changeNet, error) {
	types := make([]catalog.Type, len(w.key))
	arrowTypes := make([]arrow.DataType, len(w.key))
	schema := w.schema.Arrow()
	for j, k := range w.key {
		types[j] = w.schema.Columns[k].Type
		arrowTypes[j] = schema.Field(k).Type
	}
	enc, err := agg.NewKeyEncoder(types)
	if err != nil {
		return nil, err
	}
	return &changeNet{enc: enc, types: arrowTypes, cols: make([]arrow.Array, len(w.key)),
		index: map[string]int32{}, mem: memory.DefaultAllocator}, nil
}

// accepts reports whether the key columns of every batch have the Arrow
// types the encoder expects.
func (n *changeNet) accepts(batches []exec.Batch, key []int) bool {
	for _, b := range batches {
		for j, k := range key {
			if !arrow.TypeEqual(b.Rec.Column(k).DataType(), n.types[j]) {
				return false
			}
		}
	}
	return true
}

// add nets the changes of batches, in order: per distinct key, its last
// change and whether its first change is +I.
func (n *changeNet) add(batches []exec.Batch, key []int) {
	clear(n.index)
	n.keys = n.keys[:0]
	for bi, b := range batches {
		for j, k := range key {
			n.cols[j] = b.Rec.Column(k)
		}
		rows := b.NumRows()
		n.enc.Encode(n.cols, rows)
		for i := range rows {
			op := b.Op(i)
			k := n.enc.Key(i)
			if s, ok := n.index[string(k)]; ok {
				nk := &n.keys[s]
				nk.batch, nk.row, nk.last = int32(bi), int32(i), op
				continue
			}
			n.index[string(k)] = int32(len(n.keys))
			n.keys = append(n.keys, netKey{batch: int32(bi), row: int32(i), last: op, fresh: op == exec.Insert})
		}
	}
	clear(n.cols)
}

// selectRows sorts the netted keys into per-batch row selections: the key
// of a del row is deleted, an ups row is inserted. With fresh, a key whose
// first change is +I is known to be absent from the view (a retract
// stream inserts a key only once it is gone) and is not deleted.
func (n *changeNet) selectRows(batches int, fresh bool) {
	n.del = resetSel(n.del, batches)
	n.ups = resetSel(n.ups, batches)
	for _, k := range n.keys {
		if !fresh || !k.fresh {
			n.del[k.batch] = append(n.del[k.batch], k.row)
		}
		if k.last == exec.Insert || k.last == exec.UpdateAfter {
			n.ups[k.batch] = append(n.ups[k.batch], k.row)
		}
	}
}

func resetSel(sel [][]int32, n int) [][]int32 {
	for len(sel) < n {
		sel = append(sel, nil)
	}
	sel = sel[:n]
	for i := range sel {
		sel[i] = sel[i][:0]
	}
	return sel
}

// takeRecords gathers the selected rows: the key columns of the del rows
// and every column of the ups rows, as batches the caller releases (also
// on error). A batch whose rows are all selected is shared, not copied.
func (n *changeNet) takeRecords(batches []exec.Batch, key []int) (del, ups []exec.Batch, err error) {
	for bi, b := range batches {
		if len(n.del[bi]) > 0 {
			rec, err := n.take(b.Rec, key, n.del[bi])
			if err != nil {
				return del, ups, err
			}
			del = append(del, exec.Batch{Rec: rec})
		}
		if len(n.ups[bi]) > 0 {
			rec, err := n.take(b.Rec, nil, n.ups[bi])
			if err != nil {
				return del, ups, err
			}
			ups = append(ups, exec.Batch{Rec: rec})
		}
	}
	return del, ups, nil
}

// take returns the rows idx of columns cols of rec (every column when
// cols is nil). idx holds distinct rows, so when it holds them all the
// columns are shared as they are: the row order of a set does not matter.
func (n *changeNet) take(rec arrow.RecordBatch, cols []int, idx []int32) (arrow.RecordBatch, error) {
	if cols == nil {
		cols = make([]int, rec.NumCols())
		for i := range cols {
			cols[i] = i
		}
	}
	all := len(idx) == int(rec.NumRows())
	fields := make([]arrow.Field, len(cols))
	arrs := make([]arrow.Array, len(cols))
	defer func() {
		for _, a := range arrs {
			if a != nil {
				a.Release()
			}
		}
	}()
	for j, c := range cols {
		fields[j] = rec.Schema().Field(c)
		if all {
			arrs[j] = rec.Column(c)
			arrs[j].Retain()
			continue
		}
		a, err := exec.TakeArray(rec.Column(c), idx, n.mem)
		if err != nil {
			return nil, err
		}
		arrs[j] = a
	}
	return array.NewRecordBatch(arrow.NewSchema(fields, nil), arrs, int64(len(idx))), nil
}
