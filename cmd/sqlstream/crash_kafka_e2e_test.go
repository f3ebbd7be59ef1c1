package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// crashKafkaPipeline reads two Debezium changelogs from Kafka up to the
// offsets that were latest at start, aggregates one (HashAgg's state),
// joins both (Join's state), and sinks the aggregate into PostgreSQL and
// the join's changelog into a Kafka topic as debezium-json (exactly-once
// through transactions). %[1]s is the brokers, %[2]s the PostgreSQL DSN,
// %[3]s the sink table (its epoch table is %[3]s_epochs), %[4]s the
// output topic.
const crashKafkaPipeline = `
SET 'checkpoint.interval' = '50ms';
CREATE SOURCE accounts (id BIGINT NOT NULL, customer_id BIGINT, branch VARCHAR, balance DECIMAL(12,2), PRIMARY KEY (id))
  WITH (connector = 'kafka', brokers = '%[1]s', topic = 'accounts', format = 'debezium-json', 'scan.bounded' = 'latest');
CREATE SOURCE customers (customer_id BIGINT NOT NULL, name VARCHAR, region VARCHAR, PRIMARY KEY (customer_id))
  WITH (connector = 'kafka', brokers = '%[1]s', topic = 'customers', format = 'debezium-json', 'scan.bounded' = 'latest');
CREATE MATERIALIZED VIEW by_branch AS
  SELECT branch, COUNT(*) AS n, SUM(balance) AS total, MAX(balance) AS top FROM accounts GROUP BY branch;
CREATE MATERIALIZED VIEW account_owner AS
  SELECT a.id, a.balance, c.customer_id, c.name, c.region
  FROM accounts a JOIN customers c ON a.customer_id = c.customer_id;
CREATE SINK pg_by_branch FROM by_branch WITH (connector = 'postgres', dsn = '%[2]s',
  table = '%[3]s', 'sink.create-table' = 'true', 'sink.epoch-table' = '%[3]s_epochs');
CREATE SINK owner_out FROM account_owner
  WITH (connector = 'kafka', brokers = '%[1]s', topic = '%[4]s', format = 'debezium-json');
`

// crashKafkaViews are the DuckDB tables compared, each rendered sorted.
var crashKafkaViews = map[string]string{
	"by_branch":        "SELECT * FROM by_branch ORDER BY ALL",
	"account_owner":    "SELECT * FROM account_owner ORDER BY ALL",
	"errors_accounts":  "SELECT count(*) AS n FROM errors_accounts",
	"errors_customers": "SELECT count(*) AS n FROM errors_customers",
}

// produceDebezium produces a Debezium changelog of changes to a table of
// ids rows (creates, updates with their before-images, deletes followed
// by tombstones) to topic, keyed {"id": n} and partitioned by id. row
// renders the row of an id with a random value drawn from r.
func produceDebezium(t *testing.T, cl *kgo.Client, r *rand.Rand, topic, keyCol string, partitions, ids, changes int, row func(id int) string) {
	t.Helper()
	live := map[int]string{}
	recs := make([]*kgo.Record, 0, changes+changes/5)
	for i := 0; i < changes; i++ {
		id := 1 + r.IntN(ids)
		old, ok := live[id]
		key := []byte(fmt.Sprintf(`{%q: %d}`, keyCol, id))
		p := int32(id % partitions)
		var value string
		deleted := false
		switch {
		case !ok:
			next := row(id)
			value = fmt.Sprintf(`{"before": null, "after": %s, "op": "c"}`, next)
			live[id] = next
		case r.IntN(6) == 0:
			value = fmt.Sprintf(`{"before": %s, "after": null, "op": "d"}`, old)
			delete(live, id)
			deleted = true
		default:
			next := row(id)
			value = fmt.Sprintf(`{"before": %s, "after": %s, "op": "u"}`, old, next)
			live[id] = next
		}
		recs = append(recs, &kgo.Record{Topic: topic, Partition: p, Key: key, Value: []byte(value)})
		if deleted {
			recs = append(recs, &kgo.Record{Topic: topic, Partition: p, Key: key}) // tombstone
		}
	}
	if err := cl.ProduceSync(context.Background(), recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// TestCrashKafkaRecovery runs a Kafka → DuckDB/PostgreSQL/Kafka pipeline
// once uninterrupted (into db A, PostgreSQL table A, topic A), then into
// db B, table B and topic B with 3–5 SIGKILLs at random points and a
// restart after each (crashRuns), then to completion. kfake runs in the
// test process, so the brokers outlive every killed run. Every view, the
// two PostgreSQL tables and the two topics (read_committed, replayed into
// the final row of each key, with every update and delete matching the
// key's current row: no epoch delivered twice or lost) must be equal, and
// equal to the views.
func TestCrashKafkaRecovery(t *testing.T) {
	pg := e2ePostgres(t)
	c, err := kfake.NewCluster(kfake.NumBrokers(1),
		kfake.SeedTopics(4, "accounts"), kfake.SeedTopics(3, "customers", "owner_a", "owner_b"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	addr := strings.Join(c.ListenAddrs(), ",")
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...), kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.ProducerBatchMaxBytes(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()

	data := rand.New(rand.NewPCG(3, 4))
	branches := []string{"north", "south", "east", "west", "center"}
	regions := []string{"emea", "apac", "amer"}
	produceDebezium(t, cl, data, "accounts", "id", 4, 40_000, 320_000, func(id int) string {
		return fmt.Sprintf(`{"id": %d, "customer_id": %d, "branch": %q, "balance": %d.%02d}`,
			id, 1+data.IntN(6000), branches[data.IntN(len(branches))], data.IntN(100_000), data.IntN(100))
	})
	produceDebezium(t, cl, data, "customers", "customer_id", 3, 6000, 60_000, func(id int) string {
		return fmt.Sprintf(`{"customer_id": %d, "name": "n%d-%d", "region": %q}`, id, id, data.IntN(1000), regions[data.IntN(len(regions))])
	})

	dir := t.TempDir()
	tag := fmt.Sprintf("crash_kafka_%d", time.Now().UnixNano()%1_000_000_000)
	t.Cleanup(func() {
		for _, s := range []string{"a", "b"} {
			for _, tbl := range []string{tag + "_" + s, tag + "_" + s + "_epochs"} {
				if _, err := pg.Exec(context.Background(), "DROP TABLE IF EXISTS "+tbl); err != nil {
					t.Errorf("drop %s: %v", tbl, err)
				}
			}
		}
	})
	pipeline := func(s string) string {
		p := filepath.Join(dir, s+".sql")
		text := fmt.Sprintf(crashKafkaPipeline, addr, e2ePGDSN, tag+"_"+s, "owner_"+s)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}

	dbA := filepath.Join(dir, "a.duckdb")
	start := time.Now()
	mustCLI(t, "run", pipeline("a"), "--db", dbA, "--quiet")
	full := time.Since(start)
	t.Logf("uninterrupted run: %s", full)

	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	dbB := filepath.Join(dir, "b.duckdb")
	crashRuns(t, rand.New(rand.NewPCG(seed, 7)), full, pipeline("b"), dbB)

	for view, q := range crashKafkaViews {
		want := query(t, dbA, q)
		if view == "by_branch" || view == "account_owner" {
			if strings.Count(want, "\n") < 3 {
				t.Fatalf("%s: the reference is nearly empty: %q", view, want)
			}
		} else if want != "n\n0\n" {
			t.Errorf("%s: the reference holds bad records: %q", view, want)
		}
		sameLines(t, view+" (db B vs db A)", query(t, dbB, q), want)
	}

	// PostgreSQL: B's table equals A's, and both equal the view.
	pgTable := func(s string) string {
		return strings.Join(pgRows(t, pg, fmt.Sprintf(
			`SELECT branch, n, total, top FROM %s_%s ORDER BY branch COLLATE "C"`, tag, s)), "\n") + "\n"
	}
	view := query(t, dbA, "SELECT branch, n, total, top FROM by_branch ORDER BY branch")
	view = view[strings.Index(view, "\n")+1:]
	sameLines(t, "postgres table A vs the view", pgTable("a"), view)
	sameLines(t, "postgres table B vs A", pgTable("b"), pgTable("a"))

	// Kafka: both topics replay into the same rows, which are the view's.
	msgsA, msgsB := kafkaSinkRead(t, addr, "owner_a"), kafkaSinkRead(t, addr, "owner_b")
	finalA, finalB := replayDebezium(t, "owner_a", msgsA), replayDebezium(t, "owner_b", msgsB)
	t.Logf("owner_a: %d messages into %d rows; owner_b: %d messages into %d rows", len(msgsA), len(finalA), len(msgsB), len(finalB))
	rows := func(m map[string]string) string {
		var out []string
		for k, v := range m {
			out = append(out, k+" "+v)
		}
		slices.Sort(out)
		return strings.Join(out, "\n") + "\n"
	}
	sameLines(t, "topic owner_b vs owner_a (final rows per key)", rows(finalB), rows(finalA))
	var final strings.Builder
	for _, v := range finalA {
		final.WriteString(v + "\n")
	}
	finalPath := filepath.Join(dir, "owner_a.jsonl")
	if err := os.WriteFile(finalPath, []byte(final.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	sameRows(t, dbA, "topic owner_a vs account_owner", "SELECT * FROM account_owner",
		fmt.Sprintf(`SELECT * FROM read_json('%s', format = 'newline_delimited',
			columns = {id: 'BIGINT', balance: 'DECIMAL(12,2)', customer_id: 'BIGINT', name: 'VARCHAR', region: 'VARCHAR'})`, finalPath))
}

// sameLines fails the test unless got and want hold the same lines (both
// sorted), showing up to five lines found only in each.
func sameLines(t *testing.T, what, got, want string) {
	t.Helper()
	if got == want {
		return
	}
	count := func(s string) map[string]int {
		m := map[string]int{}
		for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
			m[l]++
		}
		return m
	}
	g, w := count(got), count(want)
	only := func(a, b map[string]int) []string {
		var out []string
		for l, n := range a {
			for i := b[l]; i < n && len(out) < 5; i++ {
				out = append(out, l)
			}
		}
		slices.Sort(out)
		return out
	}
	t.Errorf("%s: %d vs %d lines\nonly in the first:\n  %s\nonly in the second:\n  %s", what,
		strings.Count(got, "\n"), strings.Count(want, "\n"),
		strings.Join(only(g, w), "\n  "), strings.Join(only(w, g), "\n  "))
}
