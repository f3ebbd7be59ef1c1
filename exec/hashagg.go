package exec

import (
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec/agg"
	"github.com/sqlstream/sqlstream/planner"
)

// HashAggConfig describes a HashAgg (planner.HashAggNode).
type HashAggConfig struct {
	// Input is the schema of the input rows.
	Input   catalog.Schema
	GroupBy []int
	Aggs    []planner.AggCall
	// Output has the GroupBy columns in order, then one per Aggs.
	Output *arrow.Schema
	// StateTTL drops groups not changed for this long (processing time);
	// 0 keeps every group. Dropped groups emit nothing: the last result
	// stays downstream, and a later change to the key starts the group
	// afresh (+I), so results become approximate.
	StateTTL time.Duration
	// Clock is the processing-time clock of the TTL; nil is time.Now.
	Clock func() time.Time
	// AppendOnly declares an input that never retracts (planner Props.Mode
	// catalog.AppendOnly): MIN and MAX then keep only each group's extreme
	// instead of a multiset of its values. A retraction is then an error.
	AppendOnly bool
}

// HashAgg is an incremental GROUP BY under retraction. Per input batch it
// emits one change per changed group, in the order the batch first touched
// them: +I for a new group, -U old/+U new for a changed one (nothing when
// the result row is unchanged), -D for a group whose row count drops to
// zero. Without GROUP BY it is a global aggregate holding exactly one row:
// it emits the initial row (COUNT 0, NULL for the others) at the first
// change, barrier or final watermark, whichever comes first, and never
// deletes it. It keeps no batch: state is copied out of each batch.
//
// A retraction of a row the operator never saw (inconsistent input, or a
// group dropped by the TTL) is ignored once the group's row count would go
// below zero; the group is then dropped without output.
type HashAgg struct {
	cfg    HashAggConfig
	out    Stream
	mem    memory.Allocator
	global bool
	index  groupIndex // nil for a global aggregate
	groups *aggGroups
	aggs   []aggSlot
	bld    *array.RecordBuilder
	seq    uint64 // batches pushed
	// started: the global row has been emitted.
	started   bool
	lastSweep int64

	// per-batch scratch, reused
	signs    []int8
	gids     []int32
	touched  []int32
	keyCols  []arrow.Array
	oldGs    []int32
	newGs    []int32
	em       emitScratch
	expiredG []int32
	// ck tracks the groups changed since the last Snapshot
	// (hashagg_checkpoint.go).
	ck aggCheckpoint
}

// aggSlot is one aggregate call: its accumulator and weight mask.
type aggSlot struct {
	call planner.AggCall
	acc  agg.Acc
	mask []int8
}

var (
	_ Operator      = (*HashAgg)(nil)
	_ StateReporter = (*HashAgg)(nil)
)

// NewHashAgg returns an aggregation emitting to out.
func NewHashAgg(cfg HashAggConfig, out Stream, mem memory.Allocator) (*HashAgg, error) {
	if cfg.Output == nil || cfg.Output.NumFields() != len(cfg.GroupBy)+len(cfg.Aggs) {
		return nil, fmt.Errorf("hash-agg: output schema %v, want %d group columns and %d aggregates", cfg.Output, len(cfg.GroupBy), len(cfg.Aggs))
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	h := &HashAgg{cfg: cfg, out: out, mem: mem, global: len(cfg.GroupBy) == 0, groups: &aggGroups{}}
	types := make([]catalog.Type, len(cfg.GroupBy))
	for i, c := range cfg.GroupBy {
		if c < 0 || c >= cfg.Input.Len() {
			return nil, fmt.Errorf("hash-agg: group column %d out of range %s", c, cfg.Input)
		}
		types[i] = cfg.Input.Columns[c].Type
	}
	if !h.global {
		index, err := newGroupIndex(types)
		if err != nil {
			return nil, fmt.Errorf("hash-agg: %w", err)
		}
		h.index = index
	}
	for _, call := range cfg.Aggs {
		acc, err := newAggAcc(cfg.Input, call, cfg.AppendOnly)
		if err != nil {
			return nil, fmt.Errorf("hash-agg: %s: %w", call.Name, err)
		}
		h.aggs = append(h.aggs, aggSlot{call: call, acc: acc})
	}
	h.bld = array.NewRecordBuilder(mem, cfg.Output)
	if h.global {
		h.groups.newID()
		h.growAccs()
	}
	return h, nil
}

// newAggAcc checks a call against its input and result types and returns
// its accumulator.
func newAggAcc(in catalog.Schema, call planner.AggCall, appendOnly bool) (agg.Acc, error) {
	spec := agg.Spec{Func: call.Func, Distinct: call.Distinct, Result: call.T, AppendOnly: appendOnly}
	if call.Func != planner.AggCountStar {
		if call.Arg < 0 || call.Arg >= in.Len() {
			return nil, fmt.Errorf("argument column %d out of range %s", call.Arg, in)
		}
		spec.Arg = in.Columns[call.Arg].Type
	}
	if call.Filter >= 0 && (call.Filter >= in.Len() || in.Columns[call.Filter].Type.ID != catalog.Boolean) {
		return nil, fmt.Errorf("filter column %d is not a BOOLEAN of %s", call.Filter, in)
	}
	if want, ok := AggResultType(call.Func, spec.Arg); !ok || !want.Equal(call.T) {
		return nil, fmt.Errorf("result type %s, want %s for %s(%s)", call.T, want, call.Func, spec.Arg)
	}
	return agg.New(spec)
}

// AggResultType is the result type of f over arg, as planner.AggCall
// documents; false when f does not apply to arg.
func AggResultType(f planner.AggFunc, arg catalog.Type) (catalog.Type, bool) {
	switch f {
	case planner.AggCountStar, planner.AggCount:
		return catalog.BigIntType, true
	case planner.AggMin, planner.AggMax:
		return arg, arg.ID != catalog.Null
	case planner.AggSum:
		switch arg.ID {
		case catalog.Int, catalog.BigInt:
			return catalog.DecimalType(38, 0), true
		case catalog.Decimal:
			return catalog.DecimalType(38, arg.Scale), true
		case catalog.Double:
			return catalog.DoubleType, true
		}
	case planner.AggAvg:
		switch arg.ID {
		case catalog.Int, catalog.BigInt, catalog.Double:
			return catalog.DoubleType, true
		case catalog.Decimal:
			return catalog.DecimalType(38, min(arg.Scale+4, 38)), true
		}
	}
	return catalog.Type{}, false
}

// Name implements Operator.
func (h *HashAgg) Name() string { return "hash-agg" }

// Push implements Stream.
func (h *HashAgg) Push(b Batch) error {
	n := b.NumRows()
	if n == 0 {
		return nil
	}
	if err := h.fillSigns(b); err != nil {
		return err
	}
	h.seq++
	h.assignGroups(b.Rec, n)
	h.markTouched()
	h.oldGs = h.pick(h.oldGs[:0], func(g int32) bool { return h.groups.live[g] })
	if err := h.appendRows(h.oldGs); err != nil {
		return err
	}
	rows := h.groups.rows
	for i, s := range h.signs {
		rows[h.gids[i]] += int64(s)
	}
	for i := range h.aggs {
		h.update(&h.aggs[i], b.Rec)
	}
	h.newGs = h.pick(h.newGs[:0], func(g int32) bool { return h.global || h.groups.rows[g] > 0 })
	if err := h.appendRows(h.newGs); err != nil {
		return err
	}
	err := h.emit()
	h.releaseEmptied()
	return err
}

// fillSigns sets the weight of every row: +1 for +I/+U, -1 for -U/-D. A
// retraction on an input declared append-only is an error.
func (h *HashAgg) fillSigns(b Batch) error {
	h.signs = growSlice(h.signs, b.NumRows())
	retracts := false
	for i := range h.signs {
		h.signs[i] = 1
		if b.Ops != nil && b.Ops[i].IsRetraction() {
			h.signs[i] = -1
			retracts = true
		}
	}
	if retracts && h.cfg.AppendOnly {
		return fmt.Errorf("hash-agg: a retraction on an input declared append-only")
	}
	return nil
}

// assignGroups sets gids to the group id of every row, creating groups.
func (h *HashAgg) assignGroups(rec arrow.RecordBatch, n int) {
	h.gids = growSlice(h.gids, n)
	if h.global {
		clear(h.gids)
		return
	}
	h.keyCols = h.keyCols[:0]
	for _, c := range h.cfg.GroupBy {
		h.keyCols = append(h.keyCols, rec.Column(c))
	}
	h.index.assign(h.keyCols, h.gids, h.groups)
	h.growAccs()
}

func (h *HashAgg) growAccs() {
	for i := range h.aggs {
		h.aggs[i].acc.Grow(h.groups.n)
	}
}

// markTouched lists the groups of the batch in order of first touch and
// stamps their processing time.
func (h *HashAgg) markTouched() {
	now := int64(0)
	if h.cfg.StateTTL > 0 {
		now = h.cfg.Clock().UnixMilli()
	}
	h.touched = h.touched[:0]
	stamp := h.groups.stamp
	for _, g := range h.gids {
		if stamp[g] != h.seq {
			if stamp[g] <= h.ck.snapSeq {
				h.ck.dirty = append(h.ck.dirty, g) // first change since the last snapshot
			}
			stamp[g] = h.seq
			h.touched = append(h.touched, g)
			h.groups.used[g] = now
		}
	}
}

func (h *HashAgg) pick(dst []int32, keep func(int32) bool) []int32 {
	for _, g := range h.touched {
		if keep(g) {
			dst = append(dst, g)
		}
	}
	return dst
}

// update folds the batch into one aggregate: the weights are masked by
// the FILTER column (TRUE only) and the argument's NULLs.
func (h *HashAgg) update(s *aggSlot, rec arrow.RecordBatch) {
	var arg arrow.Array
	if s.call.Func != planner.AggCountStar {
		arg = rec.Column(s.call.Arg)
	}
	var filter *array.Boolean
	if s.call.Filter >= 0 {
		filter = rec.Column(s.call.Filter).(*array.Boolean)
	}
	if filter == nil && (arg == nil || arg.NullN() == 0) {
		s.acc.Update(arg, h.gids, h.signs)
		return
	}
	s.mask = growSlice(s.mask, len(h.signs))
	for i, w := range h.signs {
		if (arg != nil && arg.IsNull(i)) || (filter != nil && (filter.IsNull(i) || !filter.Value(i))) {
			w = 0
		}
		s.mask[i] = w
	}
	s.acc.Update(arg, h.gids, s.mask)
}

// releaseEmptied frees the touched groups whose row count reached zero.
func (h *HashAgg) releaseEmptied() {
	if h.global {
		return
	}
	for _, g := range h.touched {
		if h.groups.rows[g] <= 0 {
			h.releaseGroup(g)
		}
	}
}

func (h *HashAgg) releaseGroup(g int32) {
	h.released(g)
	h.index.forget(g)
	h.groups.release(g)
	for i := range h.aggs {
		h.aggs[i].acc.Reset(g)
	}
}

// Watermark implements Stream. The final watermark emits the initial row
// of a global aggregate that saw no change.
func (h *HashAgg) Watermark(t int64) error {
	if t == MaxWatermark {
		if err := h.emitInitial(); err != nil {
			return err
		}
	}
	h.sweep()
	return h.out.Watermark(t)
}

// Barrier implements Stream. The first barrier emits the initial row of a
// global aggregate.
func (h *HashAgg) Barrier(epoch uint64) error {
	if err := h.emitInitial(); err != nil {
		return err
	}
	h.sweep()
	return h.out.Barrier(epoch)
}

// Close implements Stream.
func (h *HashAgg) Close() error {
	h.bld.Release()
	h.ck.close()
	return h.out.Close()
}

// StateSize implements StateReporter: groups and approximate bytes. It
// walks MIN/MAX and DISTINCT state, so call it at progress-report pace.
func (h *HashAgg) StateSize() (rows, bytes int64) {
	bytes = h.groups.stateBytes()
	if h.index != nil {
		bytes += h.index.bytes()
	}
	for _, s := range h.aggs {
		bytes += s.acc.Bytes()
	}
	return int64(h.groups.count), bytes
}

// sweep drops the groups idle longer than the TTL (see HashAggConfig).
func (h *HashAgg) sweep() {
	if h.cfg.StateTTL <= 0 || h.global {
		return
	}
	now := h.cfg.Clock().UnixMilli()
	ttl := h.cfg.StateTTL.Milliseconds()
	if now-h.lastSweep < ttl/4 {
		return
	}
	h.lastSweep = now
	h.expiredG = h.groups.expired(now-ttl, h.expiredG[:0])
	for _, g := range h.expiredG {
		h.releaseGroup(g)
	}
}

func growSlice[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
