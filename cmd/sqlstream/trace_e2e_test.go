package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sinks/duckdb"
)

// traceMirrors are materialized views of the raw sources added to test
// copies of the bank-log pipelines: they hold exactly the rows that were
// not late, which DuckDB's answers are computed from.
const traceMirrors = `
CREATE MATERIALIZED VIEW raw_request AS SELECT * FROM request;
CREATE MATERIALIZED VIEW raw_response AS SELECT * FROM response;
CREATE MATERIALIZED VIEW raw_tracking AS SELECT * FROM tracking;
`

// traceRows is the number of actions the pipelines generate (as written).
const traceRows = 300000

// traceRun is one finished run of a pipeline copy.
type traceRun struct {
	db    string
	stats exec.Stats
}

// runPipelineCopy writes src plus extra into dir and runs it in process
// (as `sqlstream run` does), so the test can read the run's Stats.
func runPipelineCopy(t *testing.T, dir, name, src, extra string) traceRun {
	t.Helper()
	path := filepath.Join(dir, name+".sql")
	if err := os.WriteFile(path, []byte(src+extra), 0o644); err != nil {
		t.Fatal(err)
	}
	_, p, err := loadPlan(path)
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, name+".duckdb")
	store, err := duckdb.Open(db, duckdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	runner, err := exec.NewRunner(p, store, exec.RunOptions{CheckpointInterval: time.Second, BaseDir: dir, Now: time.Now()})
	if err != nil {
		store.Close()
		t.Fatal(err)
	}
	runErr := runner.Run(context.Background())
	if err := store.Close(); runErr == nil {
		runErr = err
	}
	if runErr != nil {
		t.Fatalf("%s: %v", name, runErr)
	}
	return traceRun{db: db, stats: runner.Stats()}
}

// joinPeak sums the peak state rows of the run's join operators.
func joinPeak(t *testing.T, st exec.Stats) int64 {
	t.Helper()
	var peak int64
	for _, o := range st.Operators {
		if strings.Contains(o.Name, "join") {
			peak += o.PeakRows
			t.Logf("  %s: peak %d rows", o.Name, o.PeakRows)
		}
	}
	if peak == 0 {
		t.Fatalf("no join operator reported state: %+v", st.Operators)
	}
	return peak
}

// checkLate checks that the mirrors and late_<source> split each source:
// no trace is in both, every request is in one of them (the generator
// never drops a request), and the one-minute watermark diverted some of
// the 1% tail but not more.
func checkLate(t *testing.T, db string) {
	t.Helper()
	for _, src := range []string{"request", "response", "tracking"} {
		got := query(t, db, `SELECT (SELECT count(*) FROM raw_`+src+` r JOIN late_`+src+` l USING (trace_id)) AS both,
			(SELECT count(*) FROM late_`+src+`) BETWEEN 100 AND 0.02 * `+strconv.Itoa(traceRows)+` AS some_late`)
		if got != "both,some_late\n0,true\n" {
			t.Errorf("%s: mirror and late rows: %q", src, got)
		}
	}
	if got := query(t, db, "SELECT (SELECT count(*) FROM raw_request) + (SELECT count(*) FROM late_request) AS n"); got != "n\n"+strconv.Itoa(traceRows)+"\n" {
		t.Errorf("requests in raw_request + late_request: %q, want %d", got, traceRows)
	}
}

// sameAcross fails unless view holds the same multiset of rows in the
// two store files (attached read-only to an in-memory DuckDB).
func sameAcross(t *testing.T, dbA, dbB, view string) {
	t.Helper()
	conn, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for name, path := range map[string]string{"a": dbA, "b": dbB} {
		if _, err := conn.Exec("ATTACH '" + path + "' AS " + name + " (READ_ONLY)"); err != nil {
			t.Fatal(err)
		}
	}
	var n int64
	err = conn.QueryRow(`SELECT count(*) FROM ((SELECT * FROM a.` + view + ` EXCEPT ALL SELECT * FROM b.` + view + `)
		UNION ALL (SELECT * FROM b.` + view + ` EXCEPT ALL SELECT * FROM a.` + view + `))`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%s: %d rows differ between %s and %s", view, n, filepath.Base(dbA), filepath.Base(dbB))
	}
}

// The DuckDB answers of the trace join's views over the mirrors.
const (
	duckAction = `SELECT q.trace_id, q.process_id, q.step, q.customer_id, q.channel, q.branch_id, q.product,
		q.amount, q.ts, r.ts, k.ts, r.status, r.latency_ms, k.page, k.event
		FROM raw_request q
		JOIN raw_response r ON r.trace_id = q.trace_id AND r.ts BETWEEN q.ts AND q.ts + INTERVAL 30 MINUTE
		JOIN raw_tracking k ON k.trace_id = q.trace_id AND k.ts BETWEEN q.ts AND q.ts + INTERVAL 30 MINUTE`
	duckIncomplete = `SELECT q.trace_id, q.process_id, q.step, q.customer_id, q.channel, q.branch_id, q.product,
		q.ts, r.ts, k.ts, r.status,
		CASE WHEN r.trace_id IS NULL AND k.trace_id IS NULL THEN 'both'
		     WHEN r.trace_id IS NULL THEN 'response' ELSE 'tracking' END
		FROM raw_request q
		LEFT JOIN raw_response r ON r.trace_id = q.trace_id AND r.ts BETWEEN q.ts AND q.ts + INTERVAL 30 MINUTE
		LEFT JOIN raw_tracking k ON k.trace_id = q.trace_id AND k.ts BETWEEN q.ts AND q.ts + INTERVAL 30 MINUTE
		WHERE r.trace_id IS NULL OR k.trace_id IS NULL`
)

// checkTraceViews compares action and incomplete_action with DuckDB's
// answers and checks that both are substantial.
func checkTraceViews(t *testing.T, label, db string) {
	t.Helper()
	sameRows(t, db, label+" action", "SELECT * FROM action", duckAction)
	sameRows(t, db, label+" incomplete_action", "SELECT * FROM incomplete_action", duckIncomplete)
	got := query(t, db, `SELECT (SELECT count(*) FROM action) > 0.9 * `+strconv.Itoa(traceRows)+` AS complete,
		(SELECT count(*) FROM incomplete_action WHERE missing = 'response') > 500 AS no_response,
		(SELECT count(*) FROM incomplete_action WHERE missing = 'tracking') > 1000 AS no_tracking`)
	if got != "complete,no_response,no_tracking\ntrue,true,true\n" {
		t.Errorf("%s: view sizes: %q", label, got)
	}
}

// TestTraceJoinPeakState runs the trace join as written (every source
// declares PRIMARY KEY (trace_id): the unique-key join) and again without
// the keys (the same SQL planned as interval joins) over the same
// generated data. Both must equal DuckDB's answer over the rows that were
// not late, hence each other, and the unique-key join must hold at most
// 10% of the rows the interval joins hold at their peak.
func TestTraceJoinPeakState(t *testing.T) {
	raw, err := os.ReadFile("../../queries/trace_join/pipeline.sql")
	if err != nil {
		t.Fatal(err)
	}
	src := string(raw)
	if !strings.Contains(src, "rows = '"+strconv.Itoa(traceRows)+"'") {
		t.Fatalf("queries/trace_join/pipeline.sql no longer generates %d actions", traceRows)
	}
	noKeys := strings.ReplaceAll(src, "PRIMARY KEY (trace_id),", "")
	if strings.Count(src, "PRIMARY KEY (trace_id),") != 3 {
		t.Fatal("expected three sources declaring PRIMARY KEY (trace_id)")
	}
	dir := t.TempDir()
	for _, c := range []struct{ name, src, want, notWant string }{
		{"unique", src, "unique-key join", "interval join"},
		{"interval", noKeys, "interval join", "unique-key join"},
	} {
		path := filepath.Join(dir, c.name+"_plan.sql")
		if err := os.WriteFile(path, []byte(c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		plan := mustCLI(t, "explain", path)
		if !strings.Contains(plan, c.want) || strings.Contains(plan, c.notWant) {
			t.Fatalf("%s: explain should show %q and no %q:\n%s", c.name, c.want, c.notWant, plan)
		}
	}

	unique := runPipelineCopy(t, dir, "unique", src, traceMirrors)
	t.Log("unique-key join:")
	uniquePeak := joinPeak(t, unique.stats)
	interval := runPipelineCopy(t, dir, "interval", noKeys, traceMirrors)
	t.Log("interval joins:")
	intervalPeak := joinPeak(t, interval.stats)
	t.Logf("peak state rows: unique-key join %d, interval joins %d (%.1f%%)",
		uniquePeak, intervalPeak, 100*float64(uniquePeak)/float64(intervalPeak))

	for _, r := range []struct {
		label string
		run   traceRun
	}{{"unique", unique}, {"interval", interval}} {
		checkLate(t, r.run.db)
		checkTraceViews(t, r.label, r.run.db)
	}
	// The same rows in both runs, compared directly too.
	for _, view := range []string{"raw_request", "raw_response", "raw_tracking", "action", "incomplete_action"} {
		sameAcross(t, unique.db, interval.db, view)
	}
	if uniquePeak*10 > intervalPeak {
		t.Errorf("unique-key join peak %d rows > 10%% of the interval joins' %d", uniquePeak, intervalPeak)
	}
}

// duckTransitions is DuckDB's answer for step_transition over the mirrors
// and the step_order table the run loaded.
const duckTransitions = `
	WITH pa AS (
		SELECT q.trace_id, q.process_id, q.step, q.channel, q.branch_id, q.product, q.ts, r.status
		FROM raw_request q
		LEFT JOIN raw_response r ON r.trace_id = q.trace_id AND r.ts BETWEEN q.ts AND q.ts + INTERVAL 30 MINUTE
		LEFT JOIN raw_tracking k ON k.trace_id = q.trace_id AND k.ts BETWEEN q.ts AND q.ts + INTERVAL 30 MINUTE),
	ss AS (
		SELECT *, LAG(step) OVER w AS prev_step, LAG(status) OVER w AS prev_status, LAG(ts) OVER w AS prev_ts
		FROM pa WINDOW w AS (PARTITION BY process_id ORDER BY ts))
	SELECT s.trace_id, s.process_id, s.channel, s.branch_id, s.product,
	       s.prev_step AS from_step, s.step AS to_step, s.prev_status AS from_status,
	       s.prev_ts AS from_ts, s.ts AS to_ts, epoch_ms(s.ts) - epoch_ms(s.prev_ts) AS duration_ms,
	       f.step_order AS from_order, t.step_order AS to_order, t.step_order < f.step_order AS is_rollback
	FROM ss s
	LEFT JOIN step_order f ON f.step = s.prev_step
	LEFT JOIN step_order t ON t.step = s.step
	WHERE s.prev_step IS NOT NULL`

// checkProcessMetrics compares every view of the process-metrics pipeline
// with DuckDB's answer.
func checkProcessMetrics(t *testing.T, label, db string) {
	t.Helper()
	st := "(" + duckTransitions + ")"
	dist := func(col string) string {
		return `SELECT ` + col + `, count(*), count(DISTINCT process_id), count(*) FILTER (WHERE is_rollback),
			round(avg(duration_ms), 6), max(duration_ms) FROM ` + st + ` GROUP BY ` + col
	}
	checks := []struct{ name, ours, duck string }{
		{"step_transition", "SELECT * FROM step_transition", duckTransitions},
		{"rollback", "SELECT * FROM rollback",
			`SELECT trace_id, process_id, channel, branch_id, product, from_step, to_step, from_status,
			 from_ts, to_ts, duration_ms FROM ` + st + ` WHERE is_rollback`},
		{"transition_stats", "SELECT from_step, to_step, transitions, rollbacks, round(avg_ms, 6), min_ms, max_ms FROM transition_stats",
			`SELECT from_step, to_step, count(*), count(*) FILTER (WHERE is_rollback), round(avg(duration_ms), 6),
			 min(duration_ms), max(duration_ms) FROM ` + st + ` GROUP BY from_step, to_step`},
		{"actions_per_hour", "SELECT * FROM actions_per_hour",
			`SELECT time_bucket(INTERVAL 1 HOUR, ts) AS ws, ws + INTERVAL 1 HOUR, channel, product, count(*),
			 count(DISTINCT process_id), count(DISTINCT customer_id) FROM raw_request GROUP BY ALL`},
	}
	for _, col := range []string{"channel", "product", "branch_id"} {
		view := "process_by_" + strings.TrimSuffix(col, "_id")
		checks = append(checks, struct{ name, ours, duck string }{view,
			"SELECT " + col + ", transitions, processes, rollbacks, round(avg_step_ms, 6), max_step_ms FROM " + view, dist(col)})
	}
	for _, c := range checks {
		sameRows(t, db, label+" "+c.name, c.ours, c.duck)
	}
}

// writeStepOrder writes the step-order dimension into dir/data, with the
// given order per step.
func writeStepOrder(t *testing.T, dir string, order map[string]int) {
	t.Helper()
	raw, err := os.ReadFile("../../queries/process_metrics/data/step_order.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	for i, line := range lines[1:] {
		f := strings.Split(line, ",")
		if o, ok := order[f[0]]; ok {
			f[1] = strconv.Itoa(o)
		}
		lines[i+1] = strings.Join(f, ",")
	}
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data", "step_order.csv"), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestProcessMetricsMatchesDuckDB runs the process metrics (trace join,
// LAG per process, lookup joins to the step-order dimension, aggregates)
// and compares every view with DuckDB's answer over the rows that were not
// late. Rollbacks in the generated data follow a rejection (unless the
// rejected action's response or request went missing or was late). A second run with the dimension edited
// (make_card before issue) shows that rollbacks follow the file, not the
// SQL: the ordinary issue → make_card transition becomes one.
func TestProcessMetricsMatchesDuckDB(t *testing.T) {
	raw, err := os.ReadFile("../../queries/process_metrics/pipeline.sql")
	if err != nil {
		t.Fatal(err)
	}
	src := string(raw)
	for _, c := range []struct {
		name  string
		rows  string
		order map[string]int
	}{
		{"as_written", "100000", nil},
		{"edited_dimension", "20000", map[string]int{"issue": 4, "make_card": 3}},
	} {
		dir := t.TempDir()
		writeStepOrder(t, dir, c.order)
		small := strings.ReplaceAll(src, "rows = '300000'", "rows = '"+c.rows+"'")
		if strings.Count(small, "rows = '"+c.rows+"'") != 3 {
			t.Fatal("queries/process_metrics/pipeline.sql: expected three sources with rows = '300000'")
		}
		run := runPipelineCopy(t, dir, c.name, small, traceMirrors)
		checkProcessMetrics(t, c.name, run.db)
		got := query(t, run.db, `SELECT
			(SELECT count(*) FROM rollback) > 0.002 * `+c.rows+` AS rollbacks,
			(SELECT count(*) FROM rollback r WHERE from_status <> 'rejected'
			   AND NOT (from_step = 'issue' AND to_step = 'make_card')
			   AND NOT EXISTS (SELECT 1 FROM late_request l
			                   WHERE l.process_id = r.process_id AND l.ts BETWEEN r.from_ts AND r.to_ts)) AS unexplained,
			(SELECT count(*) FROM step_transition WHERE duration_ms <= 0) AS nonpositive,
			(SELECT count(*) FROM rollback WHERE from_step = 'issue' AND to_step = 'make_card') > 0 AS edited`)
		want := "rollbacks,unexplained,nonpositive,edited\ntrue,0,0," + strconv.FormatBool(c.order != nil) + "\n"
		if got != want {
			t.Errorf("%s: rollbacks: got %q, want %q", c.name, got, want)
		}
	}
}
