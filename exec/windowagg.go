package exec

import (
	"container/heap"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner"
)

// WindowAggConfig describes a WindowAgg: a planner.WindowAggNode over
// TUMBLE, HOP or CUMULATE windows, or a planner.EmitOnCloseNode.
type WindowAggConfig struct {
	// Input is the schema of the input rows.
	Input   catalog.Schema
	GroupBy []int
	Aggs    []planner.AggCall
	// Output has the GroupBy columns in order, then one per Aggs.
	Output *arrow.Schema
	// CloseKey is the position in GroupBy of a TIMESTAMP column: a group
	// closes once the watermark reaches its value plus CloseOffset (ms).
	// window_end closes at itself (offset 0), window_start at the start
	// plus the window's length, an event-time column t at t+1 (rows of
	// time t may come until the watermark passes t). A NULL closes only at
	// the end of the input.
	CloseKey    int
	CloseOffset int64
	// Name is the operator's name ("window-agg" when empty).
	Name string
}

// WindowAgg is a GROUP BY over an append-only input whose groups close
// with the watermark: each group is emitted once, as +I, when the
// watermark reaches its close time (see WindowAggConfig), and its state is
// freed at once. On Watermark(w) it emits every group closing at or
// before w, ordered by close time (groups closing together in the order
// they were created), then forwards w; a row arriving after its group
// closed (late input) starts the group afresh. Close emits every group
// left. The group table, key encoding and accumulators are HashAgg's.
type WindowAgg struct {
	cfg WindowAggConfig
	out Stream
	// h holds the groups and their accumulators; it never emits itself.
	h       *HashAgg
	closeAt []int64 // by group id
	times   closeHeap
	byTime  map[int64][]int32 // groups closing at each time of times
	closing []int32
	// ck is the checkpoint bookkeeping (windowagg_checkpoint.go).
	ck windowCheckpoint
}

var (
	_ Operator      = (*WindowAgg)(nil)
	_ StateReporter = (*WindowAgg)(nil)
)

// NewWindowAgg returns a window aggregation emitting to out.
func NewWindowAgg(cfg WindowAggConfig, out Stream, mem memory.Allocator) (*WindowAgg, error) {
	if cfg.Name == "" {
		cfg.Name = "window-agg"
	}
	if cfg.CloseKey < 0 || cfg.CloseKey >= len(cfg.GroupBy) {
		return nil, fmt.Errorf("%s: close key %d is not one of the %d group columns", cfg.Name, cfg.CloseKey, len(cfg.GroupBy))
	}
	if c := cfg.GroupBy[cfg.CloseKey]; c < 0 || c >= cfg.Input.Len() || cfg.Input.Columns[c].Type.ID != catalog.Timestamp {
		return nil, fmt.Errorf("%s: close column %d is not a TIMESTAMP of %s", cfg.Name, c, cfg.Input)
	}
	h, err := NewHashAgg(HashAggConfig{Input: cfg.Input, GroupBy: cfg.GroupBy, Aggs: cfg.Aggs, Output: cfg.Output, AppendOnly: true}, nil, mem)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Name, err)
	}
	return &WindowAgg{cfg: cfg, out: out, h: h, byTime: map[int64][]int32{}}, nil
}

// Name implements Operator.
func (w *WindowAgg) Name() string { return w.cfg.Name }

// Push implements Stream: it folds the batch into its groups, opening
// the groups it creates with their close times.
func (w *WindowAgg) Push(b Batch) error {
	n := b.NumRows()
	if n == 0 {
		return nil
	}
	if !b.AppendOnly() {
		return fmt.Errorf("%s: a retraction in its append-only input", w.cfg.Name)
	}
	h := w.h
	if err := h.fillSigns(b); err != nil {
		return err
	}
	h.assignGroups(b.Rec, n)
	closeCol, ok := b.Rec.Column(w.cfg.GroupBy[w.cfg.CloseKey]).(*array.Timestamp)
	if !ok {
		return fmt.Errorf("%s: close column is a %s, want a timestamp", w.cfg.Name, b.Rec.Column(w.cfg.GroupBy[w.cfg.CloseKey]).DataType())
	}
	times := closeCol.TimestampValues()
	rows := h.groups.rows
	w.closeAt = growZeroed(w.closeAt, h.groups.n)
	for i, g := range h.gids {
		if rows[g] == 0 {
			at := int64(math.MaxInt64)
			if closeCol.IsValid(i) {
				at = addSaturating(int64(times[i]), w.cfg.CloseOffset)
			}
			w.open(g, at)
		}
		rows[g]++
	}
	h.noteDirty(h.gids)
	for i := range h.aggs {
		h.update(&h.aggs[i], b.Rec)
	}
	return nil
}

// open registers new group g closing at time at.
func (w *WindowAgg) open(g int32, at int64) {
	w.ck.opened(g)
	w.closeAt[g] = at
	gs, ok := w.byTime[at]
	if !ok {
		heap.Push(&w.times, at)
	}
	w.byTime[at] = append(gs, g)
}

// emitUpTo emits and frees every group closing at or before t, ordered
// by close time, in one batch.
func (w *WindowAgg) emitUpTo(t int64) error {
	gs := w.closing[:0]
	for w.times.Len() > 0 && w.times[0] <= t {
		at := heap.Pop(&w.times).(int64)
		gs = append(gs, w.byTime[at]...)
		delete(w.byTime, at)
	}
	w.closing = gs
	if len(gs) == 0 {
		return nil
	}
	h := w.h
	if err := h.appendRows(gs); err != nil {
		return err
	}
	rec := h.bld.NewRecordBatch()
	defer rec.Release()
	for _, g := range gs {
		h.releaseGroup(g)
	}
	return w.out.Push(Batch{Rec: rec})
}

// Watermark implements Stream: it closes the groups the watermark passed,
// then forwards it.
func (w *WindowAgg) Watermark(t int64) error {
	t = w.ck.wm.forward(t)
	if err := w.emitUpTo(t); err != nil {
		return err
	}
	return w.out.Watermark(t)
}

// Barrier implements Stream.
func (w *WindowAgg) Barrier(epoch uint64) error { return w.out.Barrier(epoch) }

// Close implements Stream: groups still open are emitted first.
func (w *WindowAgg) Close() error {
	err := w.emitUpTo(math.MaxInt64)
	w.h.bld.Release()
	w.h.ck.close()
	if cerr := w.out.Close(); err == nil {
		err = cerr
	}
	return err
}

// StateSize implements StateReporter: open groups and approximate bytes.
func (w *WindowAgg) StateSize() (rows, bytes int64) {
	rows, bytes = w.h.StateSize()
	bytes += int64(cap(w.closeAt))*8 + int64(len(w.times))*8 + int64(len(w.byTime))*64
	return rows, bytes
}

// addSaturating is a+b clamped to the int64 range.
func addSaturating(a, b int64) int64 {
	s := a + b
	switch {
	case b > 0 && s < a:
		return math.MaxInt64
	case b < 0 && s > a:
		return math.MinInt64
	}
	return s
}

// growZeroed extends s to n entries, zeroing the new ones.
func growZeroed[T any](s []T, n int) []T {
	if n <= len(s) {
		return s
	}
	return append(s, make([]T, n-len(s))...)
}

// closeHeap is a min-heap of close times.
type closeHeap []int64

func (q closeHeap) Len() int           { return len(q) }
func (q closeHeap) Less(i, j int) bool { return q[i] < q[j] }
func (q closeHeap) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *closeHeap) Push(x any)        { *q = append(*q, x.(int64)) }
func (q *closeHeap) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}
