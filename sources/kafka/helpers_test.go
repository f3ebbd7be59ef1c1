package kafka

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/internal/srctest"
)

// cluster starts an in-process Kafka with the topics, each of partitions
// partitions, and returns its address.
func cluster(t testing.TB, partitions int32, topics ...string) string {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(partitions, topics...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return strings.Join(c.ListenAddrs(), ",")
}

// producer returns a client that writes records to the partition they name.
func producer(t testing.TB, addr string) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(addr, ",")...),
		kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.ProducerLinger(0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

// produce writes recs synchronously.
func produce(t testing.TB, cl *kgo.Client, recs ...*kgo.Record) {
	t.Helper()
	if err := cl.ProduceSync(context.Background(), recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// rec is a record of topic/part with a value (nil: a tombstone), a key
// (nil: none) and a timestamp in epoch ms (0: now).
func rec(topic string, part int32, key, value string, ms int64) *kgo.Record {
	r := &kgo.Record{Topic: topic, Partition: part}
	if key != "" {
		r.Key = []byte(key)
	}
	if value != "\x00" {
		r.Value = []byte(value)
	}
	if ms != 0 {
		r.Timestamp = time.UnixMilli(ms)
	}
	return r
}

// tombstone marks a record value as null in rec.
const null = "\x00"

// def is a kafka source of schema with the options.
func def(t testing.TB, schema string, opts ...string) *catalog.Source {
	t.Helper()
	sch, err := srctest.ParseSchema(schema)
	if err != nil {
		t.Fatal(err)
	}
	d := &catalog.Source{Name: "src", Schema: sch, Connector: "kafka"}
	for i := 0; i+1 < len(opts); i += 2 {
		d.Options = append(d.Options, catalog.Option{Key: opts[i], Value: opts[i+1]})
	}
	return d
}

// opened opens d with a checked allocator that must be empty at cleanup.
func opened(t *testing.T, d *catalog.Source, errs exec.ErrorSink, batch int) *Source {
	t.Helper()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	src, err := exec.OpenSource(context.Background(), d, exec.SourceEnv{Alloc: alloc, Errors: errs, BatchSize: batch})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { alloc.AssertSize(t, 0) })
	t.Cleanup(func() { src.Close() })
	return src.(*Source)
}

// drainAll reads a bounded source to io.EOF and renders its rows, with
// their ops when ops is set.
func drainAll(t *testing.T, src exec.Source, ops bool) []string {
	t.Helper()
	var rows []string
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		b, err := src.Next(context.Background())
		if err == io.EOF {
			return rows
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, render(t, b, ops)...)
	}
	t.Fatalf("no io.EOF after 20s; rows so far %q", rows)
	return nil
}

// readN reads an unbounded source until it returned n rows.
func readN(t *testing.T, src exec.Source, n int, ops bool) []string {
	t.Helper()
	var rows []string
	deadline := time.Now().Add(20 * time.Second)
	for len(rows) < n && time.Now().Before(deadline) {
		b, err := src.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, render(t, b, ops)...)
	}
	if len(rows) != n {
		t.Fatalf("read %d rows, want %d: %q", len(rows), n, rows)
	}
	return rows
}

// render renders a batch's rows and releases it.
func render(t *testing.T, b exec.Batch, ops bool) []string {
	t.Helper()
	if b.Rec == nil {
		return nil
	}
	defer b.Release()
	var out []string
	for i, r := range srctest.Rows(b.Rec) {
		if ops {
			r = b.Op(i).String() + " " + r
		}
		out = append(out, r)
	}
	return out
}

// join renders rows for a comparison.
func join(rows []string) string { return strings.Join(rows, "\n") }
