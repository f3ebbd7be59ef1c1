package exec

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/sqlstream/sqlstream/planner"
)

// LoadEpoch is the epoch that commits the file-loaded tables (with their
// errors_<table> rows) before any source starts, so the first lookup
// already sees them. Source epochs start at 1.
const LoadEpoch uint64 = 0

// loadTables fills every table with a Load source from it, then commits
// them all as LoadEpoch. A plan without such tables commits nothing.
func (r *Runner) loadTables(ctx context.Context) error {
	loaded := false
	for _, t := range r.plan.Tables {
		if t.Load == nil {
			continue
		}
		if err := r.loadTable(ctx, t); err != nil {
			return fmt.Errorf("table %s: load: %w", t.Table.Name, err)
		}
		loaded = true
	}
	if !loaded {
		return nil
	}
	if err := r.store.Commit(LoadEpoch); err != nil {
		return fmt.Errorf("load tables: commit: %w", err)
	}
	return nil
}

// loadTable reads t.Load to its end through its connector (the decoders
// every source uses; bad records go to errors_<table>) and pushes every
// batch into the table's writer. The rows are committed by loadTables.
func (r *Runner) loadTable(ctx context.Context, t *planner.TableInit) error {
	errs, err := r.store.Errors(t.Load.Name)
	if err != nil {
		return fmt.Errorf("errors table: %w", err)
	}
	w, err := r.store.TableWriter(t.Table)
	if err != nil {
		return err
	}
	src, err := OpenSource(ctx, t.Load, SourceEnv{
		Alloc: r.opts.Alloc, Errors: errs, BatchSize: r.opts.BatchSize, BaseDir: r.opts.BaseDir,
	})
	if err != nil {
		return errors.Join(err, w.Close())
	}
	err = drain(ctx, src, w)
	return errors.Join(err, src.Close(), w.Close())
}

// drain pushes every batch of src into w until io.EOF.
func drain(ctx context.Context, src Source, w Stream) error {
	for {
		b, err := src.Next(ctx)
		eof := errors.Is(err, io.EOF)
		if err != nil && !eof {
			b.Release()
			return err
		}
		if b.Rec != nil {
			err = w.Push(b)
			b.Release()
			if err != nil {
				return err
			}
		}
		if eof {
			return nil
		}
		if b.Rec == nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			sleep(ctx, idleWait)
		}
	}
}
