package main

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

const kafkaSinkPipelineSQL = `
SET 'checkpoint.interval' = '5ms';
CREATE SOURCE txn (id BIGINT NOT NULL, branch VARCHAR, amount DECIMAL(12,2), ts TIMESTAMP(3))
  WITH (connector = 'file', path = 'txn.jsonl', format = 'json');
CREATE MATERIALIZED VIEW by_branch AS
  SELECT branch, COUNT(*) AS n, SUM(amount) AS total, MAX(ts) AS last_ts FROM txn GROUP BY branch;
CREATE SINK by_branch_out FROM by_branch
  WITH (connector = 'kafka', brokers = '%[1]s', topic = 'by_branch', format = 'debezium-json');
CREATE SINK big_out AS SELECT id, branch, amount, ts FROM txn WHERE amount > 900
  WITH (connector = 'kafka', brokers = '%[1]s', topic = 'big', format = 'json');
`

// TestKafkaSinkEndToEnd runs the binary on a file pipeline with two Kafka
// sinks on an in-process Kafka: an aggregate's changelog as debezium-json
// and a filtered append-only query as json. It reads both topics back
// read_committed: replaying the Debezium changelog (every update and
// delete must match the current row of its key, so no epoch is repeated)
// gives exactly the materialized view, and the json topic holds exactly
// DuckDB's answer over the input file.
func TestKafkaSinkEndToEnd(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(3, "by_branch", "big"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	addr := strings.Join(c.ListenAddrs(), ",")

	dir := t.TempDir()
	rng := rand.New(rand.NewSource(11))
	branches := []string{"north", "south", "east", "west", "center", `o"dd`}
	var in strings.Builder
	base := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for i := range 20000 {
		ts := base.Add(time.Duration(rng.Intn(86_400_000)) * time.Millisecond)
		fmt.Fprintf(&in, `{"id": %d, "branch": %q, "amount": %d.%02d, "ts": %q}`+"\n",
			i, branches[rng.Intn(len(branches))], rng.Intn(1000), rng.Intn(100), ts.Format("2006-01-02 15:04:05.000"))
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("txn.jsonl", in.String())
	pipeline := write("kafka_sink.sql", fmt.Sprintf(kafkaSinkPipelineSQL, addr))
	db := filepath.Join(dir, "kafka_sink.duckdb")
	if out, errOut, code := cli(t, "run", pipeline, "--db", db); code != 0 || out != "" || errOut != "" {
		t.Fatalf("run: exit %d, want 0 and no output on a non-terminal\nstdout: %q\nstderr: %q", code, out, errOut)
	}

	// Replay the Debezium changelog into the final rows per key.
	msgs := kafkaSinkRead(t, addr, "by_branch")
	state := replayDebezium(t, "by_branch", msgs)
	t.Logf("by_branch: %d Debezium messages", len(msgs))
	if len(state) != len(branches) || len(msgs) < len(branches) {
		t.Fatalf("%d messages replay into %d keys, want %d", len(msgs), len(state), len(branches))
	}
	var final []string
	for _, v := range state {
		final = append(final, v)
	}
	sort.Strings(final)
	finalPath := write("by_branch.jsonl", strings.Join(final, "\n")+"\n")
	sameRows(t, db, "by_branch from Kafka",
		`SELECT branch, n, CAST(total AS DECIMAL(38,2)), last_ts FROM by_branch`,
		fmt.Sprintf(`SELECT branch, n, CAST(total AS DECIMAL(38,2)), last_ts FROM read_json('%s', format = 'newline_delimited',
			columns = {branch: 'VARCHAR', n: 'BIGINT', total: 'DECIMAL(38,2)', last_ts: 'TIMESTAMP'})`, finalPath))

	var big strings.Builder
	for _, r := range kafkaSinkRead(t, addr, "big") {
		big.Write(r.Value)
		big.WriteByte('\n')
	}
	bigPath := write("big.jsonl", big.String())
	txnTable := fmt.Sprintf(`read_json('%s', format = 'newline_delimited',
		columns = {id: 'BIGINT', branch: 'VARCHAR', amount: 'DECIMAL(12,2)', ts: 'TIMESTAMP'})`, filepath.Join(dir, "txn.jsonl"))
	if got := query(t, db, "SELECT count(*) > 100 AS ok FROM "+txnTable+" WHERE amount > 900"); got != "ok\ntrue\n" {
		t.Fatalf("the filtered query is nearly empty: %q", got)
	}
	sameRows(t, db, "big from Kafka",
		fmt.Sprintf(`SELECT * FROM read_json('%s', format = 'newline_delimited',
			columns = {id: 'BIGINT', branch: 'VARCHAR', amount: 'DECIMAL(12,2)', ts: 'TIMESTAMP'})`, bigPath),
		"SELECT * FROM "+txnTable+" WHERE amount > 900")

	markers := kafkaSinkRead(t, addr, "by_branch.sqlstream-epochs")
	t.Logf("by_branch: %d epochs delivered", len(markers))
	if len(markers) == 0 || string(markers[len(markers)-1].Key) != "sqlstream-by_branch-by_branch_out" {
		t.Fatalf("by_branch markers %d, last key %q", len(markers), markers[len(markers)-1].Key)
	}
}

// kafkaSinkRead returns the data records of every partition of topic up
// to its high watermark, as a read_committed consumer sees them.
func kafkaSinkRead(t *testing.T, addr, topic string) []*kgo.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	meta := kmsg.NewPtrMetadataRequest()
	mt := kmsg.NewMetadataRequestTopic()
	mt.Topic = kmsg.StringPtr(topic)
	meta.Topics = append(meta.Topics, mt)
	mresp, err := meta.RequestWith(ctx, admin)
	if err != nil || len(mresp.Topics) != 1 || mresp.Topics[0].ErrorCode != 0 {
		t.Fatalf("metadata of %s: %v", topic, err)
	}
	lreq := kmsg.NewPtrListOffsetsRequest()
	lt := kmsg.NewListOffsetsRequestTopic()
	lt.Topic = topic
	for _, p := range mresp.Topics[0].Partitions {
		lp := kmsg.NewListOffsetsRequestTopicPartition()
		lp.Partition, lp.Timestamp = p.Partition, -1
		lt.Partitions = append(lt.Partitions, lp)
	}
	lreq.Topics = append(lreq.Topics, lt)
	lresp, err := lreq.RequestWith(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	ends := map[int32]int64{}
	parts := map[int32]kgo.Offset{}
	left := 0
	for _, rp := range lresp.Topics[0].Partitions {
		ends[rp.Partition] = rp.Offset
		parts[rp.Partition] = kgo.NewOffset().AtStart()
		if rp.Offset > 0 {
			left++
		}
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.KeepControlRecords(),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: parts}))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	var out []*kgo.Record
	for left > 0 {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("reading %s: %v", topic, ctx.Err())
		}
		fs.EachError(func(tp string, p int32, err error) { t.Fatalf("reading %s/%d: %v", tp, p, err) })
		fs.EachRecord(func(r *kgo.Record) {
			if r.Offset == ends[r.Partition]-1 {
				left--
			}
			if !r.Attrs.IsControl() && r.Offset < ends[r.Partition] {
				out = append(out, r)
			}
		})
	}
	return out
}
