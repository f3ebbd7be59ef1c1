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

// TestWindowOverViewMatchesDuckDB windows append-only materialized views:
// TUMBLE over a filtered view of a source, and TUMBLE over the window_end
// of a windowed view (a second level, EMIT ON WINDOW CLOSE). The view
// scans carry the views' event-time columns and their watermarks, so the
// windows close; each view must equal DuckDB's answer over a raw copy of
// the rows (none is late).
func TestWindowOverViewMatchesDuckDB(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(9, 4))
	type bid struct{ auction, price, ts, arrival int64 }
	var bids []bid
	ts := int64(1_700_000_000_000)
	for i := 0; i < 4000; i++ {
		ts += int64(r.IntN(300))
		// Each row arrives up to 4s after its time; the watermark delay is 5s.
		bids = append(bids, bid{int64(1 + r.IntN(6)), int64(r.IntN(1000)), ts, ts + int64(r.IntN(4000))})
	}
	sort.SliceStable(bids, func(a, b int) bool { return bids[a].arrival < bids[b].arrival })
	var lines strings.Builder
	for _, b := range bids {
		fmt.Fprintf(&lines, `{"auction": %d, "price": %d, "date_time": %d}`+"\n", b.auction, b.price, b.ts)
	}
	if err := os.WriteFile(filepath.Join(dir, "bids.jsonl"), []byte(lines.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	pipeline := `
CREATE SOURCE bid (
  auction BIGINT, price BIGINT, date_time TIMESTAMP(3),
  WATERMARK FOR date_time AS date_time - INTERVAL 5 SECOND
) WITH (connector = 'file', path = 'bids.jsonl', format = 'json');
CREATE MATERIALIZED VIEW raw AS SELECT * FROM bid;
CREATE MATERIALIZED VIEW big_bid AS
  SELECT auction, price, date_time FROM bid WHERE price > 300;
CREATE MATERIALIZED VIEW per_auction AS
  SELECT auction, window_start, window_end, COUNT(*) AS n, SUM(price) AS total, MAX(price) AS top
  FROM TUMBLE(big_bid, date_time, INTERVAL 10 SECOND)
  GROUP BY auction, window_start, window_end;
CREATE MATERIALIZED VIEW tens AS
  SELECT auction, window_end AS tens_end, COUNT(*) AS n
  FROM TUMBLE(big_bid, date_time, INTERVAL 10 SECOND)
  GROUP BY auction, window_start, window_end;
CREATE MATERIALIZED VIEW per_minute AS
  SELECT window_start, window_end, SUM(n) AS n, COUNT(*) AS auctions
  FROM TUMBLE(tens, tens_end, INTERVAL 1 MINUTE)
  GROUP BY window_start, window_end
  EMIT ON WINDOW CLOSE;
`
	path := filepath.Join(dir, "window_view.sql")
	if err := os.WriteFile(path, []byte(pipeline), 0o644); err != nil {
		t.Fatal(err)
	}
	plan := mustCLI(t, "explain", path)
	for _, want := range []string{"view-scan big_bid  key=none  changelog=append-only  time=[date_time]", "view-scan tens", "time=[tens_end]"} {
		if !strings.Contains(plan, want) {
			t.Errorf("explain lacks %q:\n%s", want, plan)
		}
	}
	db := filepath.Join(dir, "window_view.duckdb")
	mustCLI(t, "run", path, "--db", db, "--quiet")
	if got := query(t, db, "SELECT count(*) AS n FROM raw"); got != fmt.Sprintf("n\n%d\n", len(bids)) {
		t.Fatalf("raw holds %q, want all %d rows (none late)", got, len(bids))
	}
	const ms = "epoch_ms(date_time)"
	floor := func(e string, size int) string { return fmt.Sprintf("(%[1]s - %[1]s %% %[2]d)", e, size) }
	sameRows(t, db, "per_auction",
		"SELECT auction, epoch_ms(window_start), epoch_ms(window_end), n, total, top FROM per_auction",
		fmt.Sprintf(`SELECT auction, %[1]s, %[1]s + 10000, count(*), sum(price), max(price)
		 FROM raw WHERE price > 300 GROUP BY auction, %[1]s`, floor(ms, 10000)))
	tens := fmt.Sprintf(`SELECT auction, %s + 10000 AS tens_end, count(*) AS n FROM raw WHERE price > 300 GROUP BY ALL`, floor(ms, 10000))
	sameRows(t, db, "tens", "SELECT auction, epoch_ms(tens_end), n FROM tens",
		"SELECT auction, tens_end, n FROM ("+tens+")")
	sameRows(t, db, "per_minute",
		"SELECT epoch_ms(window_start), epoch_ms(window_end), n, auctions FROM per_minute",
		fmt.Sprintf(`SELECT %[1]s, %[1]s + 60000, sum(n), count(*) FROM (%[2]s) GROUP BY %[1]s`, floor("tens_end", 60000), tens))
	if got := query(t, db, "SELECT (SELECT count(*) FROM per_auction) > 200 AND (SELECT count(*) FROM per_minute) >= 8 AS ok"); got != "ok\ntrue\n" {
		t.Errorf("too few windows: %q", got)
	}
}
