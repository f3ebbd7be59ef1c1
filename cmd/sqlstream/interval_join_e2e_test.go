package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// intervalJoinPipeline joins two JSON file sources with WATERMARKs by
// interval joins of every type into materialized views. all_orders and
// all_payments keep the rows each source delivered, so DuckDB can answer
// the same joins over them.
const intervalJoinPipeline = `
CREATE SOURCE orders (id BIGINT, customer BIGINT, amount BIGINT, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL 3 SECOND
) WITH (connector = 'file', path = 'orders.jsonl', format = 'json');
CREATE SOURCE payments (pid BIGINT, customer BIGINT, paid BIGINT, method VARCHAR, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL 1 SECOND
) WITH (connector = 'file', path = 'payments.jsonl', format = 'json');
CREATE MATERIALIZED VIEW all_orders AS SELECT * FROM orders;
CREATE MATERIALIZED VIEW all_payments AS SELECT * FROM payments;
CREATE MATERIALIZED VIEW paid_inner AS
  SELECT o.id, o.amount, p.pid, p.paid, o.ts AS ordered, p.ts AS paid_at
  FROM orders o JOIN payments p
  ON o.customer = p.customer AND p.ts BETWEEN o.ts - INTERVAL 2 SECOND AND o.ts + INTERVAL 5 SECOND;
CREATE MATERIALIZED VIEW paid_left AS
  SELECT o.id, p.pid, p.method
  FROM orders o LEFT JOIN payments p
  ON o.customer = p.customer AND p.ts > o.ts AND p.ts <= o.ts + INTERVAL 4 SECOND AND p.paid >= o.amount;
CREATE MATERIALIZED VIEW paid_right AS
  SELECT o.id, p.pid, UPPER(p.method) AS method
  FROM orders o RIGHT JOIN payments p
  ON o.customer = p.customer AND o.ts BETWEEN p.ts - INTERVAL 3 SECOND AND p.ts;
CREATE MATERIALIZED VIEW paid_full AS
  SELECT o.id, p.pid, o.customer AS oc, p.customer AS pc
  FROM orders o FULL JOIN payments p
  ON o.customer + 1 = p.customer + 1 AND p.ts BETWEEN o.ts + INTERVAL 1 SECOND AND o.ts + INTERVAL 2 SECOND;
`

// intervalJoinDuck are DuckDB's answers over the delivered rows, by view.
var intervalJoinDuck = map[string]string{
	"paid_inner": `SELECT o.id, o.amount, p.pid, p.paid, o.ts, p.ts FROM all_orders o JOIN all_payments p
		ON o.customer = p.customer AND p.ts BETWEEN o.ts - INTERVAL 2 SECOND AND o.ts + INTERVAL 5 SECOND`,
	"paid_left": `SELECT o.id, p.pid, p.method FROM all_orders o LEFT JOIN all_payments p
		ON o.customer = p.customer AND p.ts > o.ts AND p.ts <= o.ts + INTERVAL 4 SECOND AND p.paid >= o.amount`,
	"paid_right": `SELECT o.id, p.pid, UPPER(p.method) FROM all_orders o RIGHT JOIN all_payments p
		ON o.customer = p.customer AND o.ts BETWEEN p.ts - INTERVAL 3 SECOND AND p.ts`,
	"paid_full": `SELECT o.id, p.pid, o.customer, p.customer FROM all_orders o FULL JOIN all_payments p
		ON o.customer + 1 = p.customer + 1 AND p.ts BETWEEN o.ts + INTERVAL 1 SECOND AND o.ts + INTERVAL 2 SECOND`,
}

// intervalJoinRows writes n JSON lines of a source whose event times run
// 0-400 ms apart and arrive up to delay ms out of order (never behind the
// watermark), with some NULL customers and times.
func intervalJoinRows(r *rand.Rand, n int, delay int64, line func(i int, customer, ts string) string) string {
	var b strings.Builder
	clock := int64(1_714_000_000_000)
	for i := 0; i < n; i++ {
		clock += int64(r.IntN(5)) * 100
		customer, ts := fmt.Sprint(r.IntN(12)), fmt.Sprint(clock-int64(r.IntN(int(delay/100)))*100)
		if r.IntN(30) == 0 {
			customer = "null"
		}
		if r.IntN(40) == 0 {
			ts = "null"
		}
		b.WriteString(line(i, customer, ts) + "\n")
	}
	return b.String()
}

// TestIntervalJoinMatchesDuckDB runs interval joins of every type over two
// out-of-order file sources and checks each view against DuckDB's join of
// the delivered rows, and that no row was late.
func TestIntervalJoinMatchesDuckDB(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(4, 4))
	orders := intervalJoinRows(r, 1500, 3000, func(i int, customer, ts string) string {
		return fmt.Sprintf(`{"id": %d, "customer": %s, "amount": %d, "ts": %s}`, i, customer, r.IntN(100), ts)
	})
	payments := intervalJoinRows(r, 1500, 1000, func(i int, customer, ts string) string {
		return fmt.Sprintf(`{"pid": %d, "customer": %s, "paid": %d, "method": %q, "ts": %s}`,
			i, customer, r.IntN(100), []string{"card", "cash", "wire"}[r.IntN(3)], ts)
	})
	for name, text := range map[string]string{
		"orders.jsonl": orders, "payments.jsonl": payments, "p.sql": intervalJoinPipeline,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(dir, "iv.duckdb")
	explain := mustCLI(t, "explain", filepath.Join(dir, "p.sql"))
	if n := strings.Count(explain, "interval join "); n != 4 {
		t.Fatalf("explain shows %d interval joins, want 4:\n%s", n, explain)
	}
	mustCLI(t, "run", filepath.Join(dir, "p.sql"), "--db", db, "--quiet")
	if got := query(t, db, "SELECT (SELECT count(*) FROM all_orders) AS o, (SELECT count(*) FROM all_payments) AS p"); got != "o,p\n1500,1500\n" {
		t.Fatalf("delivered rows: %q, want every row (none late)", got)
	}
	for view, duck := range intervalJoinDuck {
		sameRows(t, db, view, "SELECT * FROM "+view, duck)
		got := query(t, db, "SELECT count(*) > 100 AS ok FROM "+view)
		if got != "ok\ntrue\n" {
			t.Errorf("%s has too few rows to prove anything: %q", view, got)
		}
	}
	// Outer joins padded the rows that found no partner.
	for view, cond := range map[string]string{"paid_left": "pid IS NULL", "paid_right": "id IS NULL", "paid_full": "id IS NULL OR pid IS NULL"} {
		if got := query(t, db, "SELECT count(*) > 10 AS ok FROM "+view+" WHERE "+cond); got != "ok\ntrue\n" {
			t.Errorf("%s: too few NULL-padded rows: %q", view, got)
		}
	}
}
