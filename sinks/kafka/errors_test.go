package kafka

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// TestClassify: transient failures wrap exec.ErrRetry; Kafka errors no
// retry fixes, and our own fatal errors, do not and say what to do; a
// stopping run's errors are not retried.
func TestClassify(t *testing.T) {
	for _, c := range []struct {
		err   error
		ctx   error
		retry bool
		hint  string
	}{
		{err: kerr.NotLeaderForPartition, retry: true},
		{err: kerr.CoordinatorNotAvailable, retry: true},
		{err: kerr.TransactionAbortable, retry: true},
		{err: io.EOF, retry: true},
		{err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}, retry: true},
		{err: context.DeadlineExceeded, retry: true},
		{err: kgo.ErrRecordTimeout, retry: true},
		{err: fmt.Errorf("producing: %w", kerr.MessageTooLarge), hint: "max.message.bytes"},
		{err: kerr.TopicAuthorizationFailed, hint: "not authorized"},
		{err: kerr.TransactionalIDAuthorizationFailed, hint: "at-least-once"},
		{err: kerr.ProducerFenced, hint: "transactional.id.prefix"},
		{err: fatalf("topic %q does not exist", "x"), hint: "does not exist"},
		{err: context.Canceled, ctx: context.Canceled},
	} {
		got := classify(c.ctx, "kafka sink s", c.err)
		if errors.Is(got, exec.ErrRetry) != c.retry {
			t.Errorf("classify(%v): %v, retry %v, want %v", c.err, got, !c.retry, c.retry)
		}
		if !errors.Is(got, c.err) {
			t.Errorf("classify(%v) = %v does not wrap the cause", c.err, got)
		}
		if c.hint != "" && !strings.Contains(got.Error(), c.hint) {
			t.Errorf("classify(%v) = %v, want a hint with %q", c.err, got, c.hint)
		}
	}
}

// freePort returns a TCP port nobody listens on.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestBrokerGone: with the broker down, Deliver fails within its timeout
// with a retriable error; once a broker is back the retried epoch is
// delivered.
func TestBrokerGone(t *testing.T) {
	port := freePort(t)
	start := func() *kfake.Cluster {
		c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(port), kfake.SeedTopics(1, "out"))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := start()
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	s := newSink(t, catalog.AppendOnly, nil, "brokers", addr, "topic", "out", "format", "json", "sink.delivery.timeout", "1s")
	deliver(t, s, 1, batch(t, rowsFrom(0, 2)))
	c.Close()

	began := time.Now()
	err := s.Deliver(t.Context(), 2, []exec.Batch{batch(t, rowsFrom(2, 4))})
	if !errors.Is(err, exec.ErrRetry) {
		t.Fatalf("deliver with the broker down: %v, want a retriable error", err)
	}
	if d := time.Since(began); d > 15*time.Second {
		t.Fatalf("deliver took %s to fail", d)
	}
	if !strings.Contains(err.Error(), "kafka sink out") || !strings.Contains(err.Error(), "epoch 2") {
		t.Fatalf("error %q does not name the sink and epoch", err)
	}

	t.Logf("failed after %s", time.Since(began))
	c = start() // a new, empty broker on the same address
	defer c.Close()
	began = time.Now()
	deliver(t, s, 2, batch(t, rowsFrom(2, 4)))
	t.Logf("redelivered in %s", time.Since(began))
	if got := ids(t, readTopic(t, addr, "out", true)); len(got) != 2 || got[0] != 2 {
		t.Fatalf("after the broker came back: ids %v, want 2 3", got)
	}
}

// TestFatalErrors: a record larger than Kafka accepts, a missing topic
// and an unauthorized transactional id fail without retry, leave nothing
// visible, and the sink recovers for the next epoch.
func TestFatalErrors(t *testing.T) {
	c, addr := newCluster(t, 1, "out")
	s := newSink(t, catalog.AppendOnly, nil, "brokers", addr, "topic", "out", "format", "json")
	big := "+I 1 '" + strings.Repeat("x", 2<<20) + "' 1.00 '2024-01-02 03:04:05.000' 2024-01-02 1.5 true"
	err := s.Deliver(t.Context(), 1, []exec.Batch{batch(t, rowsFrom(5, 7)), batch(t, big)})
	if err == nil || errors.Is(err, exec.ErrRetry) || !strings.Contains(err.Error(), "max.message.bytes") {
		t.Fatalf("a 2 MiB record: %v, want a fatal error about the size limit", err)
	}
	deliver(t, s, 2, batch(t, rowsFrom(0, 2)))
	if got := ids(t, readTopic(t, addr, "out", true)); len(got) != 2 || got[0] != 0 {
		t.Fatalf("read_committed ids %v, want only epoch 2's 0 1", got)
	}

	missing := newSink(t, catalog.AppendOnly, nil, "brokers", addr, "topic", "nope", "format", "json")
	err = missing.Deliver(t.Context(), 1, []exec.Batch{batch(t, rowsFrom(0, 1))})
	if err == nil || errors.Is(err, exec.ErrRetry) || !strings.Contains(err.Error(), `topic "nope" does not exist`) {
		t.Fatalf("a missing topic: %v, want a fatal error naming it", err)
	}

	c.ControlKey(int16(kmsg.InitProducerID), func(req kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		resp := req.ResponseKind().(*kmsg.InitProducerIDResponse)
		resp.ErrorCode = kerr.TransactionalIDAuthorizationFailed.Code
		return resp, nil, true
	})
	denied := newSink(t, catalog.AppendOnly, nil, "brokers", addr, "topic", "out", "format", "json", "transactional.id.prefix", "other")
	err = denied.Deliver(t.Context(), 1, []exec.Batch{batch(t, rowsFrom(0, 1))})
	if err == nil || errors.Is(err, exec.ErrRetry) || !strings.Contains(err.Error(), "TRANSACTIONAL_ID_AUTHORIZATION_FAILED") {
		t.Fatalf("an unauthorized transactional id: %v, want a fatal authorization error", err)
	}
}

// TestOptions: option errors name the option.
func TestOptions(t *testing.T) {
	for _, c := range []struct {
		opts []string
		key  string
		msg  string
	}{
		{[]string{"topic", "t", "format", "json"}, "brokers", "required"},
		{[]string{"brokers", "b:1", "format", "json"}, "topic", "required"},
		{[]string{"brokers", "b:1", "topic", "t"}, "format", "required"},
		{[]string{"brokers", "b:1", "topic", "t", "format", "csv"}, "format", "not supported"},
		{[]string{"brokers", "b:1", "topic", "t", "format", "json", "sink.delivery", "twice"}, "sink.delivery", "exactly-once"},
		{[]string{"brokers", "b:1", "topic", "t", "format", "json", "sink.epoch.topic", "t"}, "sink.epoch.topic", "other than"},
		{[]string{"brokers", "b:1", "topic", "t", "format", "json", "sink.delivery.timeout", "0s"}, "sink.delivery.timeout", "positive"},
		{[]string{"brokers", "b:1", "topic", "t", "format", "json", "linger", "1s"}, "linger", "unknown option"},
		{[]string{"brokers", "b:1", "topic", "t", "format", "json", "sink.retry.timeout", "1m"}, "sink.retry.timeout", "SET 'sink.retry.timeout'"},
	} {
		_, err := ParseConfig(sinkDef("s", c.opts...))
		var oe *exec.OptionError
		if !errors.As(err, &oe) || oe.Key != c.key || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("options %q: %v, want an error on %s with %q", c.opts, err, c.key, c.msg)
		}
	}
	cfg, err := ParseConfig(sinkDef("s", "brokers", " a:1, b:2 ", "topic", "t", "format", "upsert", "sink.delivery", "at-least-once"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Brokers) != 2 || cfg.Format != UpsertJSON || cfg.Delivery != AtLeastOnce ||
		cfg.EpochTopic != "t.sqlstream-epochs" || cfg.TransactionalID != "sqlstream-t-s" || cfg.DeliveryTimeout != DefaultDeliveryTimeout {
		t.Fatalf("config %+v", cfg)
	}
}
