package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec/agg"
	"github.com/sqlstream/sqlstream/planner"
)

// OverConfig configures an Over operator (planner.OverNode).
type OverConfig struct {
	Input     catalog.Schema
	Partition []int // input columns; none = one partition
	Order     int   // the event-time (TIMESTAMP) input column
	Calls     []planner.OverCall
	Limit     int64 // > 0: only rows with ROW_NUMBER <= Limit are needed
	Output    *arrow.Schema
}

// Over computes OVER (PARTITION BY .. ORDER BY time) window functions over
// an append-only stream, appending one column per call to each row.
//
// Lifecycle of a row: Push copies it into the operator's slots (Push
// borrows the batch). When a watermark w arrives, every row with event
// time < w is final: no row that still comes can sort before it. Final
// rows are ordered by (partition, time, arrival), their functions are
// computed from each partition's carried state (row count, running
// aggregates, the slots of the last rows LAG reads), and they are emitted
// as +I rows sorted by (time, arrival). A final row whose LEAD partner is
// not final yet waits for a later watermark (or MaxWatermark or Close,
// after which missing partners are the default). Rows with a NULL event
// time sort last and are emitted at MaxWatermark.
//
// The forwarded watermark never exceeds the time of a row still held, so
// it bounds the output's ORDER BY column. Per-partition state grows with
// the number of partitions; with Limit set a partition that has emitted
// Limit rows keeps only its counter and its later rows are dropped on
// arrival.
type Over struct {
	cfg   OverConfig
	out   Stream
	mem   memory.Allocator
	store *overStore
	keys  *agg.KeyEncoder // nil without PARTITION BY
	parts map[string]int32
	// count is the number of rows each partition has emitted.
	count []int64
	// accs holds one accumulator per OverAgg call (nil for other calls),
	// grouped by partition id.
	accs []agg.Acc
	// lagDepth is the largest LAG offset; hist holds per partition the
	// slots of its last lagDepth emitted rows (ring by emitted row
	// number; -1 none).
	lagDepth  int64
	leadDepth int64
	hist      []int32
	pend      []overRow
	seq       uint64
	inWm      int64
	outWm     int64
	closed    bool
	ck        overCk // checkpoint bookkeeping (over_checkpoint.go)
}

// overRow is a row waiting in the store.
type overRow struct {
	slot int32
	pid  int32
	time int64
	seq  uint64
}

var (
	_ Operator      = (*Over)(nil)
	_ StateReporter = (*Over)(nil)
)

// NewOver returns an Over emitting to out.
func NewOver(cfg OverConfig, out Stream, mem memory.Allocator) (*Over, error) {
	if cfg.Order < 0 || cfg.Order >= cfg.Input.Len() || cfg.Input.Columns[cfg.Order].Type.ID != catalog.Timestamp {
		return nil, fmt.Errorf("over: ORDER BY column %d is not a TIMESTAMP column of %s", cfg.Order, cfg.Input)
	}
	store, err := newOverStore(cfg.Input.Arrow())
	if err != nil {
		return nil, fmt.Errorf("over: %w", err)
	}
	o := &Over{cfg: cfg, out: out, mem: mem, store: store, parts: map[string]int32{},
		accs: make([]agg.Acc, len(cfg.Calls)), inWm: MinWatermark, outWm: MinWatermark}
	o.store.ck = &o.ck.slots
	if len(cfg.Partition) > 0 {
		types := make([]catalog.Type, len(cfg.Partition))
		for i, c := range cfg.Partition {
			types[i] = cfg.Input.Columns[c].Type
		}
		if o.keys, err = agg.NewKeyEncoder(types); err != nil {
			return nil, fmt.Errorf("over: partition key: %w", err)
		}
	}
	for i, c := range cfg.Calls {
		switch c.Func {
		case planner.OverLag:
			o.lagDepth = max(o.lagDepth, c.Offset)
		case planner.OverLead:
			o.leadDepth = max(o.leadDepth, c.Offset)
		case planner.OverAgg:
			spec := agg.Spec{Func: c.Agg, Result: c.T, AppendOnly: true}
			if c.Arg >= 0 {
				spec.Arg = cfg.Input.Columns[c.Arg].Type
			}
			if o.accs[i], err = agg.New(spec); err != nil {
				return nil, fmt.Errorf("over: %w", err)
			}
		}
		if c.Offset < 0 {
			return nil, fmt.Errorf("over: negative offset %d", c.Offset)
		}
	}
	if len(cfg.Partition) == 0 {
		o.partition("")
	}
	return o, nil
}

// Name implements Operator.
func (o *Over) Name() string { return "over" }

// partition returns the id of a partition key, adding the partition.
func (o *Over) partition(key string) int32 {
	if id, ok := o.parts[key]; ok {
		return id
	}
	id := int32(len(o.parts))
	o.parts[key] = id
	o.ck.newPart(key)
	o.count = append(o.count, 0)
	for _, a := range o.accs {
		if a != nil {
			a.Grow(int(id) + 1)
		}
	}
	for i := int64(0); i < o.lagDepth; i++ {
		o.hist = append(o.hist, -1)
	}
	return id
}

// Push implements Stream: it keeps the batch's rows until the watermark
// passes them. Rows of a partition that already emitted Limit rows are
// dropped: they would be numbered beyond the limit.
func (o *Over) Push(b Batch) error {
	n := b.NumRows()
	if n == 0 {
		return nil
	}
	if !b.AppendOnly() {
		return fmt.Errorf("over: input must be append-only, got a %s row", firstRetraction(b))
	}
	times, ok := b.Rec.Column(o.cfg.Order).(*array.Timestamp)
	if !ok {
		return fmt.Errorf("over: ORDER BY column is %s, want timestamp", b.Rec.Column(o.cfg.Order).DataType())
	}
	pids := o.partitionIDs(b.Rec, n)
	rows := make([]int32, 0, n)
	for i := 0; i < n; i++ {
		if o.cfg.Limit > 0 && o.count[pids[i]] >= o.cfg.Limit {
			continue
		}
		rows = append(rows, int32(i))
	}
	slots := o.store.add(b.Rec, rows)
	vals := times.TimestampValues()
	for k, r := range rows {
		t := int64(vals[r])
		if times.IsNull(int(r)) {
			t = MaxWatermark
		}
		o.pend = append(o.pend, overRow{slot: slots[k], pid: pids[r], time: t, seq: o.seq})
		o.ck.waiting(o.pend[len(o.pend)-1])
		o.seq++
	}
	return nil
}

// firstRetraction names the first non-insert op of a batch.
func firstRetraction(b Batch) Op {
	for _, op := range b.Ops {
		if op != Insert {
			return op
		}
	}
	return Insert
}

// partitionIDs returns each row's partition id, adding new partitions.
func (o *Over) partitionIDs(rec arrow.RecordBatch, n int) []int32 {
	pids := make([]int32, n)
	if o.keys == nil {
		return pids
	}
	cols := make([]arrow.Array, len(o.cfg.Partition))
	for i, c := range o.cfg.Partition {
		cols[i] = rec.Column(c)
	}
	o.keys.Encode(cols, n)
	for i := range pids {
		k := o.keys.Key(i)
		id, ok := o.parts[string(k)]
		if !ok {
			id = o.partition(string(k))
		}
		pids[i] = id
	}
	return pids
}

// Watermark implements Stream: it emits the rows the watermark makes
// final, then forwards a watermark no later than any row still held.
func (o *Over) Watermark(t int64) error {
	if t <= o.inWm {
		return nil
	}
	o.inWm = t
	held, err := o.flush(t)
	if err != nil {
		return err
	}
	fwd := t
	if held < fwd {
		fwd = held
	}
	if fwd > o.outWm {
		o.outWm = fwd
		return o.out.Watermark(fwd)
	}
	return nil
}

// Barrier implements Stream by forwarding it (the runner snapshots the
// state after the barrier, see over_checkpoint.go).
func (o *Over) Barrier(epoch uint64) error { return o.out.Barrier(epoch) }

// Close implements Stream: the input has ended, so every row still held
// is final and missing LEAD partners take their default.
func (o *Over) Close() error {
	if o.closed {
		return nil
	}
	o.closed = true
	if _, err := o.flush(MaxWatermark); err != nil {
		return err
	}
	o.store = nil
	return o.out.Close()
}

// StateSize implements StateReporter: rows held (waiting or kept for
// LAG), and bytes including the per-partition state.
func (o *Over) StateSize() (rows, bytes int64) {
	if o.store == nil {
		return 0, 0
	}
	bytes = o.store.bytes() + int64(cap(o.pend))*24 + int64(len(o.parts))*48 + int64(cap(o.hist))*4
	for _, a := range o.accs {
		if a != nil {
			bytes += a.Bytes()
		}
	}
	return o.store.live(), bytes
}
