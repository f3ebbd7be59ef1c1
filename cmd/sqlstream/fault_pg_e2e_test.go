package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// faultPGPipeline generates a retail accounts changelog (openings,
// balance and status changes, closures) at a rate that makes a run last
// about four seconds, and sinks the accounts and an aggregate of them
// into PostgreSQL, checkpointing every 20ms. %[1]s is the DSN (with an
// application_name naming the sinks' connections), %[2]s the prefix of
// the tables.
const faultPGPipeline = `
SET 'checkpoint.interval' = '20ms';
CREATE SOURCE account (account_id BIGINT, customer_id BIGINT, product VARCHAR, balance DECIMAL(18,2), status VARCHAR,
  PRIMARY KEY (account_id)
) WITH (connector = 'datagen', generator = 'retail', kind = 'account', rows = '40000', rate = '10000');
CREATE MATERIALIZED VIEW accounts AS SELECT account_id, customer_id, product, balance, status FROM account;
CREATE MATERIALIZED VIEW by_product AS
  SELECT product, status, COUNT(*) AS n, SUM(balance) AS total FROM account GROUP BY product, status;
CREATE SINK pg_accounts FROM accounts WITH (connector = 'postgres', dsn = '%[1]s',
  table = '%[2]s_accounts', 'sink.create-table' = 'true', 'sink.epoch-table' = '%[2]s_epochs');
CREATE SINK pg_by_product FROM by_product WITH (connector = 'postgres', dsn = '%[1]s',
  table = '%[2]s_by_product', 'sink.create-table' = 'true', 'sink.epoch-table' = '%[2]s_epochs');
`

// TestFaultPGBackendTerminated runs the binary with two PostgreSQL sinks
// and, while it runs, terminates the sinks' server connections (found by
// their application_name) every 400ms. The run must recover (retry log
// lines on stderr), exit 0, and leave both tables equal to their views.
func TestFaultPGBackendTerminated(t *testing.T) {
	pg := e2ePostgres(t)
	ctx := context.Background()
	tag := fmt.Sprintf("fault_pg_%d", time.Now().UnixNano()%1_000_000_000)
	t.Cleanup(func() {
		for _, tbl := range []string{"_accounts", "_by_product", "_epochs"} {
			if _, err := pg.Exec(context.Background(), "DROP TABLE IF EXISTS "+tag+tbl); err != nil {
				t.Errorf("drop %s: %v", tag+tbl, err)
			}
		}
	})
	dir := t.TempDir()
	path := filepath.Join(dir, "fault.sql")
	text := fmt.Sprintf(faultPGPipeline, e2ePGDSN+"?application_name="+tag, tag)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "fault.duckdb")

	cmd := exec.Command(bin, "run", path, "--db", db, "--quiet")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// Even rounds terminate every sink connection, mostly idle between
	// epochs; odd rounds poll for one inside a transaction (an epoch's
	// COPY, merge or commit) for up to 300ms and terminate it there.
	terminated, busy, rounds := 0, 0, 0
	terminate := func(states string) int {
		var n int
		err := pg.QueryRow(ctx, `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
			WHERE datname = 'test' AND pid <> pg_backend_pid() AND application_name = $1 AND state LIKE $2) t WHERE ok`,
			tag, states).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	tick := time.NewTicker(400 * time.Millisecond)
	defer tick.Stop()
	var runErr error
wait:
	for {
		select {
		case runErr = <-done:
			break wait
		case <-tick.C:
			if rounds == 6 {
				continue
			}
			rounds++
			if rounds%2 == 0 {
				terminated += terminate("%")
				continue
			}
			for deadline := time.Now().Add(300 * time.Millisecond); time.Now().Before(deadline); {
				if n := terminate("idle in transaction%") + terminate("active"); n > 0 {
					terminated += n
					busy += n
					break
				}
			}
		}
	}
	t.Logf("run: %s, %d backends terminated (%d inside a transaction) in %d rounds", time.Since(start), terminated, busy, rounds)
	log := stderr.String()
	if runErr != nil {
		t.Fatalf("run: %v\n%s", runErr, log)
	}
	if terminated < 3 {
		t.Fatalf("only %d sink connections were terminated during the run: the test did not exercise recovery\n%s", terminated, log)
	}
	if !strings.Contains(log, "; retrying in ") || !strings.Contains(log, "succeeded after ") {
		t.Errorf("stderr lacks the retry and recovery lines:\n%s", log)
	}
	t.Logf("stderr:\n%s", log)

	for _, cmp := range []struct{ name, pg, view string }{
		{"accounts",
			`SELECT account_id, customer_id, product, balance, status FROM %s_accounts ORDER BY account_id`,
			`SELECT account_id, customer_id, product, balance, status FROM accounts ORDER BY account_id`},
		{"by_product",
			`SELECT product, status, n, total FROM %s_by_product ORDER BY product COLLATE "C", status COLLATE "C"`,
			`SELECT product, status, n, total FROM by_product ORDER BY product, status`},
	} {
		want := query(t, db, cmp.view)
		want = want[strings.Index(want, "\n")+1:]
		if strings.Count(want, "\n") < 5 {
			t.Fatalf("%s: the view is nearly empty: %q", cmp.name, want)
		}
		got := strings.Join(pgRows(t, pg, fmt.Sprintf(cmp.pg, tag)), "\n") + "\n"
		sameLines(t, "postgres "+cmp.name+" vs the view", got, want)
	}
}
