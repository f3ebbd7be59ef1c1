package kafka

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

func init() {
	exec.RegisterSink("kafka", open)
	exec.RegisterSinkChecker("kafka", check)
}

func open(_ context.Context, def *catalog.Sink, env exec.SinkEnv) (exec.Sink, error) {
	cfg, err := ParseConfig(def)
	if err != nil {
		return nil, fmt.Errorf("sink %s: %w", def.Name, err)
	}
	return New(def.Name, cfg, inputOf(def, env))
}

// check validates def's options and format against its input without
// connecting (exec.SinkChecker): New does not connect.
func check(def *catalog.Sink, env exec.SinkEnv) error {
	cfg, err := ParseConfig(def)
	if err != nil {
		return fmt.Errorf("sink %s: %w", def.Name, err)
	}
	_, err = New(def.Name, cfg, inputOf(def, env))
	return err
}

// inputOf describes the stream def receives.
func inputOf(def *catalog.Sink, env exec.SinkEnv) Input {
	var names []string
	if env.Schema != nil {
		for _, f := range env.Schema.Fields() {
			names = append(names, f.Name)
		}
	} else {
		for _, c := range def.Schema.Columns {
			names = append(names, c.Name)
		}
	}
	return Input{Columns: names, Key: env.Key, Changelog: env.Changelog}
}

// Input describes the stream a sink receives.
type Input struct {
	Columns []string
	// Key is the rows' unique key (column indexes): nil when rows are not
	// unique, empty when there is at most one row.
	Key       []int
	Changelog catalog.ChangelogMode
}

// Sink writes a changelog stream to a Kafka topic. It is an exec.EpochSink:
// the runner delivers each committed epoch, which the sink writes with its
// epoch marker (in one transaction with exactly-once delivery). Without a
// checkpoint store it is a plain Stream: Push buffers the epoch's batches
// and Barrier delivers them.
//
// A Sink is used by one goroutine at a time.
type Sink struct {
	name string
	cfg  Config
	enc  encoder

	cl     *kgo.Client // nil until first used and after a failed attempt
	marker markerTopic
	ready  bool // topics checked and marker topic located

	last      uint64 // last delivered epoch, when lastKnown
	lastKnown bool

	arena   arena
	recs    []kgo.Record
	flight  flight
	pending exec.EpochBuffer // Push mode: the current epoch's batches
	barrier uint64           // Push mode: the last barrier's epoch
}

var _ exec.EpochSink = (*Sink)(nil)

// New returns the sink name writing in cfg's format the stream in. It
// connects lazily, on the first LastDelivered or Deliver.
func New(name string, cfg Config, in Input) (*Sink, error) {
	rows := newRowJSON(in.Columns, in.Key)
	s := &Sink{name: name, cfg: cfg}
	switch cfg.Format {
	case JSON:
		if in.Changelog != catalog.AppendOnly {
			return nil, &exec.OptionError{Key: "format", Msg: fmt.Sprintf(
				"sink %s: format 'json' needs an append-only input, but the input is a %s changelog; use format 'debezium-json' (or 'upsert-json' for a keyed view)",
				name, in.Changelog)}
		}
		s.enc = &jsonEncoder{rows: rows}
	case DebeziumJSON:
		if in.Changelog == catalog.Upsert {
			return nil, &exec.OptionError{Key: "format", Msg: fmt.Sprintf(
				"sink %s: format 'debezium-json' needs full before-images, but the input is an upsert changelog; use format 'upsert-json'", name)}
		}
		s.enc = &debeziumEncoder{rows: rows}
	case UpsertJSON:
		if in.Key == nil {
			return nil, &exec.OptionError{Key: "format", Msg: fmt.Sprintf(
				"sink %s: format 'upsert-json' needs a unique key, but the input's rows have none (group by the key, or use format 'debezium-json')", name)}
		}
		s.enc = &upsertEncoder{rows: rows}
	default:
		return nil, fmt.Errorf("sink %s: unknown format %v", name, cfg.Format)
	}
	return s, nil
}

// client returns the producer, creating it when needed: a transactional
// producer with exactly-once delivery, an idempotent one otherwise.
func (s *Sink) client() (*kgo.Client, error) {
	if s.cl != nil {
		return s.cl, nil
	}
	opts := []kgo.Opt{
		kgo.SeedBrokers(s.cfg.Brokers...),
		kgo.RecordDeliveryTimeout(s.cfg.DeliveryTimeout),
		kgo.ClientID("sqlstream"),
	}
	if s.cfg.Delivery == ExactlyOnce {
		opts = append(opts, kgo.TransactionalID(s.cfg.TransactionalID),
			kgo.TransactionTimeout(s.cfg.DeliveryTimeout+30*time.Second))
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, fatalf("kafka client: %v", err)
	}
	s.cl = cl
	return cl, nil
}

// prepare returns the client once the topics are checked.
func (s *Sink) prepare(ctx context.Context) (*kgo.Client, error) {
	cl, err := s.client()
	if err != nil {
		return nil, err
	}
	if !s.ready {
		if s.marker, err = s.ensureTopics(ctx, cl); err != nil {
			return nil, err
		}
		s.ready = true
	}
	return cl, nil
}

// dropClient closes the client after a failure it may not recover from;
// the next attempt opens a new one (whose transactional producer fences
// and aborts whatever the old one left open).
func (s *Sink) dropClient() {
	if s.cl != nil {
		s.cl.Close()
		s.cl = nil
	}
	s.ready = false
}

// what names the sink in errors.
func (s *Sink) what() string { return fmt.Sprintf("kafka sink %s (topic %s)", s.name, s.cfg.Topic) }

// LastDelivered reads the epoch of the sink's last committed marker.
// With exactly-once delivery it first initializes the sink's
// transactional producer, which fences a previous instance and aborts
// the transaction it may have left open (a crash mid-delivery), so that
// the marker topic's last stable offset is not held back by it.
func (s *Sink) LastDelivered(ctx context.Context) (uint64, error) {
	dctx, cancel := context.WithTimeout(ctx, s.cfg.DeliveryTimeout)
	defer cancel()
	cl, err := s.prepare(dctx)
	if err == nil && s.cfg.Delivery == ExactlyOnce {
		if _, _, err = cl.ProducerID(dctx); err != nil {
			err = wrap("initializing the transactional producer", err)
		}
	}
	if err == nil {
		var last uint64
		if last, err = s.readLast(dctx, cl, s.marker); err == nil {
			s.last, s.lastKnown = last, true
			return last, nil
		}
	}
	s.dropClient()
	return 0, classify(ctx.Err(), s.what()+": reading the last delivered epoch", err)
}

// Push buffers b for the next Barrier (used without a checkpoint store).
func (s *Sink) Push(b exec.Batch) error {
	s.pending.Add(b)
	return nil
}

// Watermark is ignored.
func (s *Sink) Watermark(int64) error { return nil }

// Barrier delivers the batches pushed since the previous barrier as
// epoch (used without a checkpoint store, so without recovery: no
// LastDelivered check).
func (s *Sink) Barrier(epoch uint64) error {
	s.barrier = epoch
	return s.flushPending(epoch)
}

// Close delivers what was pushed after the last barrier, then closes the
// client.
func (s *Sink) Close() error {
	err := s.flushPending(s.barrier + 1)
	if s.cl != nil {
		s.cl.Close()
		s.cl = nil
	}
	return err
}

func (s *Sink) flushPending(epoch uint64) error {
	return s.pending.Flush(func(batches []exec.Batch) error {
		return s.deliver(context.Background(), epoch, batches)
	})
}
