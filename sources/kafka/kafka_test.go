package kafka

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/kversion"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/internal/fakesink"
)

// fill writes n JSON records {"id": i} to topic, record i to partition
// i % parts with timestamp base+i ms.
func fill(t *testing.T, p *kgo.Client, topic string, parts int32, from, n int, base int64) {
	t.Helper()
	recs := make([]*kgo.Record, 0, n)
	for i := from; i < from+n; i++ {
		recs = append(recs, rec(topic, int32(i)%parts, fmt.Sprintf("k%d", i), fmt.Sprintf(`{"id": %d}`, i), base+int64(i)))
	}
	produce(t, p, recs...)
}

// ids parses the leading id of rendered rows, sorted.
func ids(t *testing.T, rows []string) []int {
	t.Helper()
	out := make([]int, 0, len(rows))
	for _, r := range rows {
		var id int
		if _, err := fmt.Sscanf(r, "%d", &id); err != nil {
			t.Fatalf("row %q: %v", r, err)
		}
		out = append(out, id)
	}
	sort.Ints(out)
	return out
}

// wantRange checks that got is exactly from..to-1, each once.
func wantRange(t *testing.T, got []int, from, to int) {
	t.Helper()
	if len(got) != to-from {
		t.Fatalf("got %d ids, want %d (%d..%d)", len(got), to-from, from, to-1)
	}
	for i, id := range got {
		if id != from+i {
			t.Fatalf("id #%d is %d, want %d (ids must be %d..%d, each once)", i, id, from+i, from, to-1)
		}
	}
}

// TestKafkaMultiPartitionMetadata reads a 4-partition topic with every
// metadata column: each row carries its record's partition, offset, key
// and timestamp.
func TestKafkaMultiPartitionMetadata(t *testing.T) {
	addr := cluster(t, 4, "m")
	p := producer(t, addr)
	const n = 1000
	fill(t, p, "m", 4, 0, n, 1_700_000_000_000)
	produce(t, p, rec("m", 1, "", `{"id": 1000}`, 1_700_000_001_000))
	d := def(t, "id bigint, kafka_partition int, kafka_offset bigint, kafka_key varchar, kafka_timestamp timestamp, kafka_topic varchar",
		"brokers", addr, "topic", "m", "format", "json", "scan.bounded", "latest")
	rows := drainAll(t, opened(t, d, nil, 64), false)
	wantRange(t, ids(t, rows), 0, n+1)
	for _, r := range rows {
		var id, part, off int
		if _, err := fmt.Sscanf(r, "%d | %d | %d |", &id, &part, &off); err != nil {
			t.Fatalf("row %q: %v", r, err)
		}
		key := fmt.Sprintf(`"k%d"`, id)
		ts := time.UnixMilli(1_700_000_000_000 + int64(id)).UTC().Format("2006-01-02 15:04:05.000")
		wantPart, wantOff := id%4, id/4
		if id == n {
			key, ts, wantPart, wantOff = "NULL", "2023-11-14 22:13:21.000", 1, n/4
		}
		want := fmt.Sprintf(`%d | %d | %d | %s | %s | "m"`, id, wantPart, wantOff, key, ts)
		if r != want {
			t.Errorf("row %q, want %q", r, want)
		}
	}
}

// TestKafkaTopicList reads two topics as one source.
func TestKafkaTopicList(t *testing.T) {
	addr := cluster(t, 2, "a", "b")
	p := producer(t, addr)
	fill(t, p, "a", 2, 0, 10, 1000)
	fill(t, p, "b", 2, 10, 10, 1000)
	d := def(t, "id bigint, kafka_topic varchar", "brokers", addr, "topic", "a, b", "format", "json", "scan.bounded", "latest")
	rows := drainAll(t, opened(t, d, nil, 0), false)
	wantRange(t, ids(t, rows), 0, 20)
	for _, r := range rows {
		var id int
		fmt.Sscanf(r, "%d", &id)
		if topic := map[bool]string{true: `"a"`, false: `"b"`}[id < 10]; !strings.HasSuffix(r, topic) {
			t.Errorf("row %q: want topic %s", r, topic)
		}
	}
}

// TestKafkaStartupModes checks earliest, latest, timestamp and
// group-offsets.
func TestKafkaStartupModes(t *testing.T) {
	addr := cluster(t, 2, "s")
	p := producer(t, addr)
	fill(t, p, "s", 2, 0, 20, 10_000) // ids 0..19 at 10000+id ms
	base := []string{"brokers", addr, "topic", "s", "format", "json"}

	t.Run("earliest", func(t *testing.T) {
		d := def(t, "id bigint", append(base, "scan.startup.mode", "earliest", "scan.bounded", "latest")...)
		wantRange(t, ids(t, drainAll(t, opened(t, d, nil, 0), false)), 0, 20)
	})
	t.Run("timestamp", func(t *testing.T) {
		// ids 12.. have timestamps >= 10012 in both partitions
		d := def(t, "id bigint", append(base, "scan.startup.mode", "timestamp",
			"scan.startup.timestamp-millis", "10012", "scan.bounded", "latest")...)
		wantRange(t, ids(t, drainAll(t, opened(t, d, nil, 0), false)), 12, 20)
		// after every record: start at the end, nothing to read
		d = def(t, "id bigint", append(base, "scan.startup.mode", "timestamp",
			"scan.startup.timestamp-millis", "99999", "scan.bounded", "latest")...)
		if rows := drainAll(t, opened(t, d, nil, 0), false); len(rows) != 0 {
			t.Errorf("rows %q, want none", rows)
		}
	})
	t.Run("latest", func(t *testing.T) {
		d := def(t, "id bigint", append(base, "scan.startup.mode", "latest")...)
		src := opened(t, d, nil, 0)
		fill(t, p, "s", 2, 20, 6, 20_000)
		wantRange(t, ids(t, readN(t, src, 6, false)), 20, 26)
	})
	t.Run("group-offsets", func(t *testing.T) {
		// The group committed offset 3 on partition 0 (ids 6, 8, ...) and
		// nothing on partition 1 (from its start: ids 1, 3, ...).
		commit(t, addr, "g1", "s", map[int32]int64{0: 3})
		d := def(t, "id bigint, kafka_partition int", append(base, "scan.startup.mode", "group-offsets",
			"properties.group.id", "g1", "scan.bounded", "latest")...)
		rows := drainAll(t, opened(t, d, nil, 0), false)
		var got []int
		for _, id := range ids(t, rows) {
			got = append(got, id)
		}
		var want []int
		for i := 0; i < 26; i++ {
			if i%2 == 1 || i >= 6 {
				want = append(want, i)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("ids %v, want %v", got, want)
		}
		// Reading never commits: the group's offsets are unchanged.
		if got := fetchCommitted(t, addr, "g1", "s"); fmt.Sprint(got) != "map[0:3]" {
			t.Errorf("group offsets after the run: %v, want map[0:3]", got)
		}
	})
}

// commit commits offsets for group, as an admin tool does.
func commit(t *testing.T, addr, group, topic string, offsets map[int32]int64) {
	t.Helper()
	// OffsetCommit v10+ names topics by id; commit by name, as Kafka 3.x.
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.MaxVersions(kversion.V3_9_0()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	req := kmsg.NewPtrOffsetCommitRequest()
	req.Group = group
	req.Generation = -1
	rt := kmsg.NewOffsetCommitRequestTopic()
	rt.Topic = topic
	for p, o := range offsets {
		rp := kmsg.NewOffsetCommitRequestTopicPartition()
		rp.Partition, rp.Offset = p, o
		rt.Partitions = append(rt.Partitions, rp)
	}
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(context.Background(), cl)
	if err != nil {
		t.Fatal(err)
	}
	for _, t2 := range resp.Topics {
		for _, p := range t2.Partitions {
			if err := kerr.ErrorForCode(p.ErrorCode); err != nil {
				t.Fatalf("commit %s/%d: %v", t2.Topic, p.Partition, err)
			}
		}
	}
}

// fetchCommitted reads group's committed offsets of topic.
func fetchCommitted(t *testing.T, addr, group, topic string) map[int32]int64 {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	got, err := groupOffsets(context.Background(), cl, group, []tp{{topic, 0}, {topic, 1}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[int32]int64{}
	for p, o := range got {
		out[p.part] = o
	}
	return out
}

// TestKafkaBoundedWhileProducing checks that scan.bounded = 'latest'
// stops at the end offsets of the start while a producer keeps writing.
func TestKafkaBoundedWhileProducing(t *testing.T) {
	addr := cluster(t, 3, "b")
	p := producer(t, addr)
	fill(t, p, "b", 3, 0, 300, 1000)
	d := def(t, "id bigint", "brokers", addr, "topic", "b", "format", "json", "scan.bounded", "latest")
	src := opened(t, d, nil, 16)
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 300; !stop.Load(); i++ {
			r := rec("b", int32(i%3), "", fmt.Sprintf(`{"id": %d}`, i), 0)
			if err := p.ProduceSync(context.Background(), r).FirstErr(); err != nil {
				return
			}
		}
	}()
	time.Sleep(20 * time.Millisecond) // the producer is writing past the end
	rows := drainAll(t, src, false)
	stop.Store(true)
	wg.Wait()
	wantRange(t, ids(t, rows), 0, 300)
}

// TestKafkaPositionSeek reads part of a topic, takes the position, and
// resumes a new source there: together they read everything exactly once.
func TestKafkaPositionSeek(t *testing.T) {
	addr := cluster(t, 3, "p")
	p := producer(t, addr)
	fill(t, p, "p", 3, 0, 600, 1000)
	base := []string{"brokers", addr, "topic", "p", "format", "json"}

	// unbounded: read 200 rows in batches of 50, resume, read the rest
	first := opened(t, def(t, "id bigint", base...), nil, 50)
	rows := readN(t, first, 200, false)
	pos, err := first.Position()
	if err != nil {
		t.Fatal(err)
	}
	first.Close()
	second := opened(t, def(t, "id bigint", base...), nil, 50)
	if err := second.Seek(pos); err != nil {
		t.Fatal(err)
	}
	rows = append(rows, readN(t, second, 400, false)...)
	wantRange(t, ids(t, rows), 0, 600)
	// nothing more arrives
	if b, err := second.Next(context.Background()); err != nil || b.Rec != nil {
		t.Fatalf("after everything: batch %v, err %v; want an empty batch", b.Rec, err)
	}

	// bounded: the restored source keeps the original end offsets even
	// though the topic grew meanwhile
	bounded := append(base, "scan.bounded", "latest")
	first = opened(t, def(t, "id bigint", bounded...), nil, 100)
	rows = readN(t, first, 100, false)
	pos, _ = first.Position()
	first.Close()
	fill(t, p, "p", 3, 600, 30, 1000)
	second = opened(t, def(t, "id bigint", bounded...), nil, 100)
	if err := second.Seek(pos); err != nil {
		t.Fatal(err)
	}
	wantRange(t, ids(t, append(rows, drainAll(t, second, false)...)), 0, 600)

	if err := second.Seek(pos); err == nil || !strings.Contains(err.Error(), "Seek after the first Next") {
		t.Errorf("Seek after Next: err %v", err)
	}
}

// TestKafkaPositionEncoding round-trips a position and rejects damaged ones.
func TestKafkaPositionEncoding(t *testing.T) {
	parts := []*partition{
		{topic: "a", id: 0, next: 0, end: -1},
		{topic: "bb", id: 7, next: 1 << 40, end: 1<<40 + 5},
		{topic: "a", id: 3, next: 12, end: 0},
	}
	pos := encodePosition(parts)
	got, err := decodePosition(pos)
	if err != nil {
		t.Fatal(err)
	}
	want := map[tp]savedOffsets{{"a", 0}: {0, -1}, {"bb", 7}: {1 << 40, 1<<40 + 5}, {"a", 3}: {12, 0}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("decoded %v, want %v", got, want)
	}
	for _, bad := range [][]byte{nil, {2}, pos[:len(pos)-1], append(append([]byte(nil), pos...), 0), {1, 1, 200}} {
		if _, err := decodePosition(bad); err == nil || !strings.HasPrefix(err.Error(), "kafka position: ") {
			t.Errorf("decode %v: err %v, want a kafka position error", bad, err)
		}
	}
}

// TestKafkaBadRecords checks that bad records go to errors_<source> with
// their topic/partition and offset, and that on_error = 'fail' stops.
func TestKafkaBadRecords(t *testing.T) {
	addr := cluster(t, 2, "e")
	p := producer(t, addr)
	produce(t, p,
		rec("e", 0, "", `{"id": 1}`, 0),
		rec("e", 0, "", `{"id": "x"}`, 0),
		rec("e", 1, "", `{"id": 2`, 0),
		rec("e", 1, "", null, 0),
		rec("e", 1, "", `{"id": 3}`, 0),
	)
	d := def(t, "id bigint not null", "brokers", addr, "topic", "e", "format", "json", "scan.bounded", "latest")
	errs := &fakesink.Errors{}
	rows := drainAll(t, opened(t, d, errs, 0), false)
	if got := fmt.Sprint(ids(t, rows)); got != "[1 3]" {
		t.Errorf("ids %s, want [1 3]", got)
	}
	got := errs.Lines()
	sort.Strings(got)
	want := []string{
		`e/0:1: column id: expected a number, got string "x"`,
		`e/1:0: line is not valid JSON: unexpected end of input at byte 9`,
		`e/1:1: record has a null value (a tombstone)`,
	}
	if join(got) != join(want) {
		t.Errorf("bad records:\n%s\nwant:\n%s", join(got), join(want))
	}
	for _, r := range errs.Recs {
		if r.Source != "src" {
			t.Errorf("bad record source %q", r.Source)
		}
	}

	d = def(t, "id bigint not null", "brokers", addr, "topic", "e", "format", "json", "scan.bounded", "latest", "on_error", "fail")
	src := opened(t, d, &fakesink.Errors{}, 0)
	var err error
	for err == nil {
		var b exec.Batch
		b, err = src.Next(context.Background())
		b.Release()
	}
	if !strings.Contains(err.Error(), "offset") || !strings.Contains(err.Error(), "source src: e/") {
		t.Errorf("on_error fail: err %v, want the first bad record", err)
	}
}

// TestKafkaCheck checks option errors and the option they name.
func TestKafkaCheck(t *testing.T) {
	for _, tc := range []struct {
		schema string
		opts   []string
		key    string // the option the error names
		want   string
	}{
		{"a bigint", []string{"topic", "t", "format", "json"}, "brokers", "option 'brokers' is required"},
		{"a bigint", []string{"brokers", "localhost", "topic", "t", "format", "json"}, "brokers", `broker "localhost" is not host:port`},
		{"a bigint", []string{"brokers", "h:1", "format", "json"}, "topic", "option 'topic' is required"},
		{"a bigint", []string{"brokers", "h:1", "topic", "a b", "format", "json"}, "topic", `"a b" is not a valid topic name`},
		{"a bigint", []string{"brokers", "h:1", "topic", "a,a", "format", "json"}, "topic", `topic "a" is listed twice`},
		{"a bigint", []string{"brokers", "h:1", "topic", "t"}, "format", "option 'format' is required"},
		{"a bigint", []string{"brokers", "h:1", "topic", "t", "format", "xml"}, "format", `unknown format "xml"`},
		{"a bigint", []string{"brokers", "h:1", "topic", "t", "format", "upsert-json"}, "format", "needs a PRIMARY KEY"},
		{"a bigint", []string{"brokers", "h:1", "topic", "t", "format", "json", "scan.startup.mode", "first"}, "scan.startup.mode", "want 'earliest', 'latest', 'group-offsets' or 'timestamp'"},
		{"a bigint", []string{"brokers", "h:1", "topic", "t", "format", "json", "scan.startup.mode", "group-offsets"}, "scan.startup.mode", "needs option 'properties.group.id'"},
		{"a bigint", []string{"brokers", "h:1", "topic", "t", "format", "json", "scan.startup.mode", "timestamp"}, "scan.startup.mode", "needs option 'scan.startup.timestamp-millis'"},
		{"a bigint", []string{"brokers", "h:1", "topic", "t", "format", "json", "scan.startup.mode", "timestamp", "scan.startup.timestamp-millis", "yesterday"}, "scan.startup.timestamp-millis", "want epoch milliseconds"},
		{"a bigint", []string{"brokers", "h:1", "topic", "t", "format", "json", "scan.startup.timestamp-millis", "5"}, "scan.startup.timestamp-millis", "applies only to 'scan.startup.mode' = 'timestamp'"},
		{"a bigint", []string{"brokers", "h:1", "topic", "t", "format", "json", "scan.bounded", "true"}, "scan.bounded", "want 'latest'"},
		{"a bigint", []string{"brokers", "h:1", "topic", "t", "format", "json", "properties.isolation.level", "dirty"}, "properties.isolation.level", "want 'read_committed' or 'read_uncommitted'"},
		{"a bigint", []string{"brokers", "h:1", "topic", "t", "format", "json", "on_error", "skip"}, "on_error", "want 'continue' or 'fail'"},
		{"a bigint", []string{"brokers", "h:1", "topic", "t", "format", "json", "group.id", "g"}, "group.id", "unknown option 'group.id'"},
		{"a bigint", []string{"brokers", "h:1", "topic", "t", "format", "json", "csv.null", "-"}, "csv.null", "applies only to format 'csv'"},
		{"a bigint", []string{"brokers", "h:1", "topic", "t", "format", "csv", "csv.delimiter", ";;"}, "csv.delimiter", "want a single character"},
		{"a bigint, kafka_offset int", []string{"brokers", "h:1", "topic", "t", "format", "json"}, "format", "metadata column kafka_offset must be BIGINT, not INT"},
		{"kafka_key varchar", []string{"brokers", "h:1", "topic", "t", "format", "json"}, "format", "only metadata columns"},
		{"a bigint, kafka_partition bigint, kafka_timestamp timestamp", []string{"properties.bootstrap.servers", "h:1,h:2", "topic", "t1,t2", "format", "json",
			"scan.startup.mode", "timestamp", "scan.startup.timestamp-millis", "1700000000000", "scan.bounded", "latest"}, "", ""},
		{"a bigint", []string{"brokers", "h:1", "topic", "t", "format", "csv", "csv.delimiter", "tab", "properties.group.id", "g",
			"scan.startup.mode", "group-offsets", "properties.isolation.level", "read_uncommitted"}, "", ""},
	} {
		err := exec.CheckSource(def(t, tc.schema, append([]string{"connector", "kafka"}, tc.opts...)...))
		if tc.want == "" {
			if err != nil {
				t.Errorf("%v: unexpected error %v", tc.opts, err)
			}
			continue
		}
		oe, ok := err.(*exec.OptionError)
		if !ok || !strings.Contains(err.Error(), tc.want) || !strings.EqualFold(oe.Key, tc.key) {
			t.Errorf("%v: error %#v, want an option error on %s containing %q", tc.opts, err, tc.key, tc.want)
		}
	}
	// an upsert key must be columns of the record
	d := def(t, "kafka_key varchar, a bigint", "brokers", "h:1", "topic", "t", "format", "upsert")
	d.PrimaryKey = []int{0}
	if err := exec.CheckSource(d); err == nil || !strings.Contains(err.Error(), "PRIMARY KEY column kafka_key is a metadata column") {
		t.Errorf("upsert key on a metadata column: err %v", err)
	}
}

// TestKafkaMissingTopic checks that opening a source of a topic that does
// not exist fails naming it (after the lookup's retries, shortened here).
func TestKafkaMissingTopic(t *testing.T) {
	addr := cluster(t, 1, "here")
	d := def(t, "a bigint", "brokers", addr, "topic", "here,gone", "format", "json")
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err := exec.OpenSource(ctx, d, exec.SourceEnv{})
	if err == nil || !strings.Contains(err.Error(), `topic "gone" does not exist`) {
		t.Fatalf("err %v, want the missing topic", err)
	}
}

// TestKafkaWatermark checks the per-partition watermark: the minimum over
// partitions, held back by a partition without rows until it is idle,
// never decreasing, and not held by a bounded partition at its end.
func TestKafkaWatermark(t *testing.T) {
	addr := cluster(t, 2, "w", "w2")
	p := producer(t, addr)
	d := def(t, "id bigint, kafka_timestamp timestamp", "brokers", addr, "topic", "w", "format", "json")
	d.Watermark = &catalog.Watermark{Column: 1, DelayMs: 1000}
	src := opened(t, d, nil, 0)
	if _, ok := src.Watermark(0); ok {
		t.Fatal("a watermark before any row")
	}
	const idle = 250 * time.Millisecond
	time.Sleep(idle + 50*time.Millisecond) // partition 1 is idle from now on
	produce(t, p, rec("w", 0, "", `{"id": 1}`, 50_000), rec("w", 0, "", `{"id": 2}`, 40_000))
	readN(t, src, 2, false)
	if wm, ok := src.Watermark(0); ok {
		t.Fatalf("watermark %d while partition 1 has no rows and is not idle", wm)
	}
	if wm, ok := src.Watermark(idle); !ok || wm != 49_000 {
		t.Fatalf("with partition 1 idle: watermark %d, %v; want 49000 (partition 0's 50000 - 1s)", wm, ok)
	}
	produce(t, p, rec("w", 1, "", `{"id": 3}`, 30_000))
	readN(t, src, 1, false)
	// partition 1 is slower, but the watermark never goes back
	if wm, ok := src.Watermark(0); !ok || wm != 49_000 {
		t.Fatalf("watermark %d, %v; want 49000 kept", wm, ok)
	}
	produce(t, p, rec("w", 1, "", `{"id": 4}`, 60_000), rec("w", 0, "", `{"id": 5}`, 55_000))
	readN(t, src, 2, false)
	if wm, ok := src.Watermark(0); !ok || wm != 54_000 {
		t.Fatalf("watermark %d, %v; want min(55000, 60000) - 1s = 54000", wm, ok)
	}

	// bounded: a partition at its end (here empty from the start) does
	// not hold the watermark
	d = def(t, "id bigint, ts timestamp", "brokers", addr, "topic", "w2", "format", "json", "scan.bounded", "latest")
	d.Watermark = &catalog.Watermark{Column: 1, DelayMs: 0}
	produce(t, p, rec("w2", 0, "", `{"id": 6, "ts": 70000}`, 0), rec("w2", 0, "", `{"id": 7, "ts": 80000}`, 0))
	src = opened(t, d, nil, 1)
	readN(t, src, 1, false)
	if wm, ok := src.Watermark(0); !ok || wm != 70_000 {
		t.Fatalf("bounded watermark %d, %v; want 70000 (partition 1 done)", wm, ok)
	}
}

// TestKafkaBrokerGone checks that a broker that goes away does not fail
// Next: franz-go retries in the background and Next returns empty batches.
func TestKafkaBrokerGone(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, "g"))
	if err != nil {
		t.Fatal(err)
	}
	addr := strings.Join(c.ListenAddrs(), ",")
	p := producer(t, addr)
	fill(t, p, "g", 1, 0, 10, 1000)
	src := opened(t, def(t, "id bigint", "brokers", addr, "topic", "g", "format", "json"), nil, 0)
	wantRange(t, ids(t, readN(t, src, 10, false)), 0, 10)
	c.Close()
	deadline := time.Now().Add(300 * time.Millisecond)
	for n := 0; n < 5 || time.Now().Before(deadline); n++ {
		b, err := src.Next(context.Background())
		if err != nil || b.Rec != nil {
			t.Fatalf("Next with the broker gone: rows %v, err %v; want an empty batch", b.Rec, err)
		}
	}
	if pos, err := src.Position(); err != nil || len(pos) == 0 {
		t.Fatalf("position with the broker gone: %v, %v", pos, err)
	}
}
