package kafka

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/sqlstream/sqlstream/exec"
)

// abortTimeout bounds the clean-up of a failed attempt.
const abortTimeout = 5 * time.Second

// Deliver writes epoch's batches and the epoch's marker: in one Kafka
// transaction with exactly-once delivery; data, flushed, then the marker
// with at-least-once. An epoch at or below the last delivered one (read
// from the marker topic after a start or a failure) is skipped, and an
// epoch without rows writes nothing. Errors wrap exec.ErrRetry unless no
// retry can fix them.
func (s *Sink) Deliver(ctx context.Context, epoch uint64, batches []exec.Batch) error {
	if !s.lastKnown {
		if _, err := s.LastDelivered(ctx); err != nil {
			return err
		}
	}
	if epoch <= s.last {
		return nil
	}
	return s.deliver(ctx, epoch, batches)
}

// deliver writes one epoch without the LastDelivered check.
func (s *Sink) deliver(ctx context.Context, epoch uint64, batches []exec.Batch) error {
	rows := 0
	for _, b := range batches {
		rows += b.NumRows()
	}
	if rows == 0 {
		s.last = max(s.last, epoch)
		return nil
	}
	dctx, cancel := context.WithTimeout(ctx, s.cfg.DeliveryTimeout)
	defer cancel()
	txn := s.cfg.Delivery == ExactlyOnce
	err := s.attempt(dctx, epoch, batches, txn)
	if err != nil {
		s.abort(txn, err)
		// Records of a failed attempt may still be referenced by the
		// client: start afresh rather than reuse their memory.
		s.arena, s.recs = arena{}, nil
		s.lastKnown = false
		return classify(ctx.Err(), fmt.Sprintf("%s: epoch %d", s.what(), epoch), err)
	}
	s.arena.reset()
	clear(s.recs)
	s.recs = s.recs[:0]
	s.last = epoch
	return nil
}

// attempt produces the epoch and its marker and commits.
func (s *Sink) attempt(ctx context.Context, epoch uint64, batches []exec.Batch, txn bool) error {
	cl, err := s.prepare(ctx)
	if err != nil {
		return err
	}
	if txn {
		if err := cl.BeginTransaction(); err != nil {
			return wrap("beginning a transaction", err)
		}
	}
	s.flight.reset()
	err = s.enc.encode(batches, func(key, value []byte) error {
		cl.Produce(ctx, s.record(s.cfg.Topic, key, value), s.flight.done)
		return s.flight.failed()
	})
	if err != nil {
		return err
	}
	if !txn {
		// Without a transaction the marker must follow the data.
		if err := s.flush(ctx, cl); err != nil {
			return err
		}
	}
	cl.Produce(ctx, s.record(s.cfg.EpochTopic, []byte(s.cfg.TransactionalID), markerValue(epoch)), s.flight.done)
	if err := s.flush(ctx, cl); err != nil {
		return err
	}
	if txn {
		if err := cl.EndTransaction(ctx, kgo.TryCommit); err != nil {
			return wrap("committing the transaction", err)
		}
	}
	return nil
}

// flush waits for every produced record and returns the first failure.
func (s *Sink) flush(ctx context.Context, cl *kgo.Client) error {
	if err := cl.Flush(ctx); err != nil {
		return wrap("flushing", err)
	}
	return s.flight.failed()
}

// abort cleans up after a failed attempt: it fails the records still
// buffered and aborts the open transaction. When that fails too, or the
// attempt timed out (the broker is likely unreachable, so a clean abort
// would only wait), the client is dropped: the next attempt's new
// producer fences the old transactional producer, which aborts its
// transaction at the broker.
func (s *Sink) abort(txn bool, cause error) {
	if s.cl == nil {
		return
	}
	if errors.Is(cause, context.DeadlineExceeded) || errors.Is(cause, kgo.ErrRecordTimeout) {
		s.dropClient()
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), min(abortTimeout, s.cfg.DeliveryTimeout))
	defer cancel()
	err := s.cl.AbortBufferedRecords(ctx)
	if err == nil && txn {
		err = s.cl.EndTransaction(ctx, kgo.TryAbort)
	}
	if err != nil {
		s.dropClient()
	}
}

// record returns a record whose key and value are copies of key and value
// (nil stays nil: no key, or a tombstone).
func (s *Sink) record(topic string, key, value []byte) *kgo.Record {
	if len(s.recs) == cap(s.recs) {
		s.recs = make([]kgo.Record, 0, 1024)
	}
	s.recs = append(s.recs, kgo.Record{Topic: topic, Key: s.arena.copy(key), Value: s.arena.copy(value)})
	return &s.recs[len(s.recs)-1]
}

// arena holds the bytes of the records in flight in large chunks; the
// chunks are dropped (the last one reused) once an epoch is written.
type arena struct{ buf []byte }

const arenaChunk = 1 << 20

func (a *arena) copy(b []byte) []byte {
	if b == nil {
		return nil
	}
	if cap(a.buf)-len(a.buf) < len(b) {
		a.buf = make([]byte, 0, max(arenaChunk, len(b)))
	}
	start := len(a.buf)
	a.buf = append(a.buf, b...)
	return a.buf[start:len(a.buf):len(a.buf)]
}

func (a *arena) reset() { a.buf = a.buf[:0] }

// flight collects the first failure among the records in flight; promises
// run on the client's goroutines.
type flight struct {
	mu  sync.Mutex
	err error
}

func (f *flight) reset() {
	f.mu.Lock()
	f.err = nil
	f.mu.Unlock()
}

func (f *flight) done(_ *kgo.Record, err error) {
	if err == nil {
		return
	}
	f.mu.Lock()
	if f.err == nil || errors.Is(f.err, kgo.ErrAborting) {
		f.err = err
	}
	f.mu.Unlock()
}

func (f *flight) failed() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return wrap("producing", f.err)
	}
	return nil
}
