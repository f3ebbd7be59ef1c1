package exec_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/planner"
)

// Fakes for checkpoint and recovery tests: a CheckpointStore whose
// committed data (ckData) outlives the store, as a file outlives a
// crashed process; a positioned memtest source ("mempos"); an EpochSink
// ("memepoch") failing on demand; and a Checkpointer operator (countNode).

// ckData is what a checkpointing fake store has committed.
type ckData struct {
	fp        string
	epoch     uint64
	complete  bool
	commits   []uint64
	state     map[string]map[string]string
	positions map[string][]byte
	outbox    map[string][]ckEpoch
	views     map[string][]string // committed rows of each view
	// sinkSchemas are the schemas of the outboxes' batches.
	sinkSchemas map[string]catalog.Schema
}

// ckEpoch is one committed epoch of an outbox, as rows.
type ckEpoch struct {
	epoch uint64
	rows  []string
}

func newCkData() *ckData {
	return &ckData{
		state: map[string]map[string]string{}, positions: map[string][]byte{},
		outbox: map[string][]ckEpoch{}, views: map[string][]string{}, sinkSchemas: map[string]catalog.Schema{},
	}
}

// view returns a view's committed rows, sorted.
func (d *ckData) view(name string) string {
	rows := append([]string(nil), d.views[name]...)
	sort.Strings(rows)
	return strings.Join(rows, "\n")
}

// ckStore is a fake CheckpointStore over d; failAt makes Commit of that
// epoch fail (a crash before the commit).
type ckStore struct {
	*fakeStore
	d       *ckData
	failAt  uint64
	resumed bool

	state    map[string]map[string]*string // nil value: delete
	pos      map[string][]byte
	outboxes map[string]*ckOutbox
	trims    map[string]uint64
	complete bool
	views    []*ckView
}

var _ exec.CompletionStore = (*ckStore)(nil)

func newCkStore(d *ckData) *ckStore {
	return &ckStore{fakeStore: newFakeStore(), d: d, state: map[string]map[string]*string{}, pos: map[string][]byte{},
		outboxes: map[string]*ckOutbox{}, trims: map[string]uint64{}}
}

func (s *ckStore) Resume(fp string) (uint64, error) {
	d := s.d
	if d.epoch > 0 && !d.complete {
		if d.fp != fp {
			return 0, fmt.Errorf("checkpoint of another pipeline")
		}
		s.resumed = true
		return d.epoch, nil
	}
	schemas := d.sinkSchemas
	*d = *newCkData()
	d.fp, d.sinkSchemas = fp, schemas
	return 0, nil
}

func (s *ckStore) ViewWriter(v *catalog.View) (exec.Stream, error) {
	if !s.resumed {
		s.d.views[v.Name] = nil
	}
	w := &ckView{name: v.Name}
	s.views = append(s.views, w)
	return w, nil
}

func (s *ckStore) State(op string) (exec.StateWriter, exec.StateReader, error) {
	if s.state[op] == nil {
		s.state[op] = map[string]*string{}
	}
	return ckStateWriter(s.state[op]), ckStateReader(s.d.state[op]), nil
}

func (s *ckStore) SavePosition(source string, pos []byte) error {
	s.pos[source] = append([]byte{}, pos...)
	return nil
}

func (s *ckStore) Position(source string) ([]byte, error) { return s.d.positions[source], nil }

func (s *ckStore) Outbox(sink string) (exec.Stream, error) {
	o := &ckOutbox{}
	s.outboxes[sink] = o
	return o, nil
}

func (s *ckStore) Pending(sink string, after uint64) ([]exec.EpochBatches, error) {
	var out []exec.EpochBatches
	for _, e := range s.d.outbox[sink] {
		if e.epoch <= after {
			continue
		}
		b, err := exectest.ParseBatch(s.d.sinkSchemas[sink], strings.Join(e.rows, "\n"), memory.DefaultAllocator)
		if err != nil {
			return nil, err
		}
		out = append(out, exec.EpochBatches{Epoch: e.epoch, Batches: []exec.Batch{b}})
	}
	return out, nil
}

func (s *ckStore) Trim(sink string, upto uint64) error {
	s.trims[sink] = upto
	return nil
}

func (s *ckStore) MarkComplete() error {
	s.complete = true
	return nil
}

// Commit applies everything pending to d, unless epoch is failAt.
func (s *ckStore) Commit(epoch uint64) error {
	if epoch == s.failAt {
		return fmt.Errorf("crash before epoch %d", epoch)
	}
	d := s.d
	for op, changes := range s.state {
		if d.state[op] == nil {
			d.state[op] = map[string]string{}
		}
		for k, v := range changes {
			if v == nil {
				delete(d.state[op], k)
			} else {
				d.state[op][k] = *v
			}
		}
		clear(changes)
	}
	for src, p := range s.pos {
		d.positions[src] = p
	}
	clear(s.pos)
	for sink, o := range s.outboxes {
		if len(o.rows) > 0 {
			d.outbox[sink] = append(d.outbox[sink], ckEpoch{epoch: epoch, rows: o.rows})
			o.rows = nil
		}
	}
	for sink, upto := range s.trims {
		var keep []ckEpoch
		for _, e := range d.outbox[sink] {
			if e.epoch > upto {
				keep = append(keep, e)
			}
		}
		d.outbox[sink] = keep
	}
	clear(s.trims)
	for _, v := range s.views {
		d.views[v.name] = append(d.views[v.name], v.rows...)
		v.rows = nil
	}
	d.epoch, d.complete = epoch, s.complete
	d.commits = append(d.commits, epoch)
	return nil
}

// ckView buffers a view's rows until Commit.
type ckView struct {
	name string
	rows []string
}

func (v *ckView) Push(b exec.Batch) error {
	v.rows = append(v.rows, exectest.FormatBatch(b)...)
	return nil
}
func (v *ckView) Watermark(int64) error { return nil }
func (v *ckView) Barrier(uint64) error  { return nil }
func (v *ckView) Close() error          { return nil }

// ckOutbox buffers an epoch sink's rows until Commit.
type ckOutbox struct{ ckView }

type ckStateWriter map[string]*string

func (w ckStateWriter) Put(k, v []byte) error {
	s := string(v)
	w[string(k)] = &s
	return nil
}

func (w ckStateWriter) Delete(k []byte) error {
	w[string(k)] = nil
	return nil
}

type ckStateReader map[string]string

func (r ckStateReader) Scan(f func(k, v []byte) error) error {
	for k, v := range r {
		if err := f([]byte(k), []byte(v)); err != nil {
			return err
		}
	}
	return nil
}

// posSource is a memtest source whose position is its batch index.
type posSource struct{ *memSource }

func (s posSource) Position() ([]byte, error) {
	return binary.AppendUvarint(nil, uint64(s.next)), nil
}

func (s posSource) Seek(pos []byte) error {
	n, k := binary.Uvarint(pos)
	if k <= 0 {
		return fmt.Errorf("bad position %x", pos)
	}
	s.next = int(n)
	return nil
}

func openMemPos(ctx context.Context, def *catalog.Source, env exec.SourceEnv) (exec.Source, error) {
	src, err := openMem(ctx, def, env)
	if err != nil {
		return nil, err
	}
	return posSource{src.(*memSource)}, nil
}

// epochSinkData is the external system of a "memepoch" sink.
type epochSinkData struct {
	mu        sync.Mutex
	last      uint64
	rows      []string
	fail      int  // transient failures left
	down      bool // fail transiently forever
	delivered []uint64
}

var (
	epochSinkMu  sync.Mutex
	epochSinkDat = map[string]*epochSinkData{}
)

func setEpochSink(name string, d *epochSinkData) {
	epochSinkMu.Lock()
	defer epochSinkMu.Unlock()
	epochSinkDat[name] = d
}

func (d *epochSinkData) sorted() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	rows := append([]string(nil), d.rows...)
	sort.Strings(rows)
	return strings.Join(rows, "\n")
}

// memEpochSink is an EpochSink over an epochSinkData.
type memEpochSink struct{ d *epochSinkData }

func openMemEpoch(_ context.Context, def *catalog.Sink, _ exec.SinkEnv) (exec.Sink, error) {
	epochSinkMu.Lock()
	defer epochSinkMu.Unlock()
	d, ok := epochSinkDat[def.Name]
	if !ok {
		return nil, fmt.Errorf("memepoch: no data for %s", def.Name)
	}
	return memEpochSink{d}, nil
}

func (s memEpochSink) Push(exec.Batch) error { return fmt.Errorf("push to an epoch sink") }
func (s memEpochSink) Watermark(int64) error { return nil }
func (s memEpochSink) Barrier(uint64) error  { return fmt.Errorf("barrier to an epoch sink") }
func (s memEpochSink) Close() error          { return nil }
func (s memEpochSink) LastDelivered(context.Context) (uint64, error) {
	s.d.mu.Lock()
	defer s.d.mu.Unlock()
	return s.d.last, nil
}

func (s memEpochSink) Deliver(_ context.Context, epoch uint64, batches []exec.Batch) error {
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.down || d.fail > 0 {
		d.fail--
		return fmt.Errorf("broker went away: %w", exec.ErrRetry)
	}
	if epoch <= d.last {
		return fmt.Errorf("epoch %d delivered again (last %d)", epoch, d.last)
	}
	for _, b := range batches {
		d.rows = append(d.rows, exectest.FormatBatch(b)...)
	}
	d.last = epoch
	d.delivered = append(d.delivered, epoch)
	return nil
}

// countKind is the plan node kind of countNode.
const countKind planner.PhysKind = 250

// countNode counts the rows per value of its input's first (BIGINT)
// column, emitting "+I value count" for every row; ck makes its operator
// a Checkpointer.
type countNode struct {
	P  planner.Props
	In planner.Physical
	ck bool
}

func (n *countNode) Kind() planner.PhysKind     { return countKind }
func (n *countNode) Props() *planner.Props      { return &n.P }
func (n *countNode) Inputs() []planner.Physical { return []planner.Physical{n.In} }

func countOf(in planner.Physical, ck bool) *countNode {
	s := catalog.Schema{Columns: []catalog.Column{{Name: "k", Type: catalog.BigIntType}, {Name: "n", Type: catalog.BigIntType}}}
	return &countNode{P: planner.Props{Schema: s}, In: in, ck: ck}
}

func init() {
	exec.RegisterSource("mempos", openMemPos, nil)
	exec.RegisterSink("memepoch", openMemEpoch)
	exec.RegisterNodeBuilder(countKind, func(b *exec.Builder, n planner.Physical, out exec.Stream) error {
		c := &counter{out: out, mem: b.Env().Alloc, counts: map[int64]int64{}, dirty: map[int64]bool{}}
		if n.(*countNode).ck {
			b.Track("count", c)
			return b.Node(n.Inputs()[0], c)
		}
		p := plainCounter{c}
		b.Track("count", p)
		return b.Node(n.Inputs()[0], p)
	})
}

// counter is countNode's operator.
type counter struct {
	out    exec.Stream
	mem    memory.Allocator
	counts map[int64]int64
	dirty  map[int64]bool
}

var _ exec.Checkpointer = (*counter)(nil)

var countSchema = arrow.NewSchema([]arrow.Field{
	{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
}, nil)

func (c *counter) Name() string { return "count" }

func (c *counter) Push(b exec.Batch) error {
	keys := b.Rec.Column(0).(*array.Int64)
	kb, nb := array.NewInt64Builder(c.mem), array.NewInt64Builder(c.mem)
	defer kb.Release()
	defer nb.Release()
	for i := range b.NumRows() {
		k := keys.Value(i)
		c.counts[k]++
		c.dirty[k] = true
		kb.Append(k)
		nb.Append(c.counts[k])
	}
	ka, na := kb.NewArray(), nb.NewArray()
	defer ka.Release()
	defer na.Release()
	rec := array.NewRecordBatch(countSchema, []arrow.Array{ka, na}, int64(b.NumRows()))
	defer rec.Release()
	return c.out.Push(exec.Batch{Rec: rec})
}

func (c *counter) Watermark(t int64) error    { return c.out.Watermark(t) }
func (c *counter) Barrier(epoch uint64) error { return c.out.Barrier(epoch) }
func (c *counter) Close() error               { return c.out.Close() }

func (c *counter) StateSize() (int64, int64) { return int64(len(c.counts)), 16 * int64(len(c.counts)) }

func (c *counter) Snapshot(w exec.StateWriter) error {
	for k := range c.dirty {
		if err := w.Put(binary.AppendVarint(nil, k), binary.AppendVarint(nil, c.counts[k])); err != nil {
			return err
		}
	}
	clear(c.dirty)
	return nil
}

func (c *counter) Restore(r exec.StateReader) error {
	return r.Scan(func(k, v []byte) error {
		key, _ := binary.Varint(k)
		n, _ := binary.Varint(v)
		c.counts[key] = n
		return nil
	})
}

// plainCounter is a counter that does not checkpoint.
type plainCounter struct{ c *counter }

func (p plainCounter) Name() string              { return "count" }
func (p plainCounter) Push(b exec.Batch) error   { return p.c.Push(b) }
func (p plainCounter) Watermark(t int64) error   { return p.c.Watermark(t) }
func (p plainCounter) Barrier(e uint64) error    { return p.c.Barrier(e) }
func (p plainCounter) Close() error              { return p.c.Close() }
func (p plainCounter) StateSize() (int64, int64) { return p.c.StateSize() }
