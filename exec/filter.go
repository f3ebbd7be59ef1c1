package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Filter keeps the rows whose predicate is TRUE (not FALSE, not NULL),
// whatever their op: the ops column is filtered in step with the rows. A
// batch whose rows all pass is forwarded as is, without copying; a batch
// whose rows all fail emits nothing.
type Filter struct {
	pred Selector
	out  Stream
	mem  memory.Allocator
	idx  []int32 // reused selection buffer
}

var _ Operator = (*Filter)(nil)

// NewFilter returns a filter that selects rows with pred (a compiled
// condition, expr.Predicate) and pushes them to out.
func NewFilter(pred Selector, out Stream, mem memory.Allocator) *Filter {
	return &Filter{pred: pred, out: out, mem: mem}
}

// Name implements Operator.
func (f *Filter) Name() string { return "filter" }

// Push implements Stream.
func (f *Filter) Push(b Batch) error {
	n := b.NumRows()
	if n == 0 {
		return nil
	}
	idx, err := f.pred.Select(b.Rec, f.mem, f.idx)
	if err != nil {
		return fmt.Errorf("filter: %w", err)
	}
	f.idx = idx
	switch len(f.idx) {
	case 0:
		return nil
	case n:
		return f.out.Push(b)
	}
	out, err := TakeRows(b, f.idx, f.mem)
	if err != nil {
		return fmt.Errorf("filter: %w", err)
	}
	defer out.Release()
	return f.out.Push(out)
}

// Watermark implements Stream.
func (f *Filter) Watermark(t int64) error { return f.out.Watermark(t) }

// Barrier implements Stream.
func (f *Filter) Barrier(epoch uint64) error { return f.out.Barrier(epoch) }

// Close implements Stream.
func (f *Filter) Close() error { return f.out.Close() }

// selectTrue appends to idx the positions where mask is valid and true.
func selectTrue(mask *array.Boolean, idx []int32) []int32 {
	data := mask.Data()
	off := data.Offset()
	values := data.Buffers()[1].Bytes()
	var valid []byte
	if mask.NullN() > 0 && data.Buffers()[0] != nil {
		valid = data.Buffers()[0].Bytes()
	}
	n := mask.Len()
	for i := 0; i < n; i++ {
		if !bitutil.BitIsSet(values, off+i) {
			continue
		}
		if valid != nil && !bitutil.BitIsSet(valid, off+i) {
			continue
		}
		idx = append(idx, int32(i))
	}
	return idx
}
