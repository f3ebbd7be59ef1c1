package duckdb

import (
	"bytes"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/exec"
)

// outboxOpColumn is the column the outbox adds to a sink's batches for
// their ops.
const outboxOpColumn = "_op"

// outboxChunk is the size after which an epoch's batches continue in a
// new outbox row.
const outboxChunk = 16 << 20

// outbox buffers the input of an EpochSink (exec.CheckpointStore.Outbox):
// Push keeps batches until Commit writes them to _sqlstream_outbox as
// Arrow IPC streams, the ops in an extra int8 column.
type outbox struct {
	store   *Store
	sink    string
	pending []exec.Batch
	closed  bool
}

var _ exec.Stream = (*outbox)(nil)

// Outbox returns the stream buffering sink's input; its batches commit
// with the epoch.
func (s *Store) Outbox(sink string) (exec.Stream, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ck == nil {
		return nil, errNoResume("outbox of " + sink)
	}
	for _, o := range s.ck.outboxes {
		if o.sink == sink {
			return nil, fmt.Errorf("duckdb: outbox of %s: opened twice", sink)
		}
	}
	o := &outbox{store: s, sink: sink}
	s.ck.outboxes = append(s.ck.outboxes, o)
	return o, nil
}

// Push keeps b until the next Commit.
func (o *outbox) Push(b exec.Batch) error {
	if b.NumRows() == 0 {
		return nil
	}
	o.store.mu.Lock()
	defer o.store.mu.Unlock()
	if o.closed {
		return fmt.Errorf("duckdb: outbox of %s: push after close", o.sink)
	}
	o.pending = append(o.pending, b.Keep())
	return nil
}

// Watermark is ignored: external sinks get committed epochs only.
func (o *outbox) Watermark(int64) error { return nil }

// Barrier is a no-op: Commit writes the epoch's batches.
func (o *outbox) Barrier(uint64) error { return nil }

// Close ends the stream; pending batches are still written by the next
// Commit.
func (o *outbox) Close() error {
	o.store.mu.Lock()
	defer o.store.mu.Unlock()
	o.closed = true
	return nil
}

func (o *outbox) releasePending() {
	for _, b := range o.pending {
		b.Release()
	}
	o.pending = nil
}

// flush writes the pending batches as epoch inside Commit's transaction.
// The caller holds store.mu.
func (o *outbox) flush(epoch uint64) error {
	if len(o.pending) == 0 {
		return nil
	}
	chunks, err := encodeBatches(o.pending)
	if err != nil {
		return err
	}
	for seq, c := range chunks {
		if err := o.store.exec("INSERT INTO "+OutboxTable+" VALUES (?, ?, ?, ?)", o.sink, epoch, seq, c); err != nil {
			return err
		}
	}
	return nil
}

// Pending returns sink's committed epochs above after, in order, with
// their batches (owned by the caller).
func (s *Store) Pending(sink string, after uint64) ([]exec.EpochBatches, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ck == nil {
		return nil, errNoResume("pending epochs of " + sink)
	}
	rows, err := s.conn.QueryContext(s.ctx, "SELECT epoch, batch FROM "+OutboxTable+" WHERE sink = ? AND epoch > ? ORDER BY epoch, seq", sink, after)
	if err != nil {
		return nil, fmt.Errorf("duckdb: pending epochs of %s: %w", sink, err)
	}
	defer rows.Close()
	var out []exec.EpochBatches
	fail := func(err error) ([]exec.EpochBatches, error) {
		for _, e := range out {
			releaseBatches(e.Batches)
		}
		return nil, fmt.Errorf("duckdb: pending epochs of %s: %w", sink, err)
	}
	for rows.Next() {
		var epoch uint64
		var blob []byte
		if err := rows.Scan(&epoch, &blob); err != nil {
			return fail(err)
		}
		if len(out) == 0 || out[len(out)-1].Epoch != epoch {
			out = append(out, exec.EpochBatches{Epoch: epoch})
		}
		last := &out[len(out)-1]
		last.Batches, err = decodeBatches(blob, last.Batches)
		if err != nil {
			return fail(fmt.Errorf("epoch %d: %w", epoch, err))
		}
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	return out, nil
}

// Trim forgets sink's epochs up to upto with the next Commit.
func (s *Store) Trim(sink string, upto uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ck == nil {
		return errNoResume("trim outbox of " + sink)
	}
	s.ck.trims[sink] = max(s.ck.trims[sink], upto)
	return nil
}

// encodeBatches writes batches as Arrow IPC streams of at most about
// outboxChunk bytes each, with their ops as the int8 column _op.
func encodeBatches(batches []exec.Batch) ([][]byte, error) {
	in := batches[0].Rec.Schema()
	fields := make([]arrow.Field, 0, in.NumFields()+1)
	for _, f := range in.Fields() {
		fields = append(fields, arrow.Field{Name: f.Name, Type: f.Type, Nullable: true})
	}
	fields = append(fields, arrow.Field{Name: outboxOpColumn, Type: arrow.PrimitiveTypes.Int8})
	schema := arrow.NewSchema(fields, nil)
	var (
		chunks [][]byte
		buf    bytes.Buffer
		w      *ipc.Writer
	)
	end := func() error {
		if w == nil {
			return nil
		}
		if err := w.Close(); err != nil {
			return err
		}
		chunks, w = append(chunks, bytes.Clone(buf.Bytes())), nil
		buf.Reset()
		return nil
	}
	for _, b := range batches {
		if int(b.Rec.NumCols()) != in.NumFields() {
			return nil, fmt.Errorf("batch has %d columns, the sink %d", b.Rec.NumCols(), in.NumFields())
		}
		if w == nil {
			w = ipc.NewWriter(&buf, ipc.WithSchema(schema))
		}
		ops := opsColumn(b)
		rec := array.NewRecordBatch(schema, append(append([]arrow.Array(nil), b.Rec.Columns()...), ops), b.Rec.NumRows())
		ops.Release()
		err := w.Write(rec)
		rec.Release()
		if err != nil {
			_ = w.Close()
			return nil, fmt.Errorf("encode outbox batch: %w", err)
		}
		if buf.Len() >= outboxChunk {
			if err := end(); err != nil {
				return nil, err
			}
		}
	}
	if err := end(); err != nil {
		return nil, err
	}
	return chunks, nil
}

// opsColumn is b's ops as an int8 array.
func opsColumn(b exec.Batch) arrow.Array {
	ob := array.NewInt8Builder(memory.DefaultAllocator)
	defer ob.Release()
	n := b.NumRows()
	ob.Reserve(n)
	for i := range n {
		ob.UnsafeAppend(int8(b.Op(i)))
	}
	return ob.NewArray()
}

// decodeOps returns the ops of raw, nil when every one is an insert.
func decodeOps(raw []int8) []exec.Op {
	all := true
	for _, o := range raw {
		if exec.Op(o) != exec.Insert {
			all = false
			break
		}
	}
	if all {
		return nil
	}
	ops := make([]exec.Op, len(raw))
	for i, o := range raw {
		ops[i] = exec.Op(o)
	}
	return ops
}

// decodeBatches appends the batches of one IPC stream written by
// encodeBatches to out.
func decodeBatches(blob []byte, out []exec.Batch) ([]exec.Batch, error) {
	r, err := ipc.NewReader(bytes.NewReader(blob))
	if err != nil {
		return out, fmt.Errorf("decode outbox batch: %w", err)
	}
	defer r.Release()
	full := r.Schema()
	n := full.NumFields() - 1
	if n < 0 || full.Field(n).Name != outboxOpColumn {
		return out, fmt.Errorf("decode outbox batch: no %s column", outboxOpColumn)
	}
	schema := arrow.NewSchema(full.Fields()[:n], nil)
	for r.Next() {
		rec := r.RecordBatch()
		opArr, ok := rec.Column(n).(*array.Int8)
		if !ok {
			return out, fmt.Errorf("decode outbox batch: %s is %s", outboxOpColumn, rec.Column(n).DataType())
		}
		b := exec.Batch{Rec: array.NewRecordBatch(schema, rec.Columns()[:n], rec.NumRows())}
		b.Ops = decodeOps(opArr.Int8Values())
		out = append(out, b)
	}
	if err := r.Err(); err != nil {
		return out, fmt.Errorf("decode outbox batch: %w", err)
	}
	return out, nil
}
