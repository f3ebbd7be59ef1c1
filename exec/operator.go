package exec

import "math"

// Watermark values. A watermark is milliseconds since the epoch in event
// time; every row with an event time below it has been seen (or is late).
const (
	MinWatermark int64 = math.MinInt64
	// MaxWatermark is sent when bounded input is exhausted: it closes every
	// window and every join timeout.
	MaxWatermark int64 = math.MaxInt64
)

// Stream is what receives a changelog stream: an operator's input port or a
// sink. Calls are made from one goroutine, in stream order.
type Stream interface {
	// Push hands over a batch. It borrows b: see the package doc.
	Push(b Batch) error
	// Watermark announces that no row with an event time below t follows.
	// Watermarks never go backwards.
	Watermark(t int64) error
	// Barrier marks the end of checkpoint epoch; state is snapshotted
	// after everything before it and before everything after it.
	Barrier(epoch uint64) error
	// Close ends the stream: no call follows.
	Close() error
}

// Operator is a push-based operator with one input. It emits to the
// downstream Stream it was built with. Operators with several inputs expose
// one Stream per input port instead.
type Operator interface {
	Stream
	// Name is the operator's EXPLAIN name, for progress and errors.
	Name() string
}

// StateReporter is implemented by operators that keep state; run's progress
// and the metrics endpoint read it.
type StateReporter interface {
	StateSize() (rows, bytes int64)
}

// PeakStateReporter is implemented by stateful operators that track the
// most rows they held at once (the unique-key and interval joins: the
// trace-join test compares their peaks).
type PeakStateReporter interface {
	PeakStateRows() int64
}
