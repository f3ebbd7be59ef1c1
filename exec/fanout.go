package exec

import (
	"errors"
	"fmt"
)

// Fanout copies one stream to several downstream streams (a source that
// feeds several views). Every downstream borrows the same batch in turn;
// watermarks, barriers and Close go to all of them.
type Fanout struct {
	outs []Stream
}

var _ Operator = (*Fanout)(nil)

// NewFanout returns a fanout to outs, pushed in order.
func NewFanout(outs ...Stream) *Fanout { return &Fanout{outs: outs} }

// add appends a downstream stream (during Build, before anything flows:
// a view scan joining a materialized view's readers).
func (f *Fanout) add(out Stream) { f.outs = append(f.outs, out) }

// Name implements Operator.
func (f *Fanout) Name() string { return "fanout" }

// Push implements Stream.
func (f *Fanout) Push(b Batch) error {
	for i, o := range f.outs {
		if err := o.Push(b); err != nil {
			return fmt.Errorf("fanout branch %d: %w", i, err)
		}
	}
	return nil
}

// Watermark implements Stream.
func (f *Fanout) Watermark(t int64) error {
	for i, o := range f.outs {
		if err := o.Watermark(t); err != nil {
			return fmt.Errorf("fanout branch %d: %w", i, err)
		}
	}
	return nil
}

// Barrier implements Stream.
func (f *Fanout) Barrier(epoch uint64) error {
	for i, o := range f.outs {
		if err := o.Barrier(epoch); err != nil {
			return fmt.Errorf("fanout branch %d: %w", i, err)
		}
	}
	return nil
}

// Close implements Stream. Every branch is closed even when one fails.
func (f *Fanout) Close() error {
	var errs []error
	for i, o := range f.outs {
		if err := o.Close(); err != nil {
			errs = append(errs, fmt.Errorf("fanout branch %d: %w", i, err))
		}
	}
	return errors.Join(errs...)
}
