package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The -rewrite flag of this package's tests: datadriven's when a test file
// links it (it registers "rewrite" in its init, before ours), else ours.
func init() {
	if flag.Lookup("rewrite") == nil {
		flag.Bool("rewrite", false, "rewrite golden files with the actual results")
	}
}

// rewriting reports whether the tests run with -rewrite.
func rewriting() bool {
	f := flag.Lookup("rewrite")
	return f != nil && f.Value.String() == "true"
}

// TestPlanGoldens compares the plan of every pipeline under queries/ with
// its reviewed golden (x.sql → x.plan), printing a diff per changed view;
// -rewrite accepts the changes (review them like code).
func TestPlanGoldens(t *testing.T) {
	var out strings.Builder
	err := runGoldens(goldenRun{
		Dir:     filepath.Join("..", "..", "queries"),
		Rewrite: rewriting(),
		Out:     &out,
		Accept:  "go test ./cmd/sqlstream -run TestPlanGoldens -rewrite",
	})
	if err != nil {
		t.Fatalf("%s%v", out.String(), err)
	}
	if rewriting() {
		t.Log(out.String())
	}
}

// runExplain runs `sqlstream explain args...` in this process.
func runExplain(args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	code = runMain(append([]string{"explain"}, args...), &out, &errOut)
	return out.String(), errOut.String(), code
}

func goldenWrite(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

const goldenTestPipeline = `CREATE SOURCE bid (auction BIGINT, price BIGINT, ts TIMESTAMP(3))
  WITH (connector = 'datagen', generator = 'nexmark', kind = 'bid', rows = '10');
CREATE MATERIALIZED VIEW cheap AS SELECT auction, price FROM bid WHERE price < 100;
CREATE MATERIALIZED VIEW per_auction AS SELECT auction, COUNT(*) AS n FROM bid GROUP BY auction;
`

// TestExplainGoldenCycle walks `explain --golden` through its states:
// missing goldens fail, --rewrite writes them, a plan change fails with a
// diff of the changed view only, --rewrite accepts it, a stale golden
// fails and --rewrite removes it. Directories named baseline are skipped.
func TestExplainGoldenCycle(t *testing.T) {
	dir := t.TempDir()
	goldenWrite(t, filepath.Join(dir, "a", "pipeline.sql"), goldenTestPipeline)
	goldenWrite(t, filepath.Join(dir, "b.sql"), "CREATE SOURCE s (x INT) WITH (connector = 'datagen');\n")
	goldenWrite(t, filepath.Join(dir, "a", "baseline", "q.sql"), "SELECT this is not a pipeline")

	out, errOut, code := runExplain("--golden", dir)
	if code != 1 || !strings.Contains(out, filepath.Join(dir, "a", "pipeline.plan")+": missing golden (2 plans)") ||
		!strings.Contains(errOut, "2 pipelines without a golden") {
		t.Fatalf("missing goldens: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = runExplain("--golden", dir, "--rewrite")
	if code != 0 || strings.Count(out, "wrote ") != 2 {
		t.Fatalf("rewrite: exit %d\n%s%s", code, out, errOut)
	}
	golden := goldenRead(t, filepath.Join(dir, "a", "pipeline.plan"))
	if !strings.HasPrefix(golden, "-- materialized view cheap\nmaterialize cheap ") ||
		!strings.Contains(golden, "\n\n-- materialized view per_auction\nmaterialize per_auction ") {
		t.Fatalf("golden layout:\n%s", golden)
	}
	if golden := goldenRead(t, filepath.Join(dir, "b.plan")); golden != "" {
		t.Fatalf("a pipeline without roots has an empty golden, got %q", golden)
	}
	expectGoldensMatch(t, dir, "2 plans in 2 pipelines match their goldens\n")

	// A plan change: only the changed view's diff, then the summary.
	goldenWrite(t, filepath.Join(dir, "a", "pipeline.sql"), strings.Replace(goldenTestPipeline, "price < 100", "price < 50", 1))
	out, errOut, code = runExplain("--golden", dir)
	wantDiff := `--- ` + filepath.Join(dir, "a", "pipeline.plan") + `  materialized view cheap (golden)
+++ ` + filepath.Join(dir, "a", "pipeline.sql") + `  materialized view cheap (planned)
@@ -1,3 +1,3 @@
 materialize cheap  key=none  changelog=append-only  columns=(auction:bigint, price:bigint)
-└── filter price < 100
+└── filter price < 50
     └── source bid  datagen generator=nexmark kind=bid rows=10  columns=[auction, price]  changelog=append-only
`
	wantErr := "1 of 2 plans changed; run 'sqlstream explain --golden " + dir + " --rewrite' to accept\n"
	if code != 1 || out != wantDiff || errOut != wantErr {
		t.Fatalf("plan change: exit %d\n--- stdout\n%s--- want\n%s--- stderr\n%s--- want\n%s", code, out, wantDiff, errOut, wantErr)
	}
	out, _, code = runExplain("--golden", dir, "--rewrite")
	if code != 0 || !strings.Contains(out, "updated "+filepath.Join(dir, "a", "pipeline.plan")+": materialized view cheap\n") {
		t.Fatalf("rewrite the change: exit %d\n%s", code, out)
	}
	expectGoldensMatch(t, dir, "2 plans in 2 pipelines match their goldens\n")

	// A golden whose pipeline is gone.
	if err := os.Remove(filepath.Join(dir, "b.sql")); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = runExplain("--golden", dir)
	if code != 1 || !strings.Contains(out, "b.plan: stale golden") || !strings.Contains(errOut, "1 golden file without a pipeline") {
		t.Fatalf("stale golden: exit %d\n%s%s", code, out, errOut)
	}
	if _, _, code = runExplain("--golden", dir, "--rewrite"); code != 0 {
		t.Fatalf("rewrite the stale golden: exit %d", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.plan")); !os.IsNotExist(err) {
		t.Fatalf("stale golden not removed: %v", err)
	}
	expectGoldensMatch(t, dir, "2 plans in 1 pipeline match their goldens\n")
}

func expectGoldensMatch(t *testing.T, dir, want string) {
	t.Helper()
	out, errOut, code := runExplain("--golden", dir)
	if code != 0 || out != want {
		t.Fatalf("goldens should match: exit %d\n%s%s", code, out, errOut)
	}
}

func goldenRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestExplainGoldenEdits: a view added or removed diffs against nothing;
// a hand-edited golden with the same plans fails on its layout; a
// pipeline that does not plan fails with its positioned error.
func TestExplainGoldenEdits(t *testing.T) {
	dir := t.TempDir()
	sql := filepath.Join(dir, "p.sql")
	goldenWrite(t, sql, goldenTestPipeline)
	if _, _, code := runExplain("--golden", dir, "--rewrite"); code != 0 {
		t.Fatal("rewrite failed")
	}
	golden := goldenRead(t, filepath.Join(dir, "p.plan"))

	goldenWrite(t, sql, goldenTestPipeline+"CREATE MATERIALIZED VIEW all_bids AS SELECT * FROM bid;\n")
	out, errOut, code := runExplain("--golden", dir)
	if code != 1 || !strings.Contains(out, "materialized view all_bids (planned)\n@@ -0,0 +1,2 @@\n+materialize all_bids") ||
		errOut != "1 of 3 plans changed; run 'sqlstream explain --golden "+dir+" --rewrite' to accept\n" {
		t.Fatalf("added view: exit %d\n%s%s", code, out, errOut)
	}

	goldenWrite(t, sql, strings.Replace(goldenTestPipeline, "CREATE MATERIALIZED VIEW cheap", "CREATE VIEW cheap", 1))
	out, _, code = runExplain("--golden", dir)
	if code != 1 || !strings.Contains(out, "@@ -1,3 +0,0 @@\n-materialize cheap") {
		t.Fatalf("removed view: exit %d\n%s", code, out)
	}

	goldenWrite(t, sql, goldenTestPipeline)
	goldenWrite(t, filepath.Join(dir, "p.plan"), strings.Replace(golden, "\n\n--", "\n\n\n--", 1))
	out, _, code = runExplain("--golden", dir)
	if code != 1 || !strings.Contains(out, " (golden)\n+++ "+sql+" (planned)\n") {
		t.Fatalf("layout edit: exit %d\n%s", code, out)
	}

	goldenWrite(t, sql, "CREATE MATERIALIZED VIEW v AS SELECT x FROM nowhere;\n")
	out, errOut, code = runExplain("--golden", dir)
	if code != 1 || !strings.Contains(out, sql+":1:") || !strings.Contains(errOut, "1 of 1 pipeline failed to plan") {
		t.Fatalf("plan error: exit %d\n%s%s", code, out, errOut)
	}
}

// TestExplainFlags: --format dot prints the operator graph; bad flag
// combinations are usage errors (exit 2).
func TestExplainFlags(t *testing.T) {
	dir := t.TempDir()
	sql := filepath.Join(dir, "p.sql")
	goldenWrite(t, sql, goldenTestPipeline)
	out, errOut, code := runExplain("--format", "dot", sql)
	if code != 0 || !strings.HasPrefix(out, `digraph "`+sql+`" {`) || !strings.Contains(out, `label="materialize per_auction`) {
		t.Fatalf("--format dot: exit %d\n%s%s", code, out, errOut)
	}
	for _, args := range [][]string{
		{"--format", "json", sql},
		{"--rewrite", sql},
		{"--golden", dir, sql},
		{"--golden", dir, "--format", "dot"},
	} {
		if _, errOut, code := runExplain(args...); code != 2 {
			t.Errorf("explain %v: exit %d, want 2 (%s)", args, code, errOut)
		}
	}
}

func TestUnifiedDiff(t *testing.T) {
	a := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n"
	b := "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n16\nseventeen\n"
	want := `--- a
+++ b
@@ -1,6 +1,6 @@
 1
 2
-3
+three
 4
 5
 6
@@ -12,5 +12,5 @@
 12
 13
 14
-15
 16
+seventeen
`
	if got := unifiedDiff("a", "b", a, b); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// Changes 6 kept lines apart share a hunk.
	a2, b2 := "x\n1\n2\n3\n4\n5\n6\ny\n", "X\n1\n2\n3\n4\n5\n6\nY\n"
	want2 := "--- a\n+++ b\n@@ -1,8 +1,8 @@\n-x\n+X\n 1\n 2\n 3\n 4\n 5\n 6\n-y\n+Y\n"
	if got := unifiedDiff("a", "b", a2, b2); got != want2 {
		t.Errorf("got\n%s\nwant\n%s", got, want2)
	}
	if got := unifiedDiff("a", "b", a, a); got != "" {
		t.Errorf("equal texts: %q", got)
	}
}
