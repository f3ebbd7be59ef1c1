package kafka

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// row is one +I row of testSchema with id i.
func row(i int) string {
	return fmt.Sprintf("+I %d eu 1.00 '2024-01-02 03:04:05.000' 2024-01-02 1.5 true\n", i)
}

// rowsFrom returns +I rows with ids [from, to).
func rowsFrom(from, to int) string {
	var sb strings.Builder
	for i := from; i < to; i++ {
		sb.WriteString(row(i))
	}
	return sb.String()
}

// ids returns the "id" of each JSON value, in order.
func ids(t *testing.T, rs []*kgo.Record) []int {
	t.Helper()
	out := make([]int, len(rs))
	for i, r := range rs {
		if _, err := fmt.Sscanf(string(r.Value), `{"id":%d,`, &out[i]); err != nil {
			t.Fatalf("value %s: %v", r.Value, err)
		}
	}
	return out
}

func seq(from, to int) []int {
	var out []int
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

// TestEpochMarker: each delivered epoch ends with a marker record keyed by
// the transactional id in a created one-partition marker topic, and
// LastDelivered reads the last one.
func TestEpochMarker(t *testing.T) {
	c, addr := newCluster(t, 1, "out")
	s := newSink(t, catalog.AppendOnly, nil, "brokers", addr, "topic", "out", "format", "json")
	last, err := s.LastDelivered(t.Context())
	if err != nil || last != 0 {
		t.Fatalf("LastDelivered on a new topic = %d, %v; want 0", last, err)
	}
	deliver(t, s, 1, batch(t, rowsFrom(0, 3)))
	deliver(t, s, 2, batch(t, rowsFrom(3, 5)))
	deliver(t, s, 3) // no rows: nothing written
	if got := ids(t, readTopic(t, addr, "out", true)); !slices.Equal(got, seq(0, 5)) {
		t.Fatalf("ids %v", got)
	}
	ti := c.TopicInfo("out.sqlstream-epochs")
	if ti == nil || ti.Configs["cleanup.policy"] == nil || *ti.Configs["cleanup.policy"] != "compact" {
		t.Fatalf("marker topic info %+v, want a compacted topic", ti)
	}
	if n := len(c.PartitionInfos("out.sqlstream-epochs")); n != 1 {
		t.Fatalf("marker topic has %d partitions, want 1", n)
	}
	markers := readTopic(t, addr, "out.sqlstream-epochs", true)
	var got []string
	for _, r := range markers {
		got = append(got, string(r.Key)+" "+string(r.Value))
	}
	want := []string{`sqlstream-out-out {"epoch":1}`, `sqlstream-out-out {"epoch":2}`}
	if !slices.Equal(got, want) {
		t.Fatalf("markers %q, want %q", got, want)
	}
	if last, err := s.LastDelivered(t.Context()); err != nil || last != 2 {
		t.Fatalf("LastDelivered = %d, %v; want 2", last, err)
	}
}

// TestRedeliveryAfterReopen: a reopened sink reads its last epoch back;
// redelivered epochs at or below it are skipped, later ones written, so
// a read_committed consumer sees every epoch once.
func TestRedeliveryAfterReopen(t *testing.T) {
	for _, mode := range []string{"exactly-once", "at-least-once"} {
		t.Run(mode, func(t *testing.T) {
			_, addr := newCluster(t, 4, "out")
			opts := []string{"brokers", addr, "topic", "out", "format", "json", "sink.delivery", mode,
				"sink.epoch.topic", "epochs", "transactional.id.prefix", "p1"}
			s := newSink(t, catalog.AppendOnly, []int{0}, opts...)
			deliver(t, s, 1, batch(t, rowsFrom(0, 10)))
			deliver(t, s, 2, batch(t, rowsFrom(10, 20)))
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}

			s2 := newSink(t, catalog.AppendOnly, []int{0}, opts...)
			if last, err := s2.LastDelivered(t.Context()); err != nil || last != 2 {
				t.Fatalf("LastDelivered after reopen = %d, %v; want 2", last, err)
			}
			deliver(t, s2, 1, batch(t, rowsFrom(0, 10)))
			deliver(t, s2, 2, batch(t, rowsFrom(10, 20)))
			deliver(t, s2, 3, batch(t, rowsFrom(20, 25)))
			got := ids(t, readTopic(t, addr, "out", true))
			slices.Sort(got)
			if !slices.Equal(got, seq(0, 25)) {
				t.Fatalf("ids %v, want 0..24 once each", got)
			}
			markers := readTopic(t, addr, "epochs", true)
			if n := len(markers); n != 3 || string(markers[2].Key) != "p1-out" {
				t.Fatalf("markers %q, want 3 keyed p1-out", values(markers))
			}
		})
	}
}

// TestDeliverSkipsDeliveredWithoutLastDelivered: Deliver itself reads the
// marker when the runner did not ask first.
func TestDeliverSkipsDeliveredWithoutLastDelivered(t *testing.T) {
	_, addr := newCluster(t, 1, "out")
	opts := []string{"brokers", addr, "topic", "out", "format", "json"}
	s := newSink(t, catalog.AppendOnly, nil, opts...)
	deliver(t, s, 5, batch(t, rowsFrom(0, 2)))
	s2 := newSink(t, catalog.AppendOnly, nil, opts...)
	deliver(t, s2, 5, batch(t, rowsFrom(0, 2)))
	deliver(t, s2, 4, batch(t, rowsFrom(0, 2)))
	if got := ids(t, readTopic(t, addr, "out", true)); !slices.Equal(got, seq(0, 2)) {
		t.Fatalf("ids %v, want 0 1 once", got)
	}
}

// TestAbortedEpochInvisible: an epoch whose transaction was aborted, or
// left open by a crashed producer with the sink's transactional id, is
// never seen by read_committed consumers, nor counted by LastDelivered;
// the redelivery writes it once.
func TestAbortedEpochInvisible(t *testing.T) {
	_, addr := newCluster(t, 2, "out")
	opts := []string{"brokers", addr, "topic", "out", "format", "json"}
	s := newSink(t, catalog.AppendOnly, nil, opts...)
	deliver(t, s, 1, batch(t, rowsFrom(0, 4)))

	// Epoch 2 produced in a transaction, with its marker, then aborted.
	zombie := func(end bool) {
		cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.TransactionalID(s.cfg.TransactionalID))
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		if err := cl.BeginTransaction(); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		rs := []*kgo.Record{
			{Topic: "out", Value: []byte(`{"id":100,"aborted":true}`)},
			{Topic: s.cfg.EpochTopic, Key: []byte(s.cfg.TransactionalID), Value: markerValue(2)},
		}
		if err := cl.ProduceSync(ctx, rs...).FirstErr(); err != nil {
			t.Fatal(err)
		}
		if end {
			if err := cl.EndTransaction(ctx, kgo.TryAbort); err != nil {
				t.Fatal(err)
			}
		}
	}
	zombie(true)
	if got := ids(t, readTopic(t, addr, "out", true)); len(got) != 4 {
		t.Fatalf("read_committed sees %v after an aborted epoch", got)
	}
	if n := len(readTopic(t, addr, "out", false)); n != 5 {
		t.Fatalf("read_uncommitted sees %d records, want the aborted one too (5)", n)
	}

	s2 := newSink(t, catalog.AppendOnly, nil, opts...)
	if last, err := s2.LastDelivered(t.Context()); err != nil || last != 1 {
		t.Fatalf("LastDelivered after an aborted epoch 2 = %d, %v; want 1", last, err)
	}
	deliver(t, s2, 2, batch(t, rowsFrom(4, 6)))
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}

	// A crashed producer leaves epoch 3's transaction open: the next
	// sink's producer fences it (aborting it) and writes epoch 3 once.
	zombie(false)
	s3 := newSink(t, catalog.AppendOnly, nil, opts...)
	if last, err := s3.LastDelivered(t.Context()); err != nil || last != 2 {
		t.Fatalf("LastDelivered with an open transaction = %d, %v; want 2", last, err)
	}
	deliver(t, s3, 3, batch(t, rowsFrom(6, 8)))
	got := ids(t, readTopic(t, addr, "out", true))
	slices.Sort(got)
	if !slices.Equal(got, seq(0, 8)) {
		t.Fatalf("read_committed ids %v, want 0..7 once each", got)
	}
	if last, err := s3.LastDelivered(t.Context()); err != nil || last != 3 {
		t.Fatalf("LastDelivered = %d, %v; want 3", last, err)
	}
}

// TestKeyPartitioning: messages are partitioned by their key bytes with
// Kafka's murmur2 partitioning: every message of a key in one partition,
// the one the Java client would pick.
func TestKeyPartitioning(t *testing.T) {
	_, addr := newCluster(t, 4, "out")
	s := newSink(t, catalog.Retract, []int{0}, "brokers", addr, "topic", "out", "format", "upsert-json")
	var sb strings.Builder
	for i := range 200 {
		fmt.Fprintf(&sb, "+I %d eu 1.00 '2024-01-02 03:04:05.000' 2024-01-02 1.5 true\n", i%50)
	}
	deliver(t, s, 1, batch(t, sb.String()))
	recs := readTopic(t, addr, "out", true)
	if len(recs) != 200 {
		t.Fatalf("%d records, want 200", len(recs))
	}
	hash := kgo.StickyKeyPartitioner(nil).ForTopic("out")
	parts := map[int32]int{}
	for _, r := range recs {
		if want := int32(hash.Partition(&kgo.Record{Key: r.Key}, 4)); r.Partition != want {
			t.Fatalf("key %s in partition %d, want %d", r.Key, r.Partition, want)
		}
		parts[r.Partition]++
	}
	if len(parts) < 3 {
		t.Fatalf("50 keys landed in partitions %v", parts)
	}
}

// TestPushBarrier: without a checkpoint store the sink buffers pushed
// batches and delivers them at each barrier, and the rest at Close.
func TestPushBarrier(t *testing.T) {
	_, addr := newCluster(t, 1, "out")
	s := newSink(t, catalog.AppendOnly, nil, "brokers", addr, "topic", "out", "format", "json")
	push := func(rows string) {
		b := batch(t, rows)
		if err := s.Push(b); err != nil {
			t.Fatal(err)
		}
	}
	push(rowsFrom(0, 2))
	push(rowsFrom(2, 3))
	if err := s.Watermark(5); err != nil {
		t.Fatal(err)
	}
	if n := len(readTopic(t, addr, "out", true)); n != 0 {
		t.Fatalf("%d records visible before the barrier", n)
	}
	if err := s.Barrier(1); err != nil {
		t.Fatal(err)
	}
	if got := ids(t, readTopic(t, addr, "out", true)); !slices.Equal(got, seq(0, 3)) {
		t.Fatalf("after barrier 1: %v", got)
	}
	push(rowsFrom(3, 5))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got := ids(t, readTopic(t, addr, "out", true)); !slices.Equal(got, seq(0, 5)) {
		t.Fatalf("after close: %v", got)
	}
	markers := values(readTopic(t, addr, "out.sqlstream-epochs", true))
	if !slices.Equal(markers, []string{`{"epoch":1}`, `{"epoch":2}`}) {
		t.Fatalf("markers %q", markers)
	}
}

var _ exec.EpochSink = (*Sink)(nil)

// TestMarkerTopicOpenTransaction: another producer's transaction open in
// the marker topic would hide our later markers from read_committed, so
// LastDelivered reports a retriable wait instead of a stale epoch.
func TestMarkerTopicOpenTransaction(t *testing.T) {
	_, addr := newCluster(t, 1, "out")
	opts := []string{"brokers", addr, "topic", "out", "format", "json"}
	s := newSink(t, catalog.AppendOnly, nil, opts...)
	deliver(t, s, 1, batch(t, rowsFrom(0, 1)))

	other, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.TransactionalID("someone-else"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rec := &kgo.Record{Topic: s.cfg.EpochTopic, Key: []byte("someone-else"), Value: markerValue(7)}
	if err := other.ProduceSync(ctx, rec).FirstErr(); err != nil {
		t.Fatal(err)
	}
	s2 := newSink(t, catalog.AppendOnly, nil, opts...)
	if _, err := s2.LastDelivered(ctx); !errors.Is(err, exec.ErrRetry) || !strings.Contains(err.Error(), "transaction open") {
		t.Fatalf("LastDelivered with a foreign open transaction: %v, want a retriable wait", err)
	}
	if err := other.EndTransaction(ctx, kgo.TryCommit); err != nil {
		t.Fatal(err)
	}
	if last, err := s2.LastDelivered(ctx); err != nil || last != 1 {
		t.Fatalf("LastDelivered = %d, %v; want 1", last, err)
	}
}
