package exec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner"
)

// DefaultCheckpointInterval is used when neither RunOptions nor
// SET 'checkpoint.interval' give one.
const DefaultCheckpointInterval = time.Second

// idleWait is how long the runner sleeps when no source had data.
const idleWait = 2 * time.Millisecond

// samplePace is the least time between two samples of the operators'
// state (StateSize may walk the state), except the final one.
const samplePace = 250 * time.Millisecond

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
	// Log receives the run's log lines (a sink's transient failure and
	// its retries); nil discards them.
	Log func(line string)
	// OnResume is called when the run resumes from a committed epoch of
	// a CheckpointStore, before anything is read.
	OnResume func(epoch uint64)
	// RetryTimeout overrides SET 'sink.retry.timeout' when not zero.
	RetryTimeout time.Duration
	// RetryBackoff is the first wait after a transient sink failure;
	// zero means 100ms.
	RetryBackoff time.Duration
}

// Runner drives a plan: it pulls batches from the sources round-robin,
// pushes them through the operator chains, forwards watermarks, and
// checkpoints every CheckpointInterval.
//
// Event time: for a source with a WATERMARK, every batch is split at the
// source (see lateSplit): rows behind the source's watermark at their
// arrival go to late_<source> (SET 'late.policy' = 'side-table', the
// default) or are only counted ('drop'); the others go down the chain,
// followed by the watermark they imply. A source with
// 'source.idle_timeout' that produced no rows for that long (wall clock)
// is idle: its watermark is advanced to the minimum watermark of the
// running sources that are not idle (never backwards, never past it), so
// joins and unions downstream are not stalled by it. When it produces rows
// again they drive its watermark as before; rows behind the advanced
// watermark are late, as in Flink. Without a timeout (the default) a
// source is never idle.
//
// Recovery: over a CheckpointStore (see checkpoint.go) every checkpoint
// commits the sources' positions and the operators' state changes with
// the views, then delivers the epoch to the epoch sinks; a run on a store
// holding an unfinished checkpoint of the same pipeline (Fingerprint)
// resumes from it instead of starting fresh. Watermarks are not part of
// the checkpoint: a resumed source starts again from MinWatermark, so
// rows read after the restored position are never late until the source
// has re-established its watermark from them (rows that were late before
// the crash may then be on time, when they come in the first batch).
type Runner struct {
	plan   *planner.Plan
	store  Store
	opts   RunOptions
	policy LatePolicy
	// retryTimeout is 'sink.retry.timeout' (see retry).
	retryTimeout time.Duration

	started atomic.Int64 // unix nanos when Run started, 0 before
	epochs  atomic.Uint64
	graph   atomic.Pointer[Graph]
	state   atomic.Pointer[[]OperatorStats] // last sampleState snapshot
	sampled time.Time                       // when state was last sampled
}

// NewRunner prepares a run of p into store. It does no I/O.
func NewRunner(p *planner.Plan, store Store, opts RunOptions) (*Runner, error) {
	if p == nil || store == nil {
		return nil, fmt.Errorf("runner: need a plan and a store")
	}
	var policy LatePolicy
	if opts.CheckpointInterval == 0 {
		opts.CheckpointInterval = DefaultCheckpointInterval
		if p.Catalog != nil {
			var err error
			if opts.CheckpointInterval, err = p.Catalog.Settings.Duration("checkpoint.interval", opts.CheckpointInterval); err != nil {
				return nil, err
			}
		}
	}
	if opts.CheckpointInterval <= 0 {
		return nil, fmt.Errorf("runner: checkpoint interval must be positive, got %s", opts.CheckpointInterval)
	}
	if p.Catalog != nil {
		var err error
		if policy, err = ParseLatePolicy(p.Catalog.Settings.String("late.policy", "")); err != nil {
			return nil, fmt.Errorf("runner: %w", err)
		}
	}
	retryTimeout := opts.RetryTimeout
	if retryTimeout == 0 {
		retryTimeout = DefaultRetryTimeout
		if p.Catalog != nil {
			var err error
			if retryTimeout, err = p.Catalog.Settings.Duration(RetryTimeoutOption, retryTimeout); err != nil {
				return nil, fmt.Errorf("runner: %w", err)
			}
		}
	}
	if opts.Alloc == nil {
		opts.Alloc = memory.DefaultAllocator
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	return &Runner{plan: p, store: store, opts: opts, policy: policy, retryTimeout: retryTimeout}, nil
}

// sourceRun is the runner's state for one opened source.
type sourceRun struct {
	s *GraphSource
	// split, late and lateSchema are set for a source with a WATERMARK.
	split      *lateSplit
	late       Stream // late_<source>
	lateSchema *arrow.Schema
	withOp     bool          // late_<source> has the _op column
	idle       time.Duration // 'source.idle_timeout'; 0: never idle
	lastRows   time.Time     // when the source last produced rows
	// wmSrc is set for a source with a WATERMARK that computes its own
	// watermark (per partition, see WatermarkSource).
	wmSrc WatermarkSource
}

// run is the state of one Run once the graph is built.
type run struct {
	ctx   context.Context
	g     *Graph
	srcs  []*sourceRun
	lates []Stream // every late_<source> stream, read or not
	// ck is the checkpoint state over a CheckpointStore; nil otherwise.
	ck *ckRun
	// exhausted is set once every source has ended.
	exhausted bool
}

// Run creates and fills the plan's tables (file-loaded ones are committed
// as epoch 0, see loadTables), opens its sources and writers, creates
// late_<source> for every source with a WATERMARK,
// and processes until every source is exhausted (then the watermark goes to
// MaxWatermark, a final checkpoint commits, and Run returns nil) or ctx is
// cancelled (a final checkpoint commits what was processed, and Run
// returns nil). Any other error aborts the run without committing further.
// The store is not closed.
func (r *Runner) Run(ctx context.Context) error {
	r.started.Store(time.Now().UnixNano())
	ck, err := r.resume()
	if err != nil {
		return err
	}
	// A resumed run finds its tables as committed (with the rows that
	// INSERT INTO ... SELECT added); a fresh one creates and fills them.
	if ck == nil || ck.resumed == 0 {
		for _, t := range r.plan.Tables {
			if err := r.store.InitTable(t); err != nil {
				return fmt.Errorf("table %s: %w", t.Table.Name, err)
			}
		}
		if err := r.loadTables(ctx); err != nil {
			return err
		}
	}
	g, err := Build(r.plan, BuildEnv{
		Ctx: ctx, Store: r.store, Alloc: r.opts.Alloc, BaseDir: r.opts.BaseDir,
		BatchSize: r.opts.BatchSize, Now: r.opts.Now, Retry: r.retry,
	})
	if err != nil {
		return err
	}
	r.graph.Store(g)
	rn := &run{ctx: ctx, g: g, ck: ck}
	if err := r.prepare(rn); err != nil {
		r.abort(rn)
		return err
	}
	if err := r.restore(rn); err != nil {
		r.abort(rn)
		return err
	}
	if err := r.loop(ctx, rn); err != nil {
		r.abort(rn)
		return err
	}
	return nil
}

// prepare creates the late tables and the per-source run state.
func (r *Runner) prepare(rn *run) error {
	var settings catalog.Options
	if r.plan.Catalog != nil {
		settings = r.plan.Catalog.Settings
	}
	lates := map[string]Stream{}
	for _, def := range r.watermarked(rn.g) {
		w, err := r.store.Late(def)
		if err != nil {
			return fmt.Errorf("source %s: %s: %w", def.Name, LateTable(def.Name), err)
		}
		rn.lates = append(rn.lates, w)
		lates[strings.ToLower(def.Name)] = w
	}
	now := time.Now()
	for _, s := range rn.g.Sources {
		sr := &sourceRun{s: s, lastRows: now}
		if wm := s.Def.Watermark; wm != nil {
			sr.split = newLateSplit(wm)
			sr.late = lates[strings.ToLower(s.Def.Name)]
			sr.lateSchema = LateSchema(s.Def).Arrow()
			sr.withOp = s.Def.Changelog != catalog.AppendOnly
			if ws, ok := s.Src.(WatermarkSource); ok {
				sr.wmSrc = ws
				sr.split.fixed = true
			}
			var err error
			if sr.idle, err = idleTimeout(s.Def, settings); err != nil {
				return fmt.Errorf("source %s: %w", s.Def.Name, err)
			}
		}
		rn.srcs = append(rn.srcs, sr)
	}
	return nil
}

// watermarked lists the sources with a WATERMARK: those of the graph in
// order, then the catalog's others by name (their late tables exist too,
// empty).
func (r *Runner) watermarked(g *Graph) []*catalog.Source {
	var out []*catalog.Source
	seen := map[string]bool{}
	for _, s := range g.Sources {
		if s.Def.Watermark != nil && !seen[strings.ToLower(s.Def.Name)] {
			seen[strings.ToLower(s.Def.Name)] = true
			out = append(out, s.Def)
		}
	}
	if r.plan.Catalog == nil {
		return out
	}
	var rest []*catalog.Source
	for name, def := range r.plan.Catalog.Sources {
		if def.Watermark != nil && !seen[name] {
			rest = append(rest, def)
		}
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].Name < rest[j].Name })
	return append(out, rest...)
}

// loop runs until every source is exhausted or ctx is done.
func (r *Runner) loop(ctx context.Context, rn *run) error {
	live := append([]*sourceRun(nil), rn.srcs...)
	epoch := rn.firstEpoch()
	next := time.Now().Add(r.opts.CheckpointInterval)
	for len(live) > 0 && ctx.Err() == nil {
		progressed := false
		for i := 0; i < len(live); {
			got, done, err := r.step(ctx, live[i])
			if err != nil {
				if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
					return r.finish(rn, epoch)
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
		now := time.Now()
		if err := advanceIdle(live, now); err != nil {
			return err
		}
		if !now.Before(next) {
			if err := r.checkpoint(rn, epoch, false); err != nil {
				return err
			}
			epoch++
			next = now.Add(r.opts.CheckpointInterval)
		}
		if !progressed && len(live) > 0 {
			sleep(ctx, idleWait)
		}
	}
	rn.exhausted = len(live) == 0
	return r.finish(rn, epoch)
}

// advanceIdle advances the watermark of every idle source of live to the
// minimum watermark of the live sources with a WATERMARK that are not
// idle, when that is ahead of it. Without such sources nothing moves.
func advanceIdle(live []*sourceRun, now time.Time) error {
	target, active, anyIdle := MaxWatermark, false, false
	for _, sr := range live {
		if sr.split == nil {
			continue
		}
		if sr.isIdle(now) {
			anyIdle = true
			continue
		}
		target, active = min(target, sr.s.watermark.Load()), true
	}
	if !anyIdle || !active || target == MinWatermark {
		return nil
	}
	for _, sr := range live {
		if sr.split == nil || !sr.isIdle(now) || target <= sr.s.watermark.Load() {
			continue
		}
		sr.s.watermark.Store(target)
		if err := sr.s.Head.Watermark(target); err != nil {
			return fmt.Errorf("source %s: idle watermark: %w", sr.s.Def.Name, err)
		}
	}
	return nil
}

// isIdle reports whether the source has an idle timeout and produced no
// rows for that long.
func (sr *sourceRun) isIdle(now time.Time) bool {
	return sr.idle > 0 && now.Sub(sr.lastRows) >= sr.idle
}

// step pulls one batch from sr and pushes it with its watermark. got
// reports whether rows were read, done that the source is exhausted (its
// chain has then seen MaxWatermark).
func (r *Runner) step(ctx context.Context, sr *sourceRun) (got, done bool, err error) {
	s := sr.s
	b, err := s.Src.Next(ctx)
	eof := errors.Is(err, io.EOF)
	if err != nil && !eof {
		b.Release()
		return false, false, fmt.Errorf("source %s: %w", s.Def.Name, err)
	}
	if b.Rec != nil {
		got, err = r.push(sr, b)
		b.Release()
		if err != nil {
			return false, false, err
		}
	}
	if got {
		sr.lastRows = time.Now()
	}
	if sr.wmSrc != nil && !eof {
		if err := r.ownWatermark(sr); err != nil {
			return got, false, err
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

// push sends one batch of sr down its chain, then the watermark it
// implies. Late rows are split off first (see Runner).
func (r *Runner) push(sr *sourceRun, b Batch) (bool, error) {
	s := sr.s
	n := b.NumRows()
	if n == 0 {
		return false, nil
	}
	s.events.Add(int64(n))
	if sr.split == nil {
		if err := s.Head.Push(b); err != nil {
			return true, fmt.Errorf("source %s: %w", s.Def.Name, err)
		}
		return true, nil
	}
	before := s.watermark.Load()
	wm, nLate, err := sr.split.scan(b.Rec, before)
	if err != nil {
		return true, fmt.Errorf("source %s: %w", s.Def.Name, err)
	}
	if nLate == 0 {
		err = s.Head.Push(b)
	} else {
		err = r.pushSplit(sr, b, nLate)
	}
	if err != nil {
		return true, fmt.Errorf("source %s: %w", s.Def.Name, err)
	}
	if wm > before && sr.wmSrc == nil {
		s.watermark.Store(wm)
		if err := s.Head.Watermark(wm); err != nil {
			return true, fmt.Errorf("source %s: watermark: %w", s.Def.Name, err)
		}
	}
	return true, nil
}

// ownWatermark forwards the watermark of a WatermarkSource after a Next
// (with or without rows: a partition going idle can release it).
func (r *Runner) ownWatermark(sr *sourceRun) error {
	wm, ok := sr.wmSrc.Watermark(sr.idle)
	if !ok || wm <= sr.s.watermark.Load() {
		return nil
	}
	sr.s.watermark.Store(wm)
	if err := sr.s.Head.Watermark(wm); err != nil {
		return fmt.Errorf("source %s: watermark: %w", sr.s.Def.Name, err)
	}
	return nil
}

// pushSplit sends the on-time rows of b (found by the last scan) down the
// chain and handles its nLate late rows by the late policy.
func (r *Runner) pushSplit(sr *sourceRun, b Batch, nLate int) error {
	sr.s.late.Add(int64(nLate))
	if r.policy == LateSideTable {
		lb, err := sr.split.lateBatch(b, sr.lateSchema, sr.withOp, r.opts.Alloc)
		if err != nil {
			return fmt.Errorf("late rows: %w", err)
		}
		err = sr.late.Push(lb)
		lb.Release()
		if err != nil {
			return fmt.Errorf("%s: %w", LateTable(sr.s.Def.Name), err)
		}
	}
	if len(sr.split.on) == 0 {
		return nil
	}
	on, err := TakeRows(b, sr.split.on, r.opts.Alloc)
	if err != nil {
		return err
	}
	defer on.Release()
	return sr.s.Head.Push(on)
}

// checkpoint sends Barrier(epoch) down every chain and late table, samples
// the operators' state (at most every samplePace, and always at the final
// checkpoint), then commits the store: over a CheckpointStore with the
// sources' positions and the operators' state changes, followed by the
// delivery of the epoch to the epoch sinks (commitCheckpoint).
func (r *Runner) checkpoint(rn *run, epoch uint64, final bool) error {
	for _, s := range rn.g.Sources {
		if err := s.Head.Barrier(epoch); err != nil {
			return fmt.Errorf("checkpoint %d: source %s: %w", epoch, s.Def.Name, err)
		}
	}
	for _, w := range rn.lates {
		if err := w.Barrier(epoch); err != nil {
			return fmt.Errorf("checkpoint %d: late table: %w", epoch, err)
		}
	}
	if now := time.Now(); final || now.Sub(r.sampled) >= samplePace {
		r.sampled = now
		r.sampleState(rn.g)
	}
	if err := r.commitCheckpoint(rn, epoch, final && rn.exhausted); err != nil {
		return fmt.Errorf("checkpoint %d: %w", epoch, err)
	}
	r.epochs.Store(epoch)
	return nil
}

// finish takes the final checkpoint and closes every chain, late table
// and source.
func (r *Runner) finish(rn *run, epoch uint64) error {
	if err := r.checkpoint(rn, epoch, true); err != nil {
		return err
	}
	rn.g.closed = true
	var errs []error
	for _, s := range rn.g.Sources {
		if err := s.Head.Close(); err != nil {
			errs = append(errs, fmt.Errorf("source %s: close: %w", s.Def.Name, err))
		}
	}
	for _, w := range rn.lates {
		if err := w.Close(); err != nil {
			errs = append(errs, fmt.Errorf("late table: close: %w", err))
		}
	}
	errs = append(errs, rn.g.CloseSources())
	return errors.Join(errs...)
}

// abort closes everything after an error, ignoring further errors.
func (r *Runner) abort(rn *run) {
	if rn.g.closed {
		return
	}
	rn.g.closed = true
	for _, s := range rn.g.Sources {
		_ = s.Head.Close()
	}
	for _, w := range rn.lates {
		_ = w.Close()
	}
	_ = rn.g.CloseSources()
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
