package exec

import (
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/sqlstream/sqlstream/catalog"
)

// Graph is a plan built into operators: one entry per distinct source
// (opened once, fanned out to every root that reads it) and one per root.
// Its counters are atomics, safe to read while the runner drives it.
type Graph struct {
	Sources []*GraphSource
	Roots   []*GraphRoot
	// Operators are the stateful operators, in build order (see
	// Builder.Track), for state-size reporting.
	Operators []*GraphOperator

	closed bool // set by the runner once the chains are closed
}

// GraphOperator is a stateful operator of the graph. Its state size is
// read on the runner's goroutine (operators are not safe for concurrent
// use); readers on other goroutines use the snapshot the runner stores.
type GraphOperator struct {
	Name string
	Op   StateReporter
	// ID identifies the operator's checkpointed state: "op<n>", n its
	// position in build order, which is the same for the same plan (the
	// store checks the plan's fingerprint before restoring).
	ID string
}

// GraphSource is an opened source and the stream its batches go into.
type GraphSource struct {
	Def *catalog.Source
	Src Source
	// Head receives the source's batches and watermarks: the operator
	// chain of the one root reading it, or a Fanout to several.
	Head Stream

	events    atomic.Int64
	bad       atomic.Int64
	late      atomic.Int64
	watermark atomic.Int64
}

// LateRows is the number of rows that arrived behind the source's
// watermark (written to late_<source> or, with 'late.policy' = 'drop',
// only counted).
func (s *GraphSource) LateRows() int64 { return s.late.Load() }

// Events is the number of rows read from the source.
func (s *GraphSource) Events() int64 { return s.events.Load() }

// BadRecords is the number of records sent to errors_<source>.
func (s *GraphSource) BadRecords() int64 { return s.bad.Load() }

// CurrentWatermark is the last watermark forwarded (MinWatermark if none).
func (s *GraphSource) CurrentWatermark() int64 { return s.watermark.Load() }

// RootKind says what a root writes to.
type RootKind uint8

const (
	RootView  RootKind = iota + 1 // a materialized view in the store
	RootSink                      // an external sink
	RootTable                     // INSERT INTO a store table
)

func (k RootKind) String() string {
	switch k {
	case RootView:
		return "view"
	case RootSink:
		return "sink"
	case RootTable:
		return "table"
	}
	return "?"
}

// GraphRoot is the terminal writer of one plan root.
type GraphRoot struct {
	Kind RootKind
	Name string
	rows atomic.Int64
	w    Stream
}

// Rows is the number of changelog rows written to the root.
func (r *GraphRoot) Rows() int64 { return r.rows.Load() }

// CloseSources closes every opened source.
func (g *Graph) CloseSources() error {
	var errs []error
	for _, s := range g.Sources {
		if s.Src == nil {
			continue
		}
		if err := s.Src.Close(); err != nil {
			errs = append(errs, fmt.Errorf("source %s: close: %w", s.Def.Name, err))
		}
	}
	return errors.Join(errs...)
}

// closeRoots closes every root writer directly (used when building fails
// before the chains exist).
func (g *Graph) closeRoots() {
	for _, r := range g.Roots {
		if r.w != nil {
			_ = r.w.Close()
		}
	}
}

// countingErrors counts bad records on their way to the store.
type countingErrors struct {
	next ErrorSink
	n    *atomic.Int64
}

func (c countingErrors) BadRecord(r BadRecord) error {
	c.n.Add(1)
	return c.next.BadRecord(r)
}

// rootWriter counts rows on their way into a root's writer and names the
// root in its errors.
type rootWriter struct {
	root *GraphRoot
	next Stream
}

func (w *rootWriter) Push(b Batch) error {
	w.root.rows.Add(int64(b.NumRows()))
	if err := w.next.Push(b); err != nil {
		return fmt.Errorf("%s %s: %w", w.root.Kind, w.root.Name, err)
	}
	return nil
}

func (w *rootWriter) Watermark(t int64) error {
	return w.wrap(w.next.Watermark(t))
}

func (w *rootWriter) Barrier(epoch uint64) error {
	return w.wrap(w.next.Barrier(epoch))
}

func (w *rootWriter) Close() error { return w.wrap(w.next.Close()) }

func (w *rootWriter) wrap(err error) error {
	if err != nil {
		return fmt.Errorf("%s %s: %w", w.root.Kind, w.root.Name, err)
	}
	return nil
}
