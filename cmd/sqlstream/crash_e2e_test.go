package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// crashPipeline reads a debezium-json changelog of customers and a JSON
// file of orders (with a few bad records). Every view is checked against
// an uninterrupted run after the process was SIGKILLed several times:
//
//   - big_orders: filter + project of an append-only source (stateless);
//   - customers: the CDC changelog applied by key (stateless: the view
//     writer nets it);
//   - region_totals: GROUP BY over the changelog (HashAgg's Checkpointer);
//   - order_regions: join of orders and the changelog (Join's
//     Checkpointer).
//
// errors_orders must hold each bad record once.
const crashPipeline = `
SET 'checkpoint.interval' = '30ms';
CREATE SOURCE customer (customer_id BIGINT NOT NULL, name VARCHAR, region VARCHAR, balance BIGINT,
  PRIMARY KEY (customer_id)
) WITH (connector = 'file', path = 'customer.jsonl', format = 'debezium-json');
CREATE SOURCE orders (id BIGINT, customer_id BIGINT, amount BIGINT)
  WITH (connector = 'file', path = 'orders.jsonl', format = 'json');
CREATE MATERIALIZED VIEW big_orders AS
  SELECT id, customer_id, amount * 2 AS doubled FROM orders WHERE amount > 50;
CREATE MATERIALIZED VIEW customers AS
  SELECT customer_id, UPPER(name) AS name, region, balance FROM customer;
CREATE MATERIALIZED VIEW region_totals AS
  SELECT region, COUNT(*) AS n, SUM(balance) AS total, MAX(balance) AS top FROM customer GROUP BY region;
CREATE MATERIALIZED VIEW order_regions AS
  SELECT o.id, o.amount, c.name, c.region FROM orders o JOIN customer c ON o.customer_id = c.customer_id;
`

// crashViews are the views compared, each with the query that renders it.
var crashViews = map[string]string{
	"big_orders":    "SELECT * FROM big_orders ORDER BY ALL",
	"customers":     "SELECT * FROM customers ORDER BY ALL",
	"region_totals": "SELECT * FROM region_totals ORDER BY ALL",
	"order_regions": "SELECT * FROM order_regions ORDER BY ALL",
	"errors_orders": "SELECT source, file, line, reason, raw FROM errors_orders ORDER BY ALL",
}

// crashInput writes the customer changelog (creates, updates with their
// before-images, deletes) of ids customers and the orders.
func crashInput(t *testing.T, dir string, r *rand.Rand, ids, changes, orders int) {
	t.Helper()
	type cust struct {
		name, region string
		balance      int
	}
	live := map[int]cust{}
	regions := []string{"north", "south", "east", "west"}
	row := func(id int, c cust) string {
		return fmt.Sprintf(`{"customer_id": %d, "name": "c%d-%s", "region": "%s", "balance": %d}`, id, id, c.name, c.region, c.balance)
	}
	var cb strings.Builder
	for i := 0; i < changes; i++ {
		id := r.IntN(ids)
		old, ok := live[id]
		next := cust{name: fmt.Sprint(r.IntN(100)), region: regions[r.IntN(len(regions))], balance: r.IntN(10000)}
		switch {
		case !ok:
			fmt.Fprintf(&cb, `{"before": null, "after": %s, "op": "c"}`+"\n", row(id, next))
			live[id] = next
		case r.IntN(5) == 0:
			fmt.Fprintf(&cb, `{"before": %s, "after": null, "op": "d"}`+"\n", row(id, old))
			delete(live, id)
		default:
			fmt.Fprintf(&cb, `{"before": %s, "after": %s, "op": "u"}`+"\n", row(id, old), row(id, next))
			live[id] = next
		}
	}
	var ob strings.Builder
	for i := 0; i < orders; i++ {
		if r.IntN(20000) == 0 {
			fmt.Fprintf(&ob, `{"id": %d, "customer_id": "x%d"}`+"\n", i, i) // a bad record
			continue
		}
		fmt.Fprintf(&ob, `{"id": %d, "customer_id": %d, "amount": %d}`+"\n", i, r.IntN(ids), r.IntN(100))
	}
	for name, text := range map[string]string{"customer.jsonl": cb.String(), "orders.jsonl": ob.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCrashRecovery runs the pipeline once uninterrupted, then again on
// another file with SIGKILLs at random moments (restarting the same
// command after each, see crashRuns), then to completion: every view must
// be equal.
func TestCrashRecovery(t *testing.T) {
	dir := t.TempDir()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 5))
	crashInput(t, dir, rand.New(rand.NewPCG(1, 2)), 8000, 40_000, 400_000)
	path := filepath.Join(dir, "p.sql")
	if err := os.WriteFile(path, []byte(crashPipeline), 0o644); err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(dir, "ref.duckdb")
	start := time.Now()
	mustCLI(t, "run", path, "--db", ref, "--quiet")
	full := time.Since(start)
	t.Logf("uninterrupted run: %s", full)

	db := filepath.Join(dir, "crash.duckdb")
	crashRuns(t, r, full, path, db)
	for view, q := range crashViews {
		want := query(t, ref, q)
		if strings.Count(want, "\n") < 2 {
			t.Fatalf("%s: the reference is empty", view)
		}
		if got := query(t, db, q); got != want {
			t.Errorf("%s differs from the uninterrupted run (%d vs %d lines)", view, strings.Count(got, "\n"), strings.Count(want, "\n"))
		}
	}
}

// resumePipeline generates 20000 rows at 10000 rows/s, so a run lasts two
// seconds and a kill after a fraction of that interrupts it after some
// checkpoints; %d is the divisor of the rows it keeps.
const resumePipeline = `
SET 'checkpoint.interval' = '30ms';
CREATE SOURCE s (seq BIGINT, ts TIMESTAMP(3))
  WITH (connector = 'datagen', generator = 'sequence', rows = '20000', rate = '10000');
CREATE MATERIALIZED VIEW kept AS SELECT seq, ts FROM s WHERE seq %% %d = 0;
`

// TestRunResumeAndReset checks the CLI around a checkpoint: a finished run
// starts over, an interrupted one resumes (the datagen source from its
// count), another pipeline on an interrupted file is refused until
// --reset.
func TestRunResumeAndReset(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.sql")
	other := filepath.Join(dir, "other.sql")
	if err := os.WriteFile(path, []byte(fmt.Sprintf(resumePipeline, 2)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, []byte(fmt.Sprintf(resumePipeline, 3)), 0o644); err != nil {
		t.Fatal(err)
	}
	const kept = "SELECT count(*) AS n, count(DISTINCT seq) AS d, min(seq) AS lo, max(seq) AS hi FROM kept"
	db := filepath.Join(dir, "x.duckdb")
	// A run to the end leaves nothing to resume: the next run starts over.
	for i := 0; i < 2; i++ {
		if out, errOut, code := cli(t, "run", path, "--db", db); code != 0 || out != "" || errOut != "" {
			t.Fatalf("run %d: exit %d, stdout %q, stderr %q", i, code, out, errOut)
		}
		if got := query(t, db, kept); got != "n,d,lo,hi\n10000,10000,0,19998\n" {
			t.Fatalf("run %d: kept holds %q", i, got)
		}
	}

	// Interrupt a run (with --reset, which changes nothing here) after
	// some checkpoints.
	cmd := exec.Command(bin, "run", path, "--db", db, "--quiet", "--reset")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	_, errOut, code := cli(t, "run", other, "--db", db)
	if code == 0 || !strings.Contains(errOut, "was written by a different pipeline (plan changed); run with --reset to start over") {
		t.Fatalf("another pipeline on an interrupted checkpoint: exit %d\n%s", code, errOut)
	}
	_, errOut, code = cli(t, "run", path, "--db", db)
	if code != 0 || !strings.HasPrefix(errOut, "resuming "+path+" from epoch ") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("resume: exit %d, stderr %q", code, errOut)
	}
	if got := query(t, db, kept); got != "n,d,lo,hi\n10000,10000,0,19998\n" {
		t.Errorf("after the resumed run kept holds %q", got)
	}
	if _, errOut, code = cli(t, "run", other, "--db", db, "--reset"); code != 0 || errOut != "" {
		t.Fatalf("--reset: exit %d, stderr %q", code, errOut)
	}
	if got := query(t, db, kept); got != "n,d,lo,hi\n6667,6667,0,19998\n" {
		t.Errorf("after --reset kept holds %q, want the other pipeline's rows", got)
	}
}
