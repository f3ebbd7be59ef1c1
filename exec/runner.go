package exec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/planner"
)

// DefaultCheckpointInterval is used when neither RunOptions nor
// SET 'checkpoint.interval' give one.
const DefaultCheckpointInterval = time.Second

// idleWait is how long the runner sleeps when no source had data.
const idleWait = 2 * time.Millisecond

// RunOptions configure a run. Zero values take defaults.
type RunOptions struct {
	// CheckpointInterval is the time between checkpoint barriers; zero
	// means SET 'checkpoint.interval' or DefaultCheckpointInterval.
	CheckpointInterval time.Duration
	// BatchSize is the preferred number of rows per source batch.
	BatchSize int
	// BaseDir resolves relative paths (the pipeline file's directory).
	BaseDir string
	// Now is NOW() for the whole run; time.Now() when zero.
	Now time.Time
	// Alloc allocates every Arrow buffer; memory.DefaultAllocator if nil.
	Alloc memory.Allocator
}

// Runner drives a plan: it pulls batches from the sources round-robin,
// pushes them through the operator chains, forwards watermarks, and
// checkpoints every CheckpointInterval.
type Runner struct {
	plan  *planner.Plan
	store Store
	opts  RunOptions

	started atomic.Int64 // unix nanos when Run started, 0 before
	epochs  atomic.Uint64
	graph   atomic.Pointer[Graph]
}

// NewRunner prepares a run of p into store. It does no I/O.
func NewRunner(p *planner.Plan, store Store, opts RunOptions) (*Runner, error) {
	if p == nil || store == nil {
		return nil, fmt.Errorf("runner: need a plan and a store")
	}
	if opts.CheckpointInterval == 0 {
		d := DefaultCheckpointInterval
		if p.Catalog != nil {
			var err error
			if d, err = p.Catalog.Settings.Duration("checkpoint.interval", d); err != nil {
				return nil, err
			}
		}
		opts.CheckpointInterval = d
	}
	if opts.CheckpointInterval <= 0 {
		return nil, fmt.Errorf("runner: checkpoint interval must be positive, got %s", opts.CheckpointInterval)
	}
	if opts.Alloc == nil {
		opts.Alloc = memory.DefaultAllocator
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	return &Runner{plan: p, store: store, opts: opts}, nil
}

// Run creates and fills the plan's tables (file-loaded ones are committed
// as epoch 0, see loadTables), opens its sources and writers,
// and processes until every source is exhausted (then the watermark goes to
// MaxWatermark, a final checkpoint commits, and Run returns nil) or ctx is
// cancelled (a final checkpoint commits what was processed, and Run
// returns nil). Any other error aborts the run without committing further.
// The store is not closed.
func (r *Runner) Run(ctx context.Context) error {
	r.started.Store(time.Now().UnixNano())
	for _, t := range r.plan.Tables {
		if err := r.store.InitTable(t); err != nil {
			return fmt.Errorf("table %s: %w", t.Table.Name, err)
		}
	}
	if err := r.loadTables(ctx); err != nil {
		return err
	}
	g, err := Build(r.plan, BuildEnv{
		Ctx: ctx, Store: r.store, Alloc: r.opts.Alloc, BaseDir: r.opts.BaseDir,
		BatchSize: r.opts.BatchSize, Now: r.opts.Now,
	})
	if err != nil {
		return err
	}
	r.graph.Store(g)
	if err := r.loop(ctx, g); err != nil {
		r.abort(g)
		return err
	}
	return nil
}

// loop runs until every source is exhausted or ctx is done.
func (r *Runner) loop(ctx context.Context, g *Graph) error {
	live := append([]*GraphSource(nil), g.Sources...)
	epoch := uint64(1)
	next := time.Now().Add(r.opts.CheckpointInterval)
	for len(live) > 0 && ctx.Err() == nil {
		progressed := false
		for i := 0; i < len(live); {
			got, done, err := r.step(ctx, live[i])
			if err != nil {
				if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
					return r.finish(g, epoch)
				}
				return err
			}
			progressed = progressed || got
			if done {
				live = append(live[:i], live[i+1:]...)
				continue
			}
			i++
		}
		if now := time.Now(); !now.Before(next) {
			if err := r.checkpoint(g, epoch); err != nil {
				return err
			}
			epoch++
			next = now.Add(r.opts.CheckpointInterval)
		}
		if !progressed && len(live) > 0 {
			sleep(ctx, idleWait)
		}
	}
	return r.finish(g, epoch)
}

// step pulls one batch from s and pushes it with its watermark. got reports
// whether rows were pushed, done that s is exhausted (its chain has then
// seen MaxWatermark).
func (r *Runner) step(ctx context.Context, s *GraphSource) (got, done bool, err error) {
	b, err := s.Src.Next(ctx)
	eof := errors.Is(err, io.EOF)
	if err != nil && !eof {
		b.Release()
		return false, false, fmt.Errorf("source %s: %w", s.Def.Name, err)
	}
	if b.Rec != nil {
		got, err = r.push(s, b)
		b.Release()
		if err != nil {
			return false, false, err
		}
	}
	if eof {
		s.watermark.Store(MaxWatermark)
		if err := s.Head.Watermark(MaxWatermark); err != nil {
			return got, true, fmt.Errorf("source %s: end of input: %w", s.Def.Name, err)
		}
	}
	return got, eof, nil
}

// push sends one batch of s down its chain, then the watermark it implies.
func (r *Runner) push(s *GraphSource, b Batch) (bool, error) {
	n := b.NumRows()
	if n == 0 {
		return false, nil
	}
	s.events.Add(int64(n))
	if err := s.Head.Push(b); err != nil {
		return true, fmt.Errorf("source %s: %w", s.Def.Name, err)
	}
	wm, ok, err := sourceWatermark(s.Def, b.Rec)
	if err != nil {
		return true, fmt.Errorf("source %s: %w", s.Def.Name, err)
	}
	if ok && wm > s.watermark.Load() {
		s.watermark.Store(wm)
		if err := s.Head.Watermark(wm); err != nil {
			return true, fmt.Errorf("source %s: watermark: %w", s.Def.Name, err)
		}
	}
	return true, nil
}

// checkpoint sends Barrier(epoch) down every chain, then commits the store.
func (r *Runner) checkpoint(g *Graph, epoch uint64) error {
	for _, s := range g.Sources {
		if err := s.Head.Barrier(epoch); err != nil {
			return fmt.Errorf("checkpoint %d: source %s: %w", epoch, s.Def.Name, err)
		}
	}
	if err := r.store.Commit(epoch); err != nil {
		return fmt.Errorf("checkpoint %d: commit: %w", epoch, err)
	}
	r.epochs.Store(epoch)
	return nil
}

// finish takes the final checkpoint and closes every chain and source.
func (r *Runner) finish(g *Graph, epoch uint64) error {
	if err := r.checkpoint(g, epoch); err != nil {
		return err
	}
	g.closed = true
	var errs []error
	for _, s := range g.Sources {
		if err := s.Head.Close(); err != nil {
			errs = append(errs, fmt.Errorf("source %s: close: %w", s.Def.Name, err))
		}
	}
	errs = append(errs, g.CloseSources())
	return errors.Join(errs...)
}

// abort closes everything after an error, ignoring further errors.
func (r *Runner) abort(g *Graph) {
	if g.closed {
		return
	}
	g.closed = true
	for _, s := range g.Sources {
		_ = s.Head.Close()
	}
	_ = g.CloseSources()
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
