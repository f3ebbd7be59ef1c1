package kafka

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/sources/format"
)

// testSchema is the schema most tests write: every type the JSON encoding
// has a rule for.
var testSchema = mustSchema("id:bigint", "region:varchar", "amount:decimal(10,2)", "ts:timestamp", "d:date", "x:double", "ok:boolean")

func mustSchema(cols ...string) catalog.Schema {
	s, err := exectest.ParseSchema(cols)
	if err != nil {
		panic(err)
	}
	return s
}

// newCluster starts an in-process Kafka with topics of the given
// partition count.
func newCluster(t *testing.T, partitions int32, topics ...string) (*kfake.Cluster, string) {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(partitions, topics...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c, strings.Join(c.ListenAddrs(), ",")
}

// sinkDef is a CREATE SINK over testSchema with the given options.
func sinkDef(name string, opts ...string) *catalog.Sink {
	def := &catalog.Sink{Name: name, Connector: "kafka", Schema: testSchema}
	for i := 0; i+1 < len(opts); i += 2 {
		def.Options = append(def.Options, catalog.Option{Key: opts[i], Value: opts[i+1]})
	}
	return def
}

// newSink opens a sink on testSchema (key: column 0 unless key is given).
func newSink(t *testing.T, mode catalog.ChangelogMode, key []int, opts ...string) *Sink {
	t.Helper()
	cfg, err := ParseConfig(sinkDef("out", opts...))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New("out", cfg, Input{Columns: testSchema.Names(), Key: key, Changelog: mode})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// batch parses changelog rows of testSchema (see exectest.ParseBatch).
func batch(t *testing.T, rows string) exec.Batch {
	t.Helper()
	return batchOf(t, testSchema, rows)
}

func batchOf(t *testing.T, s catalog.Schema, rows string) exec.Batch {
	t.Helper()
	b, err := exectest.ParseBatch(s, rows, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Release)
	return b
}

// readTopic returns every data record of topic, partition by partition
// in offset order, as a read_committed (or read_uncommitted) consumer sees
// them. It reads up to each partition's high watermark, so it must not run
// while a transaction is open.
func readTopic(t *testing.T, addr, topic string, committed bool) []*kgo.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	admin, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	ends := endOffsets(t, ctx, admin, topic)
	parts := map[int32]kgo.Offset{}
	left := 0
	for p, end := range ends {
		parts[p] = kgo.NewOffset().AtStart()
		if end > 0 {
			left++
		}
	}
	level := kgo.ReadUncommitted()
	if committed {
		level = kgo.ReadCommitted()
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.FetchIsolationLevel(level), kgo.KeepControlRecords(),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: parts}))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	byPart := map[int32][]*kgo.Record{}
	for left > 0 {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("reading %s: %v (%d partitions unfinished)", topic, err, left)
		}
		fs.EachError(func(tp string, p int32, err error) { t.Fatalf("reading %s/%d: %v", tp, p, err) })
		fs.EachRecord(func(r *kgo.Record) {
			if r.Offset == ends[r.Partition]-1 {
				left--
			}
			if !r.Attrs.IsControl() && r.Offset < ends[r.Partition] {
				byPart[r.Partition] = append(byPart[r.Partition], r)
			}
		})
	}
	var out []*kgo.Record
	for p := range int32(len(ends)) {
		out = append(out, byPart[p]...)
	}
	return out
}

// endOffsets returns the high watermark of every partition of topic.
func endOffsets(t *testing.T, ctx context.Context, cl *kgo.Client, topic string) map[int32]int64 {
	t.Helper()
	meta := kmsg.NewPtrMetadataRequest()
	mt := kmsg.NewMetadataRequestTopic()
	mt.Topic = kmsg.StringPtr(topic)
	meta.Topics = append(meta.Topics, mt)
	mresp, err := meta.RequestWith(ctx, cl)
	if err != nil || len(mresp.Topics) != 1 || mresp.Topics[0].ErrorCode != 0 {
		t.Fatalf("metadata of %s: %v", topic, err)
	}
	req := kmsg.NewPtrListOffsetsRequest()
	lt := kmsg.NewListOffsetsRequestTopic()
	lt.Topic = topic
	for _, p := range mresp.Topics[0].Partitions {
		lp := kmsg.NewListOffsetsRequestTopicPartition()
		lp.Partition, lp.Timestamp = p.Partition, -1
		lt.Partitions = append(lt.Partitions, lp)
	}
	req.Topics = append(req.Topics, lt)
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		t.Fatalf("list offsets of %s: %v", topic, err)
	}
	out := map[int32]int64{}
	for _, rt := range resp.Topics {
		for _, rp := range rt.Partitions {
			if rp.ErrorCode != 0 {
				t.Fatalf("list offsets of %s/%d: error %d", topic, rp.Partition, rp.ErrorCode)
			}
			out[rp.Partition] = rp.Offset
		}
	}
	return out
}

// values returns the records' values as strings ("<nil>" for a tombstone).
func values(rs []*kgo.Record) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		if r.Value == nil {
			out[i] = "<nil>"
		} else {
			out[i] = string(r.Value)
		}
	}
	return out
}

// decode decodes values with a sources/format decoder into changelog rows
// in the exectest syntax.
func decode(t *testing.T, f format.Format, s catalog.Schema, key []int, vals [][]byte) []string {
	t.Helper()
	d, err := format.New(f, s, format.Options{BatchSize: 1 << 16, Key: key}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Release()
	for _, v := range vals {
		if err := d.Decode(v); err != nil {
			t.Fatalf("decoding %s: %v", v, err)
		}
	}
	b := format.FlushBatch(d)
	if b.Rec == nil {
		return nil
	}
	defer b.Release()
	return exectest.FormatBatch(b)
}

// deliver calls Deliver with a generous deadline.
func deliver(t *testing.T, s *Sink, epoch uint64, bs ...exec.Batch) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Deliver(ctx, epoch, bs); err != nil {
		t.Fatalf("deliver epoch %d: %v", epoch, err)
	}
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
