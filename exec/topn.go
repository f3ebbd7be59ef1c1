package exec

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TopNConfig configures a TopN operator (planner.TopNNode).
type TopNConfig struct {
	// Input is the input schema; the output is Input's columns then the
	// row number (BIGINT).
	Input *arrow.Schema
	// Partition are the PARTITION BY columns (none: one partition).
	Partition []int
	// Order are the ORDER BY columns with their directions.
	Order []TopNOrder
	// Limit is N of `rn <= N` (>= 1).
	Limit int64
	// Output is the output schema (Input's columns, then the row number
	// as a non-NULL BIGINT); nil names the row number "rn".
	Output *arrow.Schema
}

// TopNOrder is one ORDER BY column of a TopN.
type TopNOrder struct {
	Col  int
	Desc bool
}

// TopN keeps, per partition, the first Limit rows of its append-only
// input in ORDER BY order and emits them with their row numbers as a
// retract changelog: when a row enters the top, the rows at and after
// its place are retracted (-D, with their old numbers) and emitted again
// (+I, renumbered), and the row pushed out of the top stays retracted.
// Rows equal in every ORDER BY column keep arrival order (an equal row
// arriving later ranks after), so results are deterministic. A row that
// does not enter the top is dropped at once.
//
// State: per partition at most Limit rows, each with its order key; a
// partition lives as long as the operator (input is append-only, so the
// top never shrinks). Watermarks, barriers and Close pass through: the
// output has no event-time guarantee (retractions revise earlier rows).
// Push borrows its batch; TopN copies what it keeps (encoded rows).
type TopN struct {
	cfg   TopNConfig
	out   Stream
	mem   memory.Allocator
	codec *RowCodec
	outS  *arrow.Schema
	part  []orderKeyCol
	order []orderKeyCol
	parts map[string]*topnPart
	rows  int64 // rows held
	ck    map[string]struct{}

	// Reused per batch.
	pkeys, okeys, enc [][]byte
	idx               []int32
	emit              topnEmit
}

// topnPart is one partition's top rows in order.
type topnPart struct {
	entries []topnEntry
}

// topnEntry is one held row: its order key and its RowCodec encoding.
type topnEntry struct {
	key, row []byte
}

var (
	_ Operator      = (*TopN)(nil)
	_ StateReporter = (*TopN)(nil)
	_ Checkpointer  = (*TopN)(nil)
)

// NewTopN returns a TopN emitting to out.
func NewTopN(cfg TopNConfig, out Stream, mem memory.Allocator) (*TopN, error) {
	if cfg.Limit < 1 {
		return nil, fmt.Errorf("top-n: limit %d, want >= 1", cfg.Limit)
	}
	if len(cfg.Order) == 0 {
		return nil, fmt.Errorf("top-n: no ORDER BY column")
	}
	n := cfg.Input.NumFields()
	t := &TopN{cfg: cfg, out: out, mem: mem, parts: map[string]*topnPart{}, ck: map[string]struct{}{}}
	for _, c := range cfg.Partition {
		if c < 0 || c >= n {
			return nil, fmt.Errorf("top-n: partition column %d out of range", c)
		}
		t.part = append(t.part, orderKeyCol{col: c})
	}
	for _, o := range cfg.Order {
		if o.Col < 0 || o.Col >= n {
			return nil, fmt.Errorf("top-n: order column %d out of range", o.Col)
		}
		t.order = append(t.order, orderKeyCol{col: o.Col, desc: o.Desc})
	}
	types := make([]arrow.DataType, n)
	for i, f := range cfg.Input.Fields() {
		types[i] = f.Type
	}
	codec, err := NewRowCodec(types)
	if err != nil {
		return nil, fmt.Errorf("top-n: %w", err)
	}
	t.codec = codec
	t.outS = cfg.Output
	if t.outS == nil {
		fields := append(append([]arrow.Field(nil), cfg.Input.Fields()...), arrow.Field{Name: "rn", Type: arrow.PrimitiveTypes.Int64})
		t.outS = arrow.NewSchema(fields, nil)
	}
	if t.outS.NumFields() != n+1 || !arrow.TypeEqual(t.outS.Field(n).Type, arrow.PrimitiveTypes.Int64) {
		return nil, fmt.Errorf("top-n: output schema %s: want the input's %d columns and a BIGINT row number", t.outS, n)
	}
	return t, nil
}

// Name is the operator's EXPLAIN name.
func (t *TopN) Name() string { return "top-n" }

// StateSize implements StateReporter: rows held and their bytes.
func (t *TopN) StateSize() (rows, bytes int64) {
	var b int64
	for k, p := range t.parts {
		b += int64(len(k))
		for _, e := range p.entries {
			b += int64(len(e.key) + len(e.row) + 48)
		}
	}
	return t.rows, b
}

// Push implements Stream.
func (t *TopN) Push(b Batch) error {
	n := b.NumRows()
	if n == 0 {
		return nil
	}
	if !b.AppendOnly() {
		return fmt.Errorf("top-n: input must be append-only, got a retraction")
	}
	if err := t.keys(b.Rec, n); err != nil {
		return err
	}
	t.idx = t.idx[:0]
	for r := 0; r < n; r++ {
		t.idx = append(t.idx, int32(r))
	}
	t.enc = t.codec.AppendRows(t.enc[:0], b.Rec.Columns(), t.idx)
	for r := 0; r < n; r++ {
		t.insert(string(t.pkeys[r]), topnEntry{key: t.okeys[r], row: t.enc[r]})
	}
	return t.flush()
}

// keys encodes the batch's partition and order keys.
func (t *TopN) keys(rec arrow.RecordBatch, n int) error {
	t.pkeys, t.okeys = resetKeys(t.pkeys, n), resetKeys(t.okeys, n)
	if err := appendOrderKeys(rec, t.part, t.pkeys); err != nil {
		return fmt.Errorf("top-n partition: %w", err)
	}
	if err := appendOrderKeys(rec, t.order, t.okeys); err != nil {
		return fmt.Errorf("top-n: %w", err)
	}
	return nil
}

// resetKeys returns n empty keys; each is a fresh slice because kept
// entries own their bytes.
func resetKeys(k [][]byte, n int) [][]byte {
	k = k[:0]
	for i := 0; i < n; i++ {
		k = append(k, nil)
	}
	return k
}

// insert places e in its partition's top, collecting the changes.
func (t *TopN) insert(pk string, e topnEntry) {
	p := t.parts[pk]
	if p == nil {
		p = &topnPart{}
		t.parts[pk] = p
	}
	// After every equal key: ties keep arrival order.
	at := sort.Search(len(p.entries), func(i int) bool { return bytes.Compare(p.entries[i].key, e.key) > 0 })
	if int64(at) >= t.cfg.Limit {
		return
	}
	for i := at; i < len(p.entries); i++ {
		t.emit.add(Delete, p.entries[i].row, int64(i+1))
	}
	p.entries = append(p.entries, topnEntry{})
	copy(p.entries[at+1:], p.entries[at:])
	p.entries[at] = e
	if int64(len(p.entries)) > t.cfg.Limit {
		p.entries = p.entries[:t.cfg.Limit]
	} else {
		t.rows++
	}
	for i := at; i < len(p.entries); i++ {
		t.emit.add(Insert, p.entries[i].row, int64(i+1))
	}
	t.ck[pk] = struct{}{}
}

// flush emits the collected changes as one batch.
func (t *TopN) flush() error {
	if len(t.emit.rows) == 0 {
		return nil
	}
	defer t.emit.reset()
	cols, err := t.codec.DecodeAll(t.emit.rows, t.mem)
	if err != nil {
		return fmt.Errorf("top-n: %w", err)
	}
	rb := array.NewInt64Builder(t.mem)
	rb.AppendValues(t.emit.rn, nil)
	cols = append(cols, rb.NewArray())
	rb.Release()
	rec := array.NewRecordBatch(t.outS, cols, int64(len(t.emit.rows)))
	for _, c := range cols {
		c.Release()
	}
	err = t.out.Push(Batch{Rec: rec, Ops: t.emit.ops})
	rec.Release()
	return err
}

// Watermark implements Stream: passed through.
func (t *TopN) Watermark(w int64) error { return t.out.Watermark(w) }

// Barrier implements Stream.
func (t *TopN) Barrier(epoch uint64) error { return t.out.Barrier(epoch) }

// Close implements Stream.
func (t *TopN) Close() error { return t.out.Close() }

// topnEmit collects output rows: op, encoded row and row number.
type topnEmit struct {
	ops  []Op
	rows [][]byte
	rn   []int64
}

func (e *topnEmit) add(op Op, row []byte, rn int64) {
	e.ops, e.rows, e.rn = append(e.ops, op), append(e.rows, row), append(e.rn, rn)
}

func (e *topnEmit) reset() {
	e.ops, e.rows, e.rn = e.ops[:0], e.rows[:0], e.rn[:0]
}
