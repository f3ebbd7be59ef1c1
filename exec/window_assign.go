package exec

import (
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/parser"
)

// WindowAssignConfig describes a WindowAssign (planner.WindowAssignNode).
type WindowAssignConfig struct {
	Kind parser.WindowKind
	// TimeCol is the input's TIMESTAMP column windows are assigned by.
	TimeCol int
	// Sizes in milliseconds: TUMBLE [size], HOP [slide, size] (size a
	// multiple of slide), CUMULATE [step, max] (max a multiple of step),
	// SESSION [gap] (unused: SESSION only marks rows).
	Sizes []int64
	// Output is the input's fields, then window_start and window_end.
	Output *arrow.Schema
}

// WindowAssign is a stateless window table function: every input row
// goes out once per window its time falls into, with the op it came with
// and the window's bounds appended (epoch-aligned, half-open [start,
// end)). TUMBLE: one window; HOP: the size/slide windows overlapping the
// row; CUMULATE: the windows [start, start + k*step) of the row's
// cumulation that end after it. SESSION marks each row with its own time
// as window_start and window_end for the session aggregation above. A row
// whose time is NULL is in no window and goes nowhere. Watermarks pass
// through: window_end is later than every row of its window.
type WindowAssign struct {
	cfg WindowAssignConfig
	out Stream
	mem memory.Allocator
	// scratch, reused: the input row, start and end of each output row
	idx          []int32
	starts, ends []int64
}

var _ Operator = (*WindowAssign)(nil)

// NewWindowAssign returns a window assigner emitting to out.
func NewWindowAssign(cfg WindowAssignConfig, out Stream, mem memory.Allocator) (*WindowAssign, error) {
	want := map[parser.WindowKind]int{parser.Tumble: 1, parser.Hop: 2, parser.Cumulate: 2, parser.Session: 1}[cfg.Kind]
	if want == 0 || len(cfg.Sizes) != want {
		return nil, fmt.Errorf("window-assign: kind %d with %d sizes", cfg.Kind, len(cfg.Sizes))
	}
	for _, s := range cfg.Sizes {
		if s <= 0 {
			return nil, fmt.Errorf("window-assign: sizes must be positive, got %v", cfg.Sizes)
		}
	}
	if want == 2 && cfg.Sizes[1]%cfg.Sizes[0] != 0 {
		return nil, fmt.Errorf("window-assign: %v: the second size must be a multiple of the first", cfg.Sizes)
	}
	if cfg.Output == nil || cfg.TimeCol < 0 || cfg.TimeCol+2 >= cfg.Output.NumFields() {
		return nil, fmt.Errorf("window-assign: time column %d outside output schema %v", cfg.TimeCol, cfg.Output)
	}
	if _, ok := cfg.Output.Field(cfg.TimeCol).Type.(*arrow.TimestampType); !ok {
		return nil, fmt.Errorf("window-assign: time column %s is not a TIMESTAMP", cfg.Output.Field(cfg.TimeCol).Name)
	}
	return &WindowAssign{cfg: cfg, out: out, mem: mem}, nil
}

// Name implements Operator.
func (w *WindowAssign) Name() string { return "window-assign" }

// Push implements Stream.
func (w *WindowAssign) Push(b Batch) error {
	n := b.NumRows()
	if n == 0 {
		return nil
	}
	times, ok := b.Rec.Column(w.cfg.TimeCol).(*array.Timestamp)
	if !ok {
		return fmt.Errorf("window-assign: time column %d is a %s, want a timestamp", w.cfg.TimeCol, b.Rec.Column(w.cfg.TimeCol).DataType())
	}
	if w.cfg.Kind == parser.Session {
		return w.mark(b, times)
	}
	w.idx = w.idx[:0]
	var starts, ends []int64
	switch w.cfg.Kind {
	case parser.Tumble:
		starts, ends = w.tumble(times)
	case parser.Hop:
		starts, ends = w.hop(times)
	case parser.Cumulate:
		starts, ends = w.cumulate(times)
	}
	w.starts, w.ends = starts, ends
	if len(w.idx) == n && w.cfg.Kind == parser.Tumble {
		return w.emit(b, starts, ends) // every row once, in order
	}
	return w.pushTaken(b, func(taken Batch) error { return w.emit(taken, starts, ends) })
}

// pushTaken hands the rows w.idx of b to push (nothing when there are
// none).
func (w *WindowAssign) pushTaken(b Batch, push func(Batch) error) error {
	if len(w.idx) == 0 {
		return nil
	}
	taken, err := TakeRows(b, w.idx, w.mem)
	if err != nil {
		return fmt.Errorf("window-assign: %w", err)
	}
	defer taken.Release()
	return push(taken)
}

// tumble assigns each non-NULL row its one window.
func (w *WindowAssign) tumble(times *array.Timestamp) (starts, ends []int64) {
	size := w.cfg.Sizes[0]
	vals := times.TimestampValues()
	starts, ends = w.starts[:0], w.ends[:0]
	all := times.NullN() == 0
	for i, v := range vals {
		if !all && times.IsNull(i) {
			continue
		}
		s := windowFloor(int64(v), size)
		w.idx = append(w.idx, int32(i))
		starts, ends = append(starts, s), append(ends, s+size)
	}
	return starts, ends
}

// hop assigns each non-NULL row the size/slide windows containing it,
// earliest first.
func (w *WindowAssign) hop(times *array.Timestamp) (starts, ends []int64) {
	slide, size := w.cfg.Sizes[0], w.cfg.Sizes[1]
	per := int(size / slide)
	vals := times.TimestampValues()
	starts, ends = slices.Grow(w.starts[:0], len(vals)*per), slices.Grow(w.ends[:0], len(vals)*per)
	all := times.NullN() == 0
	for i, v := range vals {
		if !all && times.IsNull(i) {
			continue
		}
		last := windowFloor(int64(v), slide)
		for s := last - size + slide; s <= last; s += slide {
			w.idx = append(w.idx, int32(i))
			starts, ends = append(starts, s), append(ends, s+size)
		}
	}
	return starts, ends
}

// cumulate assigns each non-NULL row the windows of its cumulation that
// end after it, shortest first.
func (w *WindowAssign) cumulate(times *array.Timestamp) (starts, ends []int64) {
	step, maxSize := w.cfg.Sizes[0], w.cfg.Sizes[1]
	vals := times.TimestampValues()
	starts, ends = w.starts[:0], w.ends[:0]
	all := times.NullN() == 0
	for i, v := range vals {
		if !all && times.IsNull(i) {
			continue
		}
		t := int64(v)
		s := windowFloor(t, maxSize)
		for e := windowFloor(t, step) + step; e <= s+maxSize; e += step {
			w.idx = append(w.idx, int32(i))
			starts, ends = append(starts, s), append(ends, e)
		}
	}
	return starts, ends
}

// mark appends the row's time twice (SESSION), dropping NULL-time rows.
func (w *WindowAssign) mark(b Batch, times *array.Timestamp) error {
	if times.NullN() == 0 {
		return w.pushMarked(b)
	}
	w.idx = w.idx[:0]
	for i := 0; i < times.Len(); i++ {
		if times.IsValid(i) {
			w.idx = append(w.idx, int32(i))
		}
	}
	return w.pushTaken(b, w.pushMarked)
}

// pushMarked pushes b's rows (none with a NULL time) with their time
// appended twice.
func (w *WindowAssign) pushMarked(b Batch) error {
	t := b.Rec.Column(w.cfg.TimeCol)
	cols := append(append([]arrow.Array(nil), b.Rec.Columns()...), t, t)
	rec := array.NewRecordBatch(w.cfg.Output, cols, b.Rec.NumRows())
	defer rec.Release()
	return w.out.Push(Batch{Rec: rec, Ops: b.Ops})
}

// emit pushes b's rows with the window columns appended.
func (w *WindowAssign) emit(b Batch, starts, ends []int64) error {
	ws, we := timestampArray(starts, w.mem), timestampArray(ends, w.mem)
	defer ws.Release()
	defer we.Release()
	cols := append(append([]arrow.Array(nil), b.Rec.Columns()...), ws, we)
	rec := array.NewRecordBatch(w.cfg.Output, cols, int64(len(starts)))
	defer rec.Release()
	return w.out.Push(Batch{Rec: rec, Ops: b.Ops})
}

// Watermark implements Stream.
func (w *WindowAssign) Watermark(t int64) error { return w.out.Watermark(t) }

// Barrier implements Stream.
func (w *WindowAssign) Barrier(epoch uint64) error { return w.out.Barrier(epoch) }

// Close implements Stream.
func (w *WindowAssign) Close() error { return w.out.Close() }

// windowFloor is the start of the epoch-aligned window of length size
// holding t (floor, also before 1970).
func windowFloor(t, size int64) int64 {
	m := t % size
	if m < 0 {
		m += size
	}
	return t - m
}

// timestampArray copies epoch milliseconds into a NOT NULL timestamp[ms]
// array (the caller releases it).
func timestampArray(vals []int64, mem memory.Allocator) arrow.Array {
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(len(vals) * 8)
	copy(arrow.Int64Traits.CastFromBytes(buf.Bytes()), vals)
	data := array.NewData(&arrow.TimestampType{Unit: arrow.Millisecond}, len(vals), []*memory.Buffer{nil, buf}, nil, 0, 0)
	buf.Release()
	defer data.Release()
	return array.MakeFromData(data)
}
