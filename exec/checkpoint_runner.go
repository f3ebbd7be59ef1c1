package exec

import (
	"context"
	"fmt"
	"time"
)

// RetryTimeoutOption is 'sink.retry.timeout': how long the runner retries
// a transient failure of an external sink (an error wrapping ErrRetry)
// before it stops with an error, its last checkpoint intact.
const RetryTimeoutOption = "sink.retry.timeout"

// DefaultRetryTimeout is 'sink.retry.timeout' when it is not SET.
const DefaultRetryTimeout = 5 * time.Minute

// ckRun is the checkpoint state of one run over a CheckpointStore (see
// checkpoint.go for the protocol).
type ckRun struct {
	store CheckpointStore
	// resumed is the committed epoch the run resumes from; 0 when it
	// started fresh.
	resumed uint64
	sinks   []*epochSinkWriter
	// first is the first epoch the run commits.
	first uint64
}

// resume asks a CheckpointStore for the pipeline's last committed epoch.
// It returns nil for a store that does not checkpoint.
func (r *Runner) resume() (*ckRun, error) {
	cs, ok := r.store.(CheckpointStore)
	if !ok {
		return nil, nil
	}
	epoch, err := cs.Resume(Fingerprint(r.plan))
	if err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	if epoch > 0 && r.opts.OnResume != nil {
		r.opts.OnResume(epoch)
	}
	return &ckRun{store: cs, resumed: epoch, first: epoch + 1}, nil
}

// restore brings a built graph to the checkpoint: it reads every epoch
// sink's last delivered epoch and, when resuming, restores every
// Checkpointer, seeks every source and delivers the committed epochs the
// sinks do not hold yet. A fresh run numbers its epochs after the highest
// epoch a sink holds, so no sink takes new epochs for delivered ones.
func (r *Runner) restore(rn *run) error {
	ck := rn.ck
	if ck == nil {
		return nil
	}
	ck.sinks = epochSinks(rn.g)
	for _, s := range ck.sinks {
		err := r.retry(rn.ctx, "sink "+s.name+": read last delivered epoch", func(ctx context.Context) error {
			var err error
			s.last, err = s.sink.LastDelivered(ctx)
			return err
		})
		if err != nil {
			return fmt.Errorf("sink %s: last delivered epoch: %w", s.name, err)
		}
		if ck.resumed == 0 {
			ck.first = max(ck.first, s.last+1)
		}
	}
	if ck.resumed == 0 {
		return nil
	}
	for _, op := range rn.g.Operators {
		if err := r.restoreOperator(ck, op); err != nil {
			return err
		}
	}
	for _, s := range rn.g.Sources {
		if err := r.seekSource(ck, s); err != nil {
			return err
		}
	}
	return r.deliver(rn)
}

// restoreOperator restores one stateful operator from its committed state.
func (r *Runner) restoreOperator(ck *ckRun, op *GraphOperator) error {
	cp, ok := op.Op.(Checkpointer)
	if !ok {
		if _, cache := op.Op.(cacheState); cache {
			return nil
		}
		return fmt.Errorf("resume from epoch %d: operator %s (%s) cannot restore its state; run with --reset to start over", ck.resumed, op.ID, op.Name)
	}
	_, rd, err := ck.store.State(op.ID)
	if err != nil {
		return fmt.Errorf("resume: operator %s (%s): %w", op.ID, op.Name, err)
	}
	if err := cp.Restore(rd); err != nil {
		return fmt.Errorf("resume: operator %s (%s): restore: %w", op.ID, op.Name, err)
	}
	return nil
}

// seekSource moves one source to its committed position.
func (r *Runner) seekSource(ck *ckRun, s *GraphSource) error {
	ps, ok := s.Src.(PositionedSource)
	if !ok {
		return fmt.Errorf("resume from epoch %d: source %s (connector %s) cannot resume from a position; run with --reset to start over", ck.resumed, s.Def.Name, s.Def.Connector)
	}
	pos, err := ck.store.Position(s.Def.Name)
	if err != nil {
		return fmt.Errorf("resume: source %s: %w", s.Def.Name, err)
	}
	if pos == nil {
		return nil // nothing was read before the checkpoint
	}
	if err := ps.Seek(pos); err != nil {
		return fmt.Errorf("resume: source %s: seek: %w", s.Def.Name, err)
	}
	return nil
}

// saveCheckpoint hands the store every source's position and every
// Checkpointer's state changes for the commit of the current epoch.
func (r *Runner) saveCheckpoint(rn *run) error {
	ck := rn.ck
	for _, s := range rn.g.Sources {
		ps, ok := s.Src.(PositionedSource)
		if !ok {
			continue
		}
		pos, err := ps.Position()
		if err != nil {
			return fmt.Errorf("source %s: position: %w", s.Def.Name, err)
		}
		if err := ck.store.SavePosition(s.Def.Name, pos); err != nil {
			return fmt.Errorf("source %s: save position: %w", s.Def.Name, err)
		}
	}
	for _, op := range rn.g.Operators {
		cp, ok := op.Op.(Checkpointer)
		if !ok {
			continue
		}
		w, _, err := ck.store.State(op.ID)
		if err != nil {
			return fmt.Errorf("operator %s (%s): %w", op.ID, op.Name, err)
		}
		if err := cp.Snapshot(w); err != nil {
			return fmt.Errorf("operator %s (%s): snapshot: %w", op.ID, op.Name, err)
		}
	}
	return nil
}

// deliver hands every epoch sink the committed epochs above the last one
// it holds, in order, retrying transient failures (see retry), and trims
// the delivered epochs from the outbox with the next commit.
//
// When the run is stopping (its context is done) each epoch gets a single
// attempt; an epoch that fails stays in the outbox, committed, and the
// next run delivers it.
func (r *Runner) deliver(rn *run) error {
	for _, s := range rn.ck.sinks {
		pend, err := rn.ck.store.Pending(s.name, s.last)
		if err != nil {
			return fmt.Errorf("sink %s: %w", s.name, err)
		}
		err = r.deliverSink(rn, s, pend)
		for _, e := range pend {
			for _, b := range e.Batches {
				b.Release()
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (r *Runner) deliverSink(rn *run, s *epochSinkWriter, pend []EpochBatches) error {
	delivered := false
	for _, e := range pend {
		if e.Epoch <= s.last {
			continue
		}
		what := fmt.Sprintf("sink %s: deliver epoch %d", s.name, e.Epoch)
		var err error
		if rn.ctx.Err() != nil {
			err = s.sink.Deliver(context.WithoutCancel(rn.ctx), e.Epoch, e.Batches)
		} else {
			err = r.retry(rn.ctx, what, func(ctx context.Context) error {
				return s.sink.Deliver(ctx, e.Epoch, e.Batches)
			})
		}
		if err != nil && rn.ctx.Err() != nil && isRetry(err) {
			r.logf("%s: %v; stopping: the epoch stays committed in the outbox and the next run delivers it", what, err)
			break
		}
		if err != nil && isRetry(err) {
			return fmt.Errorf("%s: %w; the checkpoint of epoch %d is committed and intact: run again once the sink is back", what, err, e.Epoch)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		s.last, delivered = e.Epoch, true
	}
	if delivered {
		if err := rn.ck.store.Trim(s.name, s.last); err != nil {
			return fmt.Errorf("sink %s: trim outbox: %w", s.name, err)
		}
	}
	return nil
}

// commitCheckpoint saves the positions and state changes, commits the
// epoch and delivers it to the epoch sinks. complete marks the final
// checkpoint of a run that consumed all its input.
func (r *Runner) commitCheckpoint(rn *run, epoch uint64, complete bool) error {
	if rn.ck == nil {
		return commit(r.store, epoch)
	}
	if err := r.saveCheckpoint(rn); err != nil {
		return err
	}
	cs, canComplete := rn.ck.store.(CompletionStore)
	if complete && canComplete {
		if err := cs.MarkComplete(); err != nil {
			return err
		}
	}
	if err := commit(r.store, epoch); err != nil {
		return err
	}
	if err := r.deliver(rn); err != nil {
		return err
	}
	if complete && canComplete && len(rn.ck.sinks) > 0 {
		// Commit the trims of the final delivery, so that a complete run
		// leaves an empty outbox and the next run starts fresh.
		return commit(r.store, epoch)
	}
	return nil
}

func commit(s Store, epoch uint64) error {
	if err := s.Commit(epoch); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// firstEpoch is the epoch the run's first checkpoint commits.
func (rn *run) firstEpoch() uint64 {
	if rn.ck == nil {
		return 1
	}
	return rn.ck.first
}
