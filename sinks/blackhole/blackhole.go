// Package blackhole is the 'blackhole' sink connector: it counts the rows
// and batches it is pushed and discards them. Benchmarks read the counters.
package blackhole

import (
	"context"
	"sync/atomic"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

func init() {
	exec.RegisterSink("blackhole", func(_ context.Context, _ *catalog.Sink, _ exec.SinkEnv) (exec.Sink, error) {
		return New(), nil
	})
}

// Process-wide totals over every blackhole sink, for benchmarks that run a
// pipeline through the CLI wiring and cannot reach the sink value.
var (
	TotalRows    atomic.Int64
	TotalBatches atomic.Int64
)

// Sink discards everything. Its counters may be read from any goroutine.
type Sink struct {
	Rows       atomic.Int64
	Batches    atomic.Int64
	LastWM     atomic.Int64  // last watermark
	Checkpoint atomic.Uint64 // last barrier epoch
	Closed     atomic.Bool
}

var _ exec.Sink = (*Sink)(nil)

// New returns an empty blackhole.
func New() *Sink {
	s := &Sink{}
	s.LastWM.Store(exec.MinWatermark)
	return s
}

// Push counts b; it keeps no reference to it.
func (s *Sink) Push(b exec.Batch) error {
	n := int64(b.NumRows())
	s.Rows.Add(n)
	s.Batches.Add(1)
	TotalRows.Add(n)
	TotalBatches.Add(1)
	return nil
}

// Watermark records t.
func (s *Sink) Watermark(t int64) error { s.LastWM.Store(t); return nil }

// Barrier records epoch.
func (s *Sink) Barrier(epoch uint64) error { s.Checkpoint.Store(epoch); return nil }

// Close marks the sink closed.
func (s *Sink) Close() error { s.Closed.Store(true); return nil }
