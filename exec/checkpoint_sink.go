package exec

import (
	"errors"
	"fmt"
)

// epochSinkWriter is the root writer of an EpochSink when the store
// checkpoints: the sink's changelog goes into the store's outbox (out),
// which commits it with the epoch; the runner then delivers committed
// epochs to sink (see Runner.deliver). Closing it closes both.
type epochSinkWriter struct {
	name string
	out  Stream
	sink EpochSink
	// last is the last epoch the sink holds (LastDelivered, then every
	// successful Deliver); the runner's goroutine owns it.
	last uint64
}

var _ Stream = (*epochSinkWriter)(nil)

func (w *epochSinkWriter) Push(b Batch) error         { return w.out.Push(b) }
func (w *epochSinkWriter) Watermark(t int64) error    { return w.out.Watermark(t) }
func (w *epochSinkWriter) Barrier(epoch uint64) error { return w.out.Barrier(epoch) }

// Close ends the outbox stream and closes the sink.
func (w *epochSinkWriter) Close() error {
	err := w.out.Close()
	if cerr := w.sink.Close(); cerr != nil {
		err = errors.Join(err, fmt.Errorf("close: %w", cerr))
	}
	return err
}

// epochSink wires an opened sink: an EpochSink writing into a
// CheckpointStore gets its input through the store's outbox; any other
// sink is pushed to directly.
func (b *Builder) epochSink(name string, sink Sink) (Stream, error) {
	es, ok := sink.(EpochSink)
	if !ok {
		return sink, nil
	}
	cs, ok := b.env.Store.(CheckpointStore)
	if !ok {
		return sink, nil
	}
	out, err := cs.Outbox(name)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("outbox: %w", err), sink.Close())
	}
	return &epochSinkWriter{name: name, out: out, sink: es}, nil
}

// epochSinks lists the graph's sinks that get epochs from the outbox.
func epochSinks(g *Graph) []*epochSinkWriter {
	var out []*epochSinkWriter
	for _, r := range g.Roots {
		if w, ok := r.w.(*epochSinkWriter); ok {
			out = append(out, w)
		}
	}
	return out
}
