package sqlsink

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// Target is one database's side of a Sink: it writes an epoch's netted
// changes and the sink's epoch marker in one transaction.
type Target interface {
	// LastDelivered reads the sink's marker (0 when there is none).
	LastDelivered(ctx context.Context) (uint64, error)
	// Apply writes ch and sets the marker to epoch in one transaction,
	// unless the marker already holds epoch or a later one: then it
	// writes nothing and returns applied = false. Transient failures
	// (connection lost, serialization failure, deadlock) wrap
	// exec.ErrRetry and leave the target to reconnect on the next call.
	Apply(ctx context.Context, epoch uint64, ch *Changes) (applied bool, err error)
	Close() error
}

// Sink is an exactly-once database sink (exec.EpochSink) over a Target.
// Under a checkpoint store the runner calls Deliver with each committed
// epoch. Without one (tests with fakes, runs without recovery) it is a
// plain Stream: Push buffers the epoch's batches and Barrier delivers
// them, retrying transient failures with backoff up to the retry timeout;
// Close discards what no barrier delivered.
type Sink struct {
	name    string
	target  Target
	net     *Netter
	ctx     context.Context
	retry   time.Duration
	pending exec.EpochBuffer
}

var _ exec.EpochSink = (*Sink)(nil)

// NewSink returns the sink name writing rows of the given column types
// keyed by key (see NewNetter) to target. ctx bounds stream-mode
// deliveries; retry bounds their retries.
func NewSink(ctx context.Context, name string, target Target, types []catalog.Type, key []int, retry time.Duration) (*Sink, error) {
	n, err := NewNetter(types, key)
	if err != nil {
		return nil, fmt.Errorf("sink %s: %w", name, err)
	}
	return &Sink{name: name, target: target, net: n, ctx: ctx, retry: retry}, nil
}

// OpenSink opens the sink def of a connector (the body of its
// exec.SinkFactory): it parses the options, picks the key (SinkKey), opens
// the database-specific target with openTarget (which checks or creates
// the table and the epoch marker table) and wraps it in a Sink.
func OpenSink[T Target](ctx context.Context, connector string, def *catalog.Sink, env exec.SinkEnv,
	openTarget func(ctx context.Context, o Options, sink string, schema catalog.Schema, key []int) (T, error)) (exec.Sink, error) {
	o, err := ParseOptions(connector, def.Name, def.Options)
	if err != nil {
		return nil, err
	}
	key, err := SinkKey(def, env)
	if err != nil {
		return nil, err
	}
	t, err := openTarget(ctx, o, def.Name, def.Schema, key)
	if err != nil {
		return nil, fmt.Errorf("sink %s: %w", def.Name, err)
	}
	s, err := NewSink(ctx, def.Name, t, ColumnTypes(def.Schema), key, o.RetryTimeout)
	if err != nil {
		t.Close()
		return nil, err
	}
	return s, nil
}

// Checker is the exec.SinkChecker of a connector: its options, and that
// its input has a key when it is a changelog (SinkKey), without
// connecting to the database.
func Checker(connector string) exec.SinkChecker {
	return func(def *catalog.Sink, env exec.SinkEnv) error {
		if _, err := ParseOptions(connector, def.Name, def.Options); err != nil {
			return err
		}
		_, err := SinkKey(def, env)
		return err
	}
}

// ColumnTypes lists the types of s's columns.
func ColumnTypes(s catalog.Schema) []catalog.Type {
	out := make([]catalog.Type, len(s.Columns))
	for i, c := range s.Columns {
		out[i] = c.Type
	}
	return out
}

// SinkKey returns the key a sink of a database table writes by: the key
// of its input (env.Key), or nil (plain inserts) for keyless append-only
// input. Keyless changelog input cannot be applied to a table: an error.
func SinkKey(def *catalog.Sink, env exec.SinkEnv) ([]int, error) {
	if env.Key != nil {
		return env.Key, nil
	}
	if env.Changelog != catalog.AppendOnly {
		return nil, fmt.Errorf("sink %s: its input is a %s changelog without a unique key, so its updates and deletes cannot be applied to a %s table; sink a view with a key (a GROUP BY, a source with a PRIMARY KEY) or append-only rows",
			def.Name, env.Changelog, def.Connector)
	}
	return nil, nil
}

// LastDelivered implements exec.EpochSink.
func (s *Sink) LastDelivered(ctx context.Context) (uint64, error) {
	e, err := s.target.LastDelivered(ctx)
	if err != nil {
		return 0, fmt.Errorf("sink %s: read epoch marker: %w", s.name, err)
	}
	return e, nil
}

// Deliver implements exec.EpochSink: the epoch's changes, netted per key,
// and its marker in one transaction. An epoch the marker already holds is
// a no-op.
func (s *Sink) Deliver(ctx context.Context, epoch uint64, batches []exec.Batch) error {
	// Errors are not prefixed with the sink and epoch: the runner's
	// delivery error says both.
	ch, err := s.net.Net(batches)
	if err != nil {
		return err
	}
	_, err = s.target.Apply(ctx, epoch, ch)
	return err
}

// Push buffers b for the next Barrier.
func (s *Sink) Push(b exec.Batch) error {
	s.pending.Add(b)
	return nil
}

// Watermark is ignored: a table has no event time.
func (s *Sink) Watermark(int64) error { return nil }

// Barrier delivers the batches pushed since the previous barrier as
// epoch, retrying transient failures with backoff.
func (s *Sink) Barrier(epoch uint64) error {
	defer s.pending.Discard()
	deadline := time.Now().Add(s.retry)
	wait := 100 * time.Millisecond
	for {
		err := s.Deliver(s.ctx, epoch, s.pending.Batches())
		if err == nil || !errors.Is(err, exec.ErrRetry) {
			return err
		}
		if time.Now().Add(wait).After(deadline) {
			return fmt.Errorf("%w (gave up after 'sink.retry.timeout' = %s)", err, s.retry)
		}
		log.Printf("%v; retrying in %s", err, wait)
		t := time.NewTimer(wait)
		select {
		case <-s.ctx.Done():
			t.Stop()
			return fmt.Errorf("%w (cancelled while retrying)", err)
		case <-t.C:
		}
		wait = min(2*wait, 5*time.Second)
	}
}

// Close discards undelivered batches and closes the target.
func (s *Sink) Close() error {
	s.pending.Discard()
	if err := s.target.Close(); err != nil {
		return fmt.Errorf("sink %s: close: %w", s.name, err)
	}
	return nil
}

// Retry marks err as transient (it wraps exec.ErrRetry).
func Retry(err error) error { return fmt.Errorf("%w: %w", exec.ErrRetry, err) }
