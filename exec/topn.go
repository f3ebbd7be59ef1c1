package exec

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
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
// retract changelog. Rows equal in every ORDER BY column keep arrival
// order (an equal row arriving later ranks after), so results are
// deterministic.
//
// Output is the net change of each batch: per partition the batch
// touched, every rank whose row changed emits -D (old row, rank) then +I
// (new row, rank), so a row entering at rank k of N re-emits the rows it
// shifts (their numbers change) and a row that enters and leaves within
// one batch emits nothing. A row that does not enter the top costs two
// key encodings into reused buffers, a map lookup and a comparison: no
// allocation and no output.
//
// State: per partition at most Limit rows, each one allocation holding its
// order key and RowCodec row (rows of the batch being pushed are encoded
// only if they are still in the top at its end); a partition lives as long
// as the operator (input is append-only, so the top never shrinks).
// Watermarks, barriers and Close pass through: the output has no
// event-time guarantee (retractions revise earlier rows). Push borrows its
// batch; TopN copies what it keeps.
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
	bytes int64 // estimated bytes held
	dirty []*topnPart

	// Reused per batch.
	pkeys, okeys keyArena
	batch        topnBatch
	emit         topnEmit
	sizes        []int // VARCHAR bytes per column of the rows emitted
}

// topnPart is one partition's top rows in order.
type topnPart struct {
	key     string
	entries []topnEntry // starts in one, its first entry's room
	one     [1]topnEntry
	dirty   bool // changed since the last Snapshot
	// The current batch's first change saved entries (topnBatch.before).
	touched             bool
	beforeAt, beforeLen int32
}

// topnEntry is one held row: buf is its order key (buf[:klen]) then its
// RowCodec encoding. A row of the batch being pushed has no buf yet and is
// row src of that batch.
type topnEntry struct {
	buf  []byte
	klen int32
	src  int32
}

// row is the entry's RowCodec encoding (owned entries only).
func (e topnEntry) row() []byte { return e.buf[e.klen:] }

// same reports whether a and b are the same held row.
func (a topnEntry) same(b topnEntry) bool {
	if a.buf == nil || b.buf == nil {
		return a.buf == nil && b.buf == nil && a.src == b.src
	}
	return &a.buf[0] == &b.buf[0]
}

// Per-row and per-partition overheads in StateSize's byte estimate.
const (
	topnEntryBytes = 40
	topnPartBytes  = 96
)

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
	t := &TopN{cfg: cfg, out: out, mem: mem, parts: map[string]*topnPart{}}
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

// StateSize implements StateReporter: rows held and their bytes, kept up
// to date as rows enter and leave (no walk over the state).
func (t *TopN) StateSize() (rows, bytes int64) { return t.rows, t.bytes }

// Push implements Stream.
func (t *TopN) Push(b Batch) error {
	n := b.NumRows()
	if n == 0 {
		return nil
	}
	if !b.AppendOnly() {
		return fmt.Errorf("top-n: input must be append-only, got a retraction")
	}
	if err := t.pkeys.encode(b.Rec, t.part, n); err != nil {
		return fmt.Errorf("top-n partition: %w", err)
	}
	if err := t.okeys.encode(b.Rec, t.order, n); err != nil {
		return fmt.Errorf("top-n: %w", err)
	}
	for r := 0; r < n; r++ {
		t.offer(r)
	}
	t.settle(b.Rec)
	return t.flush()
}

// entryKey is e's order key (for a row of the current batch, borrowed from
// the key arena).
func (t *TopN) entryKey(e topnEntry) []byte {
	if e.buf == nil {
		return t.okeys.key(int(e.src))
	}
	return e.buf[:e.klen]
}

// offer places row r of the current batch in its partition's top if it
// belongs there, after every row with an equal key (ties keep arrival
// order), dropping the row pushed past Limit.
func (t *TopN) offer(r int) {
	pk, ok := t.pkeys.key(r), t.okeys.key(r)
	p := t.parts[string(pk)]
	if p != nil && int64(len(p.entries)) >= t.cfg.Limit &&
		bytes.Compare(ok, t.entryKey(p.entries[len(p.entries)-1])) >= 0 {
		return
	}
	if p == nil {
		p = &topnPart{key: string(pk)}
		p.entries = p.one[:0]
		t.parts[p.key] = p
		t.bytes += int64(len(p.key)) + topnPartBytes
	}
	at := sort.Search(len(p.entries), func(i int) bool { return bytes.Compare(t.entryKey(p.entries[i]), ok) > 0 })
	t.batch.touch(p)
	p.entries = append(p.entries, topnEntry{})
	copy(p.entries[at+1:], p.entries[at:])
	p.entries[at] = topnEntry{src: int32(r)}
	if int64(len(p.entries)) > t.cfg.Limit {
		if gone := p.entries[len(p.entries)-1]; gone.buf != nil {
			t.bytes -= int64(len(gone.buf)) + topnEntryBytes
		}
		p.entries = p.entries[:t.cfg.Limit]
	} else {
		t.rows++
	}
}

// Watermark implements Stream: passed through.
func (t *TopN) Watermark(w int64) error { return t.out.Watermark(w) }

// Barrier implements Stream.
func (t *TopN) Barrier(epoch uint64) error { return t.out.Barrier(epoch) }

// Close implements Stream.
func (t *TopN) Close() error { return t.out.Close() }
