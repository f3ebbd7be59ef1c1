package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestWindowAggregationMatchesDuckDB runs TUMBLE, HOP and SESSION
// aggregations over a JSON file source whose rows arrive out of order
// (within the watermark delay, so none is late) and checks each view
// against DuckDB's answer over the same rows, kept by a plain view of the
// source: each window exactly once, with its final aggregates.
func TestWindowAggregationMatchesDuckDB(t *testing.T) {
	dir := t.TempDir()
	type bid struct{ auction, price, ts int64 }
	r := rand.New(rand.NewPCG(4, 2))
	var bids []bid
	ts := int64(1_700_000_000_000)
	for i := 0; i < 3000; i++ {
		ts += int64(r.IntN(400))
		if r.IntN(100) == 0 {
			ts += 20_000 // a pause that ends sessions
		}
		bids = append(bids, bid{int64(1 + r.IntN(5)), int64(r.IntN(1000)), ts})
	}
	// Each row arrives up to 4s after its time; the watermark delay is 5s.
	arrival := make([]int64, len(bids))
	for i := range bids {
		arrival[i] = bids[i].ts + int64(r.IntN(4000))
	}
	order := make([]int, len(bids))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return arrival[order[a]] < arrival[order[b]] })
	var lines strings.Builder
	for _, i := range order {
		fmt.Fprintf(&lines, `{"auction": %d, "price": %d, "date_time": %d}`+"\n", bids[i].auction, bids[i].price, bids[i].ts)
	}
	if err := os.WriteFile(filepath.Join(dir, "bids.jsonl"), []byte(lines.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	pipeline := `
CREATE SOURCE bid (
  auction BIGINT, price BIGINT, date_time TIMESTAMP(3),
  WATERMARK FOR date_time AS date_time - INTERVAL 5 SECOND
) WITH (connector = 'file', path = 'bids.jsonl', format = 'json');
CREATE MATERIALIZED VIEW bids AS SELECT * FROM bid;
CREATE MATERIALIZED VIEW per_auction AS
  SELECT auction, window_start, window_end, COUNT(*) AS n, SUM(price) AS total, MAX(price) AS top
  FROM TUMBLE(bid, date_time, INTERVAL 10 SECOND)
  GROUP BY auction, window_start, window_end;
CREATE MATERIALIZED VIEW hopping AS
  SELECT window_start, window_end, COUNT(*) AS n, MIN(price) AS low
  FROM HOP(bid, date_time, INTERVAL 5 SECOND, INTERVAL 15 SECOND)
  GROUP BY window_start, window_end;
CREATE MATERIALIZED VIEW sessions AS
  SELECT auction, window_start, window_end, COUNT(*) AS n
  FROM SESSION(bid, date_time, INTERVAL 2 SECOND)
  GROUP BY auction, window_start, window_end;
`
	path := filepath.Join(dir, "windows.sql")
	if err := os.WriteFile(path, []byte(pipeline), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "windows.duckdb")
	mustCLI(t, "run", path, "--db", db, "--quiet")

	if got := query(t, db, "SELECT count(*) AS n FROM bids"); got != fmt.Sprintf("n\n%d\n", len(bids)) {
		t.Fatalf("bids holds %q, want all %d rows (none late)", got, len(bids))
	}
	const ms = "epoch_ms(date_time)"
	floor := func(size int) string { return fmt.Sprintf("(%[1]s - %[1]s %% %[2]d)", ms, size) }
	sameRows(t, db, "per_auction", "SELECT * FROM per_auction", fmt.Sprintf(
		`SELECT auction, epoch_ms(%[1]s), epoch_ms(%[1]s + 10000), count(*), sum(price), max(price)
		 FROM bids GROUP BY auction, %[1]s`, floor(10000)))
	sameRows(t, db, "hopping", "SELECT * FROM hopping", fmt.Sprintf(
		`SELECT epoch_ms(ws), epoch_ms(ws + 15000), count(*), min(price)
		 FROM (SELECT price, %s - r.i * 5000 AS ws FROM bids, range(0, 3) AS r(i)) GROUP BY ws`, floor(5000)))
	sameRows(t, db, "sessions", "SELECT * FROM sessions", fmt.Sprintf(
		`SELECT auction, epoch_ms(min(ms)), epoch_ms(max(ms) + 2000), count(*)
		 FROM (SELECT auction, ms, sum(fresh) OVER (PARTITION BY auction ORDER BY ms ROWS UNBOUNDED PRECEDING) AS sid
		       FROM (SELECT auction, %[1]s AS ms,
		                    CASE WHEN %[1]s - lag(%[1]s) OVER (PARTITION BY auction ORDER BY %[1]s) <= 2000 THEN 0 ELSE 1 END AS fresh
		             FROM bids))
		 GROUP BY auction, sid`, ms))
	if got := query(t, db, "SELECT count(*) > 100 AS ok FROM per_auction"); got != "ok\ntrue\n" {
		t.Errorf("per_auction has few windows: %q", got)
	}
}
