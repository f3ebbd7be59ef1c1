package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/sqlstream/sqlstream/internal/difftest"
)

// nexmarkRows is the generator size of the Nexmark differential test:
// events of all kinds (46 of 50 are bids), at 10 000 events per second of
// event time, so 150 000 events span 15 s: two 10 s tumbling windows, eight
// 2 s hops and sessions that close. SQLSTREAM_NEXMARK_ROWS overrides it.
const nexmarkRows = 150_000

var (
	nexmarkRowsOpt   = regexp.MustCompile(`(?i)\brows\s*=\s*'[0-9]+'`)
	nexmarkSourceDef = regexp.MustCompile(`(?i)\bCREATE\s+SOURCE\s+([A-Za-z_][A-Za-z0-9_]*)`)
	nexmarkFileSink  = regexp.MustCompile(`(?is)\bCREATE\s+SINK\s+([A-Za-z_][A-Za-z0-9_]*)\b.*?\bconnector\s*=\s*'file'.*?\bpath\s*=\s*'([^']+)'.*?\bformat\s*=\s*'(parquet|csv)'`)
	nexmarkQueryFile = regexp.MustCompile(`^q([0-9]+)\.sql$`)
)

// TestNexmarkMatchesDuckDB runs every queries/nexmark/qN.sql that has a
// DuckDB batch equivalent in queries/nexmark/baseline/qN.sql over a small
// bounded run of the generator and checks that the final state of its
// result (the materialized view qN, or the files of the file sink qN)
// equals, as a multiset of normalized rows, the baseline's answer over
// every event the pipeline's sources generated. Each result must be
// non-empty, so a query cannot pass by being empty on both sides.
//
// The harness rewrites each source's rows option and appends, per source
// s, a materialized view _in_s holding s's rows (the rows that were not
// late; the generator is in order, so that is all of them); the baseline
// reads them as tables named like the sources (person, auction, bid).
func TestNexmarkMatchesDuckDB(t *testing.T) {
	rows := nexmarkRows
	if s := os.Getenv("SQLSTREAM_NEXMARK_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			t.Fatalf("SQLSTREAM_NEXMARK_ROWS=%q: want a positive integer", s)
		}
		rows = n
	}
	const dir = "../../queries/nexmark"
	queries := nexmarkQueries(t, dir)
	if len(queries) == 0 {
		t.Fatal("no Nexmark query has a baseline")
	}
	for _, q := range queries {
		t.Run(q, func(t *testing.T) {
			t.Parallel()
			checkNexmarkQuery(t, dir, q, rows)
		})
	}
}

// nexmarkQueries lists the names qN of the query files with a baseline,
// in numeric order.
func nexmarkQueries(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var nums []int
	for _, e := range entries {
		m := nexmarkQueryFile.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "baseline", e.Name())); err != nil {
			t.Logf("%s has no baseline/%s: not compared", e.Name(), e.Name())
			continue
		}
		n, _ := strconv.Atoi(m[1])
		nums = append(nums, n)
	}
	sort.Ints(nums)
	names := make([]string, len(nums))
	for i, n := range nums {
		names[i] = fmt.Sprintf("q%d", n)
	}
	return names
}

// checkNexmarkQuery runs query q with rows generator events and compares
// its result with the baseline's.
func checkNexmarkQuery(t *testing.T, dir, q string, rows int) {
	src, err := os.ReadFile(filepath.Join(dir, q+".sql"))
	if err != nil {
		t.Fatal(err)
	}
	baseline, err := os.ReadFile(filepath.Join(dir, "baseline", q+".sql"))
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	pipeline, sources := nexmarkTestPipeline(string(src), rows)
	if len(sources) == 0 {
		t.Fatalf("%s.sql declares no source", q)
	}
	path := filepath.Join(work, q+".sql")
	if err := os.WriteFile(path, []byte(pipeline), 0o644); err != nil {
		t.Fatal(err)
	}
	linkNexmarkData(t, dir, work)
	dbPath := filepath.Join(work, q+".duckdb")
	mustCLI(t, "run", path, "--db", dbPath, "--quiet")

	db, err := difftest.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	nexmarkExec(t, db, fmt.Sprintf("ATTACH '%s' AS run (READ_ONLY)", dbPath))
	for _, s := range sources {
		nexmarkExec(t, db, fmt.Sprintf("CREATE VIEW %s AS SELECT * FROM run._in_%s", s, s))
		if n := nexmarkCount(t, db, "run._in_"+s); n == 0 {
			t.Fatalf("source %s generated no rows", s)
		}
	}
	result := "SELECT * FROM run." + q
	if m := nexmarkFileSink.FindStringSubmatch(string(src)); m != nil && strings.EqualFold(m[1], q) {
		result = fmt.Sprintf("SELECT * FROM read_%s('%s/**/*.%s', hive_partitioning = true, hive_types_autocast = false)",
			m[3], filepath.Join(work, m[2]), m[3])
	}
	got, err := db.Query(result)
	if err != nil {
		t.Fatal(err)
	}
	want, err := db.Query(strings.TrimRight(strings.TrimSpace(string(baseline)), ";"))
	if err != nil {
		t.Fatalf("baseline/%s.sql: %v", q, err)
	}
	if d := difftest.Diff(got, want, 10); d != "" {
		t.Fatalf("%s differs from DuckDB's answer:\n%s", q, d)
	}
	if len(got) == 0 {
		t.Fatalf("%s is empty (and so is DuckDB's answer): the test proves nothing at rows=%d", q, rows)
	}
	t.Logf("%s: %d rows equal DuckDB's", q, len(got))
}

// nexmarkTestPipeline sets every rows option of src to rows and appends a
// materialized view _in_s of every source s; it returns the pipeline and
// the source names.
func nexmarkTestPipeline(src string, rows int) (string, []string) {
	out := nexmarkRowsOpt.ReplaceAllString(src, fmt.Sprintf("rows = '%d'", rows))
	var sources []string
	var b strings.Builder
	b.WriteString(out)
	b.WriteString("\n")
	for _, m := range nexmarkSourceDef.FindAllStringSubmatch(src, -1) {
		sources = append(sources, m[1])
		fmt.Fprintf(&b, "CREATE MATERIALIZED VIEW _in_%s AS SELECT * FROM %s;\n", m[1], m[1])
	}
	return b.String(), sources
}

func nexmarkExec(t *testing.T, db *difftest.DB, q string) {
	t.Helper()
	if err := db.Exec(q); err != nil {
		t.Fatal(err)
	}
}

func nexmarkCount(t *testing.T, db *difftest.DB, table string) int {
	t.Helper()
	rows, err := db.Query("SELECT count(*) FROM " + table)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(rows[0])
	if err != nil {
		t.Fatalf("count(*) of %s: %q", table, rows[0])
	}
	return n
}

// linkNexmarkData links dir/data (the files tables load, e.g. q13's side
// input) into work, so the copied pipeline's relative paths resolve.
func linkNexmarkData(t *testing.T, dir, work string) {
	t.Helper()
	data, err := filepath.Abs(filepath.Join(dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(data); err != nil {
		return
	}
	if err := os.Symlink(data, filepath.Join(work, "data")); err != nil {
		t.Fatal(err)
	}
}
