package exec_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/planner"
)

// memData configures the "memtest" connector per source name.
type memData struct {
	// batches are row texts (exectest.ParseBatch syntax), one per Next.
	// An empty string makes Next return an empty Batch (nothing ready).
	batches []string
	// failAt makes Next fail at that batch index with err (when err != nil).
	failAt int
	err    error
	// endless makes the source return empty batches forever after its
	// batches instead of io.EOF.
	endless bool
	// bad records sent to env.Errors at open.
	bad int
	// pace makes Next sleep this long before returning each row batch.
	pace time.Duration
	// wms, when set, makes the source an exec.WatermarkSource whose
	// watermark after batch i is wms[i] (MinWatermark: none yet).
	wms []int64

	mu     sync.Mutex
	opens  int
	closes int
}

var (
	memMu      sync.Mutex
	memSources = map[string]*memData{}
)

func setMem(name string, d *memData) {
	memMu.Lock()
	defer memMu.Unlock()
	memSources[name] = d
}

func init() {
	exec.RegisterSource("memtest", openMem, nil)
	exec.RegisterSink("memsink", openMemSink)
}

type memSource struct {
	d      *memData
	schema catalog.Schema
	mem    memory.Allocator
	next   int
}

func openMem(_ context.Context, def *catalog.Source, env exec.SourceEnv) (exec.Source, error) {
	memMu.Lock()
	d, ok := memSources[def.Name]
	memMu.Unlock()
	if !ok {
		return nil, fmt.Errorf("memtest: no data for %s", def.Name)
	}
	d.mu.Lock()
	d.opens++
	d.mu.Unlock()
	for i := 0; i < d.bad; i++ {
		if err := env.Errors.BadRecord(exec.BadRecord{Source: def.Name, Raw: []byte("{bad"), Reason: "bad json"}); err != nil {
			return nil, err
		}
	}
	src := &memSource{d: d, schema: def.Schema, mem: env.Alloc}
	if d.wms != nil {
		return &memWMSource{src}, nil
	}
	return src, nil
}

// memWMSource is a memSource computing its own watermark, as a source of
// several partitions does.
type memWMSource struct{ *memSource }

func (s *memWMSource) Watermark(time.Duration) (int64, bool) {
	if s.next == 0 || s.d.wms[s.next-1] == exec.MinWatermark {
		return 0, false
	}
	return s.d.wms[s.next-1], true
}

func (s *memSource) Next(ctx context.Context) (exec.Batch, error) {
	if err := ctx.Err(); err != nil {
		return exec.Batch{}, err
	}
	i := s.next
	if s.d.err != nil && i == s.d.failAt {
		return exec.Batch{}, s.d.err
	}
	if i >= len(s.d.batches) {
		if s.d.endless {
			return exec.Batch{}, nil
		}
		return exec.Batch{}, io.EOF
	}
	s.next++
	if s.d.batches[i] == "" {
		return exec.Batch{}, nil
	}
	time.Sleep(s.d.pace)
	return exectest.ParseBatch(s.schema, s.d.batches[i], s.mem)
}

func (s *memSource) Close() error {
	s.d.mu.Lock()
	defer s.d.mu.Unlock()
	s.d.closes++
	return nil
}

// fakeStore logs what its writers receive, and commits, as lines.
type fakeStore struct {
	mu         sync.Mutex
	log        []string
	tables     []string
	errors     map[string]int
	lates      []string // late tables created, in order
	lateClosed int      // late streams closed
	failPush   string   // view whose writer fails on Push
	failCommt  error
}

func newFakeStore() *fakeStore { return &fakeStore{errors: map[string]int{}} }

func (s *fakeStore) add(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, line)
}

func (s *fakeStore) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.log, "\n")
}

func (s *fakeStore) InitTable(t *planner.TableInit) error {
	s.add("init table " + t.Table.Name)
	return nil
}

func (s *fakeStore) ViewWriter(v *catalog.View) (exec.Stream, error) {
	return &logWriter{s: s, name: v.Name, fail: s.failPush == v.Name}, nil
}

func (s *fakeStore) TableWriter(t *catalog.Table) (exec.Stream, error) {
	return &logWriter{s: s, name: t.Name}, nil
}

func (s *fakeStore) Errors(source string) (exec.ErrorSink, error) {
	s.add("errors table " + source)
	return errSink{s: s, source: source}, nil
}

// Late records the table in s.lates (not in the log, which would change
// every log with a watermarked source) and logs only the rows pushed.
func (s *fakeStore) Late(src *catalog.Source) (exec.Stream, error) {
	s.mu.Lock()
	s.lates = append(s.lates, exec.LateTable(src.Name))
	s.mu.Unlock()
	return &lateWriter{logWriter{s: s, name: exec.LateTable(src.Name)}}, nil
}

// lateWriter logs the rows of a late table; barriers and close are
// checked to arrive but not logged.
type lateWriter struct{ logWriter }

func (w *lateWriter) Barrier(uint64) error { return nil }

func (w *lateWriter) Close() error {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	w.s.lateClosed++
	return nil
}

func (s *fakeStore) Commit(epoch uint64) error {
	if s.failCommt != nil {
		return s.failCommt
	}
	s.add(fmt.Sprintf("commit %d", epoch))
	return nil
}

func (s *fakeStore) Close() error { return nil }

type errSink struct {
	s      *fakeStore
	source string
}

func (e errSink) BadRecord(r exec.BadRecord) error {
	e.s.add(fmt.Sprintf("bad record %s: %s", e.source, r.Reason))
	return nil
}

// logWriter renders its stream into the store's log, prefixed by name.
type logWriter struct {
	s    *fakeStore
	name string
	fail bool
	c    exectest.Capture
}

func (w *logWriter) flush() {
	for _, l := range strings.Split(strings.TrimSuffix(w.c.Take(), "\n"), "\n") {
		if l != "" {
			w.s.add(w.name + ": " + l)
		}
	}
}

func (w *logWriter) Push(b exec.Batch) error {
	if w.fail {
		return fmt.Errorf("disk full")
	}
	defer w.flush()
	return w.c.Push(b)
}

func (w *logWriter) Watermark(t int64) error { defer w.flush(); return w.c.Watermark(t) }
func (w *logWriter) Barrier(e uint64) error  { defer w.flush(); return w.c.Barrier(e) }
func (w *logWriter) Close() error            { defer w.flush(); return w.c.Close() }

// memSink is an external sink logging into a shared store.
var sinkStore = newFakeStore()

func openMemSink(_ context.Context, def *catalog.Sink, env exec.SinkEnv) (exec.Sink, error) {
	return &logWriter{s: sinkStore, name: "sink " + def.Name}, nil
}

func (s *fakeStore) Lookup(t *catalog.Table, keyCols []int) (exec.LookupTable, error) {
	return nil, fmt.Errorf("fake store: no lookups")
}
