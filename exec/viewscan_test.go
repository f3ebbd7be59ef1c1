package exec_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/parser"
	"github.com/sqlstream/sqlstream/planner"
)

// viewScanPipeline layers DWS over DWD over two changelog sources. dwdKind
// is "MATERIALIZED" (DWS and the sink read DWD's changelog through view
// scans) or "" (DWD is a plain view: DWS recomputes it). The self-join
// reads dws twice.
const viewScanPipeline = `
CREATE SOURCE vs_acct (id BIGINT NOT NULL, cust BIGINT, bal BIGINT, status VARCHAR, PRIMARY KEY (id))
  WITH (connector = 'memtest', format = 'debezium-json');
CREATE SOURCE vs_cust (id BIGINT NOT NULL, branch INT, PRIMARY KEY (id))
  WITH (connector = 'memtest', format = 'debezium-json');
CREATE %[1]s VIEW dwd AS
  SELECT a.id, a.bal, c.branch FROM vs_acct a JOIN vs_cust c ON a.cust = c.id WHERE a.status = 'active';
CREATE MATERIALIZED VIEW dws AS
  SELECT branch, COUNT(*) AS n, SUM(bal) AS total FROM dwd GROUP BY branch;
CREATE MATERIALIZED VIEW ads AS
  SELECT d.branch, d.n, x.total FROM dws d JOIN dws x ON d.branch = x.branch WHERE d.n > 1;
CREATE SINK vs_out_%[2]s FROM dwd WITH (connector = 'memsink');
`

func viewScanData() {
	setMem("vs_acct", &memData{batches: []string{
		"+I 1 10 100 'active'\n+I 2 10 50 'active'\n+I 3 11 70 'closed'",
		"-U 2 10 50 'active'\n+U 2 11 55 'active'\n+I 4 12 5 'active'",
		"",
		"-D 1 10 100 'active'\n-U 3 11 70 'closed'\n+U 3 11 71 'active'",
	}})
	setMem("vs_cust", &memData{batches: []string{
		"+I 10 1\n+I 11 2",
		"+I 12 1",
		"-U 11 2\n+U 11 1",
		"-D 12 1",
	}})
}

func planPipeline(t *testing.T, dwdKind, tag string) *planner.Plan {
	t.Helper()
	f, err := parser.Parse("vs.sql", fmt.Sprintf(viewScanPipeline, dwdKind, tag))
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.PlanFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// linesOf returns the log lines of one writer, without its prefix.
func linesOf(log, name string) []string {
	var out []string
	for _, l := range strings.Split(log, "\n") {
		if rest, ok := strings.CutPrefix(l, name+": "); ok {
			out = append(out, rest)
		}
	}
	return out
}

func countViewScans(n planner.Physical) int {
	c := 0
	if _, ok := n.(*planner.ViewScan); ok {
		c++
	}
	for _, in := range n.Inputs() {
		c += countViewScans(in)
	}
	return c
}

// TestRunViewScanMatchesRecompute: views reading a materialized view's
// changelog see exactly the changes they would compute from the sources,
// with one barrier per epoch and one Close each, and the view's rows are
// counted once.
func TestRunViewScanMatchesRecompute(t *testing.T) {
	viewScanData()
	mv := planPipeline(t, "MATERIALIZED", "mv")
	scans := 0
	for _, r := range mv.Roots {
		scans += countViewScans(r)
	}
	if scans != 4 { // dws <- dwd, ads <- dws twice, sink <- dwd
		t.Fatalf("plan has %d view scans, want 4:\n%s", scans, planner.Explain(mv))
	}
	st, r, err := run(t, mv, exec.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	viewScanData()
	st2, _, err := run(t, planPipeline(t, "", "plain"), exec.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"dws", "ads"} {
		got, want := linesOf(st.Log(), v), linesOf(st2.Log(), v)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s reading views:\n%s\nrecomputed:\n%s", v, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if !strings.Contains("\n"+strings.Join(got, "\n"), "\n-") {
			t.Errorf("%s: the test should see retractions:\n%s", v, strings.Join(got, "\n"))
		}
	}
	sinkGot, sinkWant := linesOf(sinkStore.Log(), "sink vs_out_mv"), linesOf(sinkStore.Log(), "sink vs_out_plain")
	if len(sinkGot) == 0 || strings.Join(sinkGot, "\n") != strings.Join(sinkWant, "\n") {
		t.Errorf("sink FROM dwd reading the view:\n%s\nrecomputed:\n%s", strings.Join(sinkGot, "\n"), strings.Join(sinkWant, "\n"))
	}
	dwd := linesOf(st.Log(), "dwd")
	for _, want := range []string{"barrier 1", "close", "watermark max"} {
		for _, v := range []string{"dwd", "dws", "ads"} {
			if n := count(linesOf(st.Log(), v), want); n != 1 {
				t.Errorf("%s got %q %d times, want once:\n%s", v, want, n, st.Log())
			}
		}
	}
	rows := 0
	for _, l := range dwd {
		if strings.HasPrefix(l, "+") || strings.HasPrefix(l, "-") {
			rows++
		}
	}
	for _, rs := range r.Stats().Roots {
		if rs.Name == "dwd" && rs.Rows != int64(rows) {
			t.Errorf("dwd stats rows = %d, want %d (counted once)", rs.Rows, rows)
		}
	}
}

func count(lines []string, s string) int {
	n := 0
	for _, l := range lines {
		if l == s {
			n++
		}
	}
	return n
}
