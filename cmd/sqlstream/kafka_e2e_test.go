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

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// kafkaAccount is one row of the Debezium-captured accounts table.
type kafkaAccount struct {
	id      int
	branch  string
	balance int64 // cents
}

func (a kafkaAccount) json() string {
	return fmt.Sprintf(`{"id": %d, "branch": %q, "balance": %d.%02d}`, a.id, a.branch, a.balance/100, a.balance%100)
}

const kafkaPipelineSQL = `
CREATE SOURCE accounts (id BIGINT NOT NULL, branch VARCHAR, balance DECIMAL(12,2))
  WITH (connector = 'kafka', brokers = '%s', topic = 'accounts', format = 'debezium-json',
        'scan.bounded' = 'latest');
CREATE MATERIALIZED VIEW accounts_v AS SELECT id, branch, balance FROM accounts;
CREATE MATERIALIZED VIEW by_branch AS
  SELECT branch, COUNT(*) AS n, SUM(balance) AS total FROM accounts GROUP BY branch;
`

// TestKafkaDebeziumEndToEnd produces a Debezium changelog of an accounts
// table to an in-process Kafka (3 partitions, keyed by id), runs the
// binary over it with scan.bounded = 'latest', and compares the views
// with DuckDB's answer over the table's final state.
func TestKafkaDebeziumEndToEnd(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(3, "accounts"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	addr := strings.Join(c.ListenAddrs(), ",")
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()

	rng := rand.New(rand.NewSource(5))
	branches := []string{"north", "south", "east", "west"}
	state := map[int]kafkaAccount{}
	var recs []*kgo.Record
	for i := 0; i < 3000; i++ {
		id := 1 + rng.Intn(200)
		old, exists := state[id]
		next := kafkaAccount{id: id, branch: branches[rng.Intn(len(branches))], balance: rng.Int63n(10_000_000)}
		var value string
		switch {
		case !exists:
			op := "c"
			if i%7 == 0 {
				op = "r"
			}
			value = fmt.Sprintf(`{"before": null, "after": %s, "op": %q}`, next.json(), op)
			state[id] = next
		case rng.Intn(10) < 7:
			value = fmt.Sprintf(`{"schema": {}, "payload": {"before": %s, "after": %s, "op": "u"}}`, old.json(), next.json())
			state[id] = next
		default:
			value = fmt.Sprintf(`{"before": %s, "after": null, "op": "d"}`, old.json())
			delete(state, id)
		}
		key := []byte(fmt.Sprintf(`{"id": %d}`, id))
		recs = append(recs, &kgo.Record{Topic: "accounts", Partition: int32(id % 3), Key: key, Value: []byte(value)})
		if value[2] == 'b' && strings.Contains(value, `"op": "d"`) {
			recs = append(recs, &kgo.Record{Topic: "accounts", Partition: int32(id % 3), Key: key}) // tombstone
		}
	}
	if err := cl.ProduceSync(context.Background(), recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	ids := make([]int, 0, len(state))
	for id := range state {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	var final strings.Builder
	for _, id := range ids {
		final.WriteString(state[id].json() + "\n")
	}
	for name, text := range map[string]string{
		"kafka.sql":   fmt.Sprintf(kafkaPipelineSQL, addr),
		"final.jsonl": final.String(),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(dir, "kafka.duckdb")
	if out, errOut, code := cli(t, "run", filepath.Join(dir, "kafka.sql"), "--db", db); code != 0 || out != "" || errOut != "" {
		t.Fatalf("run: exit %d, want 0 and no output on a non-terminal\nstdout: %q\nstderr: %q", code, out, errOut)
	}
	finalTable := fmt.Sprintf(`read_json('%s', format = 'newline_delimited',
		columns = {id: 'BIGINT', branch: 'VARCHAR', balance: 'DECIMAL(12,2)'})`, filepath.Join(dir, "final.jsonl"))
	for _, cmp := range []struct{ view, duck string }{
		{`SELECT id, branch, balance FROM accounts_v ORDER BY id`,
			`SELECT id, branch, balance FROM ` + finalTable + ` ORDER BY id`},
		{`SELECT branch, n, total FROM by_branch ORDER BY branch`,
			`SELECT branch, count(*) AS n, sum(balance) AS total FROM ` + finalTable + ` GROUP BY branch ORDER BY branch`},
	} {
		got, want := query(t, db, cmp.view), query(t, db, cmp.duck)
		if got != want {
			t.Errorf("%s:\n got:\n%s\nwant (DuckDB over the final state):\n%s", cmp.view, got, want)
		}
		if strings.Count(want, "\n") < 2 {
			t.Errorf("%s: DuckDB's answer %q is empty: the test proves nothing", cmp.duck, want)
		}
	}
	if got := query(t, db, `SELECT count(*) AS n FROM errors_accounts`); got != "n\n0\n" {
		t.Errorf("errors_accounts: %q, want no bad records", got)
	}
}
