package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/parser"
	"github.com/sqlstream/sqlstream/planner"
	"github.com/sqlstream/sqlstream/sinks/duckdb"
)

// ckBenchPipeline aggregates 3 rows into each of keys groups: the
// aggregate's state ends with keys groups, every one changed three times.
const ckBenchPipeline = `
CREATE SOURCE s (seq BIGINT, ts TIMESTAMP(3)) WITH (connector = 'datagen', generator = 'sequence', rows = '%d');
CREATE MATERIALIZED VIEW agg AS SELECT seq %% %d AS k, COUNT(*) AS n, SUM(seq) AS total FROM s GROUP BY seq %% %d;
`

// BenchmarkCheckpointOverhead measures what 1 s checkpoints (operator
// state, source position and the view's changes committed to DuckDB every
// second) cost against a run whose only checkpoint is the final one, over
// an aggregate of SQLSTREAM_CKBENCH_KEYS keys (default 1 M; the issue's
// figure is 10 M). It reports both throughputs and their ratio
// (checkpointed / unchecked; the target is at least 0.9).
func BenchmarkCheckpointOverhead(b *testing.B) {
	keys := 1_000_000
	if v := os.Getenv("SQLSTREAM_CKBENCH_KEYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			b.Fatalf("SQLSTREAM_CKBENCH_KEYS=%q: want a positive number", v)
		}
		keys = n
	}
	rows := 3 * keys
	f, err := parser.Parse("ck.sql", fmt.Sprintf(ckBenchPipeline, rows, keys, keys))
	if err != nil {
		b.Fatal(err)
	}
	p, err := planner.PlanFile(f)
	if err != nil {
		b.Fatal(err)
	}
	var on, off time.Duration
	for i := 0; i < b.N; i++ {
		off += ckBenchRun(b, p, time.Hour, keys)
		on += ckBenchRun(b, p, time.Second, keys)
	}
	b.ReportMetric(float64(rows)*float64(b.N)/off.Seconds(), "rows/s-unchecked")
	b.ReportMetric(float64(rows)*float64(b.N)/on.Seconds(), "rows/s-1s-checkpoints")
	b.ReportMetric(off.Seconds()/on.Seconds(), "ratio")
}

// ckBenchRun runs p into a fresh DuckDB file and returns the wall time,
// checking that the view holds every key.
func ckBenchRun(b *testing.B, p *planner.Plan, interval time.Duration, keys int) time.Duration {
	b.Helper()
	path := filepath.Join(b.TempDir(), "ck.duckdb")
	store, err := duckdb.Open(path, duckdb.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	r, err := exec.NewRunner(p, store, exec.RunOptions{CheckpointInterval: interval})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := r.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	elapsed := time.Since(start)
	res, err := store.Query(context.Background(), "SELECT count(*) AS n FROM agg")
	if err != nil {
		b.Fatal(err)
	}
	if got := fmt.Sprint(res.Rows[0][0]); got != strconv.Itoa(keys) {
		b.Fatalf("agg holds %s keys, want %d", got, keys)
	}
	return elapsed
}
