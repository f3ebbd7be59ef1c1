package main

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// fileSinkPipeline generates 40000 fund movements of 50 customers, one
// every 9 seconds from 2025-01-01 (about four and a half days), and writes
// them to a Parquet lake partitioned by day and sorted by (customer_id, ts),
// and to CSV files sorted by txn_id.
const fileSinkPipeline = `
SET 'checkpoint.interval' = '100ms';

CREATE SOURCE gen (seq BIGINT, ts TIMESTAMP(3))
  WITH (connector = 'datagen', generator = 'sequence', rows = '40000');

CREATE MATERIALIZED VIEW dwd_txn AS
  SELECT seq AS txn_id,
         seq % 50 AS customer_id,
         FROM_UNIXTIME(1735689600 + seq * 9) AS ts,
         CAST((seq * 7919) % 100000 AS DECIMAL(18, 2)) / 100 AS amount,
         IF(seq % 13 = 0, NULL, CONCAT('memo ', seq % 7)) AS memo,
         DATE(FROM_UNIXTIME(1735689600 + seq * 9)) AS day
  FROM gen;

CREATE SINK txn_detail FROM dwd_txn WITH (
  connector = 'file', path = 'lake/txn', format = 'parquet',
  'partition.by' = 'day', 'sort.by' = 'customer_id, ts',
  'parquet.row-group-rows' = '200', 'parquet.compression' = 'snappy');

CREATE SINK txn_csv AS SELECT txn_id, customer_id, ts, amount, memo FROM dwd_txn WHERE customer_id < 10
  WITH (connector = 'file', path = 'lake/csv', format = 'csv', 'sort.by' = 'txn_id');
`

// TestFileSinkParquetLake runs a pipeline with a partitioned, sorted
// Parquet sink, then queries the files with DuckDB: the lake equals the
// view, a customer + time-range query returns the view's rows, and the
// row-group statistics let that query skip all but a few row groups.
func TestFileSinkParquetLake(t *testing.T) {
	dir := t.TempDir()
	pipeline := filepath.Join(dir, "pipeline.sql")
	if err := os.WriteFile(pipeline, []byte(fileSinkPipeline), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "p.duckdb")
	mustCLI(t, "run", pipeline, "--db", db)
	lake := filepath.Join(dir, "lake", "txn")
	glob := "read_parquet('" + lake + "/**/*.parquet', hive_partitioning = true)"

	days, err := filepath.Glob(filepath.Join(lake, "day=*"))
	if err != nil {
		t.Fatal(err)
	}
	var dayNames []string
	for _, d := range days {
		dayNames = append(dayNames, filepath.Base(d))
	}
	if got := strings.Join(dayNames, " "); got != "day=2025-01-01 day=2025-01-02 day=2025-01-03 day=2025-01-04 day=2025-01-05" {
		t.Errorf("partitions: %s", got)
	}
	if _, err := os.Stat(filepath.Join(lake, "_sqlstream_epochs")); err != nil {
		t.Errorf("no epoch marker: %v", err)
	}

	// The whole lake is the view: the same rows, the partition column
	// read back from the directory names as a DATE.
	cols := "txn_id, customer_id, ts, amount, memo, day"
	got := query(t, db, "SELECT count(*) AS n, count(memo) AS memos, typeof(any_value(day)) AS day_type FROM "+glob)
	if got != "n,memos,day_type\n40000,36923,DATE\n" {
		t.Errorf("lake summary:\n%s", got)
	}
	got = query(t, db, "SELECT count(*) AS missing FROM (SELECT "+cols+" FROM dwd_txn EXCEPT ALL SELECT "+cols+" FROM "+glob+")")
	if got != "missing\n0\n" {
		t.Errorf("view rows not in the lake:\n%s", got)
	}

	// All of a customer's fund movements in a time range.
	filter := " WHERE customer_id = 7 AND ts >= TIMESTAMP '2025-01-02 10:00:00' AND ts < TIMESTAMP '2025-01-02 16:00:00' ORDER BY ts"
	want := query(t, db, "SELECT "+cols+" FROM dwd_txn"+filter)
	got = query(t, db, "SELECT "+cols+" FROM "+glob+filter)
	if got != want || strings.Count(want, "\n") < 10 {
		t.Errorf("customer 7 on 2025-01-02 10:00-16:00:\n lake:\n%s\n view:\n%s", got, want)
	}

	// Row-group statistics: the filter on customer_id matches few row
	// groups of the day's files (each file is sorted by customer_id).
	day := filepath.Join(lake, "day=2025-01-02", "*.parquet")
	stats := query(t, db, `SELECT count(*) FILTER (WHERE CAST(stats_min_value AS BIGINT) <= 7 AND 7 <= CAST(stats_max_value AS BIGINT)) AS hit,
		count(*) AS row_groups, count(DISTINCT file_name) AS files
		FROM parquet_metadata('`+day+`') WHERE path_in_schema = 'customer_id'`)
	f := strings.Split(strings.TrimSpace(strings.Split(stats, "\n")[1]), ",")
	hit, _ := strconv.Atoi(f[0])
	groups, _ := strconv.Atoi(f[1])
	files, _ := strconv.Atoi(f[2])
	if hit < 1 || hit > 2*files || groups < 10*hit {
		t.Errorf("customer 7 may be in %d of the %d row groups of %d files of 2025-01-02; want at most 2 per file:\n%s", hit, groups, files, stats)
	}
	// The day holds 9600 rows in row groups of at most 200.
	if groups < 48 {
		t.Errorf("%d row groups for 9600 rows of at most 200", groups)
	}
	// Every row group's rows are sorted by (customer_id, ts): parquet
	// metadata records it, and min/max of consecutive groups of a file
	// never overlap on customer_id.
	got = query(t, db, `SELECT count(*) AS overlaps FROM (
		SELECT file_name, CAST(stats_min_value AS BIGINT) AS lo,
		       lag(CAST(stats_max_value AS BIGINT)) OVER (PARTITION BY file_name ORDER BY row_group_id) AS prev_hi
		FROM parquet_metadata('`+lake+`/**/*.parquet') WHERE path_in_schema = 'customer_id') WHERE lo < prev_hi`)
	if got != "overlaps\n0\n" {
		t.Errorf("row groups overlap on customer_id:\n%s", got)
	}
	got = query(t, db, `SELECT DISTINCT compression FROM parquet_metadata('`+lake+`/**/*.parquet')`)
	if got != "compression\nSNAPPY\n" {
		t.Errorf("compression:\n%s", got)
	}
}

// TestFileSinkCSVMatchesQuery: the CSV files, in epoch order without their
// repeated headers, are what 'query --format csv' prints for the same rows.
func TestFileSinkCSVMatchesQuery(t *testing.T) {
	dir := t.TempDir()
	pipeline := filepath.Join(dir, "pipeline.sql")
	if err := os.WriteFile(pipeline, []byte(fileSinkPipeline), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "p.duckdb")
	mustCLI(t, "run", pipeline, "--db", db)
	names, err := filepath.Glob(filepath.Join(dir, "lake", "csv", "part-*.csv"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no csv files (%v)", err)
	}
	sort.Strings(names)
	var got strings.Builder
	for i, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		if i > 0 {
			_, s, _ = strings.Cut(s, "\n")
		}
		got.WriteString(s)
	}
	want := query(t, db, "SELECT txn_id, customer_id, ts, amount, memo FROM dwd_txn WHERE customer_id < 10 ORDER BY txn_id")
	if got.String() != want {
		g, w := strings.Split(got.String(), "\n"), strings.Split(want, "\n")
		for i := range min(len(g), len(w)) {
			if g[i] != w[i] {
				t.Fatalf("csv files differ from query --format csv at line %d: %q, want %q (%d vs %d lines)", i+1, g[i], w[i], len(g), len(w))
			}
		}
		t.Fatalf("csv files have %d lines, query prints %d", len(g), len(w))
	}
}

// TestFileSinkRejectsChangelog: a file sink over an aggregate (a
// changelog) stops the run with an error that says why.
func TestFileSinkRejectsChangelog(t *testing.T) {
	dir := t.TempDir()
	pipeline := filepath.Join(dir, "pipeline.sql")
	src := `
CREATE SOURCE gen (seq BIGINT, ts TIMESTAMP(3)) WITH (connector = 'datagen', generator = 'sequence', rows = '100000');
CREATE SINK totals AS SELECT seq % 3 AS k, COUNT(*) AS n FROM gen GROUP BY seq % 3
  WITH (connector = 'file', path = 'out', format = 'csv');
`
	if err := os.WriteFile(pipeline, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := cli(t, "run", pipeline, "--db", filepath.Join(dir, "p.duckdb"))
	if code == 0 || !strings.Contains(errOut, "a file sink writes append-only data") {
		t.Errorf("run: exit %d, stderr:\n%s\nwant a failure about append-only data", code, errOut)
	}
}
