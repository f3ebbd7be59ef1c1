package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOverMatchesDuckDB runs OVER window functions over a file source whose
// rows are out of order within the watermark delay (so none is late): LAG
// step sequences and durations, ROW_NUMBER, a running SUM through a plain
// view, and a Top-N through a subquery. Each view must equal DuckDB's
// window functions over a raw copy of the same rows.
func TestOverMatchesDuckDB(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "ev.jsonl")
	if err := os.WriteFile(data, []byte(overEvents(3000)), 0o644); err != nil {
		t.Fatal(err)
	}
	pipeline := fmt.Sprintf(`
CREATE SOURCE ev (
  process_id BIGINT, step VARCHAR, n INT, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL 10 SECOND
) WITH (connector = 'file', path = '%s', format = 'json');

CREATE MATERIALIZED VIEW raw AS SELECT * FROM ev;

CREATE VIEW steps AS
  SELECT process_id, step, ts,
         LAG(step) OVER (PARTITION BY process_id ORDER BY ts) AS prev_step,
         UNIX_TIMESTAMP(ts) - UNIX_TIMESTAMP(LAG(ts) OVER (PARTITION BY process_id ORDER BY ts)) AS took,
         LEAD(step, 1, 'end') OVER (PARTITION BY process_id ORDER BY ts) AS next_step,
         ROW_NUMBER() OVER (PARTITION BY process_id ORDER BY ts) AS rn,
         SUM(n) OVER (PARTITION BY process_id ORDER BY ts) AS total
  FROM ev;

CREATE MATERIALIZED VIEW step_seq AS SELECT * FROM steps;

CREATE MATERIALIZED VIEW first_two AS
  SELECT process_id, step, ts, rn FROM (
    SELECT process_id, step, ts, ROW_NUMBER() OVER (PARTITION BY process_id ORDER BY ts) AS rn FROM ev
  ) AS ranked WHERE rn <= 2;
`, data)
	path := filepath.Join(dir, "over.sql")
	if err := os.WriteFile(path, []byte(pipeline), 0o644); err != nil {
		t.Fatal(err)
	}
	plan := mustCLI(t, "explain", path)
	if !strings.Contains(plan, "limit=2") {
		t.Errorf("first_two should be a Top-N over node with limit=2:\n%s", plan)
	}
	db := filepath.Join(dir, "over.duckdb")
	mustCLI(t, "run", path, "--db", db, "--quiet")
	if got := query(t, db, "SELECT count(*) AS n FROM raw"); got != "n\n3000\n" {
		t.Fatalf("raw holds %q, want 3000 rows", got)
	}
	const w = "(PARTITION BY process_id ORDER BY ts)"
	sameRows(t, db, "step_seq",
		"SELECT process_id, step, ts, prev_step, CAST(took * 1000 AS BIGINT), next_step, rn, total FROM step_seq",
		"SELECT process_id, step, ts, lag(step) OVER "+w+", epoch_ms(ts) - epoch_ms(lag(ts) OVER "+w+"), "+
			"lead(step, 1, 'end') OVER "+w+", row_number() OVER "+w+", sum(n) OVER "+w+" FROM raw")
	sameRows(t, db, "first_two", "SELECT * FROM first_two",
		"SELECT * FROM (SELECT process_id, step, ts, row_number() OVER "+w+" AS rn FROM raw) WHERE rn <= 2")
	if got := query(t, db, "SELECT count(*) AS n FROM step_seq"); got != "n\n3000\n" {
		t.Errorf("step_seq holds %q, want one row per event", got)
	}
}

// overEvents writes n JSON events of 200 processes with distinct
// timestamps, shuffled within blocks spanning less than the 10 s
// watermark delay, so the file is out of order but no row is late.
func overEvents(n int) string {
	r := rand.New(rand.NewPCG(42, 7))
	base := time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)
	steps := []string{"apply", "approve", "issue", "make_card", "activate"}
	lines := make([]string, n)
	for i := range lines {
		ts := base.Add(time.Duration(i*250+r.IntN(200)) * time.Millisecond)
		lines[i] = fmt.Sprintf(`{"process_id": %d, "step": %q, "n": %d, "ts": %q}`,
			r.IntN(200), steps[r.IntN(len(steps))], r.IntN(100), ts.Format("2006-01-02 15:04:05.000"))
	}
	const block = 30 // 30 * 250 ms = 7.5 s < 10 s
	for s := 0; s < n; s += block {
		e := min(s+block, n)
		r.Shuffle(e-s, func(i, j int) { lines[s+i], lines[s+j] = lines[s+j], lines[s+i] })
	}
	return strings.Join(lines, "\n") + "\n"
}
