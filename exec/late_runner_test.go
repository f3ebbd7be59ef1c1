package exec_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/parser"
	"github.com/sqlstream/sqlstream/planner"
)

func planSQL(t *testing.T, sql string) *planner.Plan {
	t.Helper()
	f, err := parser.Parse("late.sql", sql)
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.PlanFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// latePipeline reads lt_bid through a pruned scan (the late table still
// gets every source column); lt_unread has a WATERMARK but no reader.
const latePipeline = `%s
CREATE SOURCE lt_bid (auction BIGINT, price BIGINT, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL 1 SECOND) WITH (connector = 'memtest');
CREATE SOURCE lt_unread (x BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH (connector = 'memtest');
CREATE SOURCE lt_plain (x BIGINT) WITH (connector = 'memtest');
CREATE MATERIALIZED VIEW lt_v AS SELECT auction, price FROM lt_bid WHERE price > 0;
`

// lateRows are lt_bid's rows; 3, 5 and 7 are behind the watermark when
// they arrive (the watermark after row 2 is 00:00:09, after row 6
// 00:00:19); row 4 has no event time and flows on.
var lateRows = []string{
	"+I 1 10 '2024-01-01 00:00:05.000'",
	"+I 2 20 '2024-01-01 00:00:10.000'",
	"+I 3 30 '2024-01-01 00:00:08.999'",
	"+I 4 40 NULL",
	"+I 5 50 '2024-01-01 00:00:01.000'",
	"+I 6 60 '2024-01-01 00:00:20.000'",
	"+I 7 70 '2024-01-01 00:00:18.999'",
	"+I 8 80 '2024-01-01 00:00:19.000'",
}

// runLate runs latePipeline with the rows of lt_bid cut into batches of
// size rows.
func runLate(t *testing.T, set string, size int) (*fakeStore, exec.Stats) {
	t.Helper()
	var batches []string
	for i := 0; i < len(lateRows); i += size {
		batches = append(batches, strings.Join(lateRows[i:min(i+size, len(lateRows))], "\n"))
	}
	setMem("lt_bid", &memData{batches: batches})
	st, r, err := run(t, planSQL(t, fmt.Sprintf(latePipeline, set)), exec.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return st, r.Stats()
}

func TestRunLateRows(t *testing.T) {
	var first []string
	for _, size := range []int{1, 3, len(lateRows)} {
		st, stats := runLate(t, "", size)
		log := st.Log()
		rows := append(linesOf(log, "late_lt_bid"), "--")
		for _, l := range linesOf(log, "lt_v") {
			if strings.HasPrefix(l, "+I") {
				rows = append(rows, l)
			}
		}
		want := []string{
			"+I 3 30 '2024-01-01 00:00:08.999' '2024-01-01 00:00:09.000'",
			"+I 5 50 '2024-01-01 00:00:01.000' '2024-01-01 00:00:09.000'",
			"+I 7 70 '2024-01-01 00:00:18.999' '2024-01-01 00:00:19.000'",
			"--", "+I 1 10", "+I 2 20", "+I 4 40", "+I 6 60", "+I 8 80",
		}
		if !slices.Equal(rows, want) {
			t.Errorf("batch size %d: late rows, then view rows:\n%s\nwant:\n%s", size, strings.Join(rows, "\n"), strings.Join(want, "\n"))
		}
		if first == nil {
			first = rows
		}
		if stats.LateRows != 3 || stats.Sources[0].LateRows != 3 {
			t.Errorf("batch size %d: late rows counted %d (source %d), want 3", size, stats.LateRows, stats.Sources[0].LateRows)
		}
		// Every source with a WATERMARK has its table, read or not.
		if !slices.Equal(st.lates, []string{"late_lt_bid", "late_lt_unread"}) || st.lateClosed != 2 {
			t.Errorf("late tables %v (closed %d), want late_lt_bid, late_lt_unread", st.lates, st.lateClosed)
		}
	}
}

func TestRunLatePolicyDrop(t *testing.T) {
	st, stats := runLate(t, "SET 'late.policy' = 'DROP';", 2)
	if got := linesOf(st.Log(), "late_lt_bid"); len(got) != 0 {
		t.Errorf("policy drop wrote late rows: %v", got)
	}
	if stats.LateRows != 3 || len(st.lates) != 2 {
		t.Errorf("late rows %d, tables %v; want 3 counted and both tables created", stats.LateRows, st.lates)
	}
	if n := strings.Count(st.Log(), "lt_v: +I"); n != 5 {
		t.Errorf("view got %d rows, want the 5 on time:\n%s", n, st.Log())
	}
	t.Run("bad policy", func(t *testing.T) {
		p := &planner.Plan{Catalog: catalog.New()}
		p.Catalog.Settings = catalog.Options{{Key: "late.policy", Value: "ignore"}}
		_, err := exec.NewRunner(p, newFakeStore(), exec.RunOptions{})
		if err == nil || !strings.Contains(err.Error(), "'late.policy' = 'ignore': want 'side-table' or 'drop'") {
			t.Fatalf("err = %v", err)
		}
	})
}

// idleRun runs a paced source a (one row per 5ms, each a second later)
// and a source b that produces one row, nothing for a while, then a row
// at 00:00:03 and one at 00:01:00. b's WITH options are bOpts.
func idleRun(t *testing.T, name string, bOpts catalog.Options) (*fakeStore, exec.Stats) {
	t.Helper()
	var aRows []string
	for k := 1; k <= 40; k++ {
		aRows = append(aRows, fmt.Sprintf("+I %d 1 '2024-01-01 00:00:%02d.000'", k, k))
	}
	a := bidSource(t, name+"_a", &memData{batches: aRows, pace: 5 * time.Millisecond})
	bBatches := []string{"+I 1 1 '2024-01-01 00:00:00.500'"}
	for i := 0; i < 25; i++ {
		bBatches = append(bBatches, "")
	}
	bBatches = append(bBatches, "+I 2 2 '2024-01-01 00:00:03.000'", "+I 3 3 '2024-01-01 00:01:00.000'")
	b := bidSource(t, name+"_b", &memData{batches: bBatches})
	b.Options = bOpts
	p := &planner.Plan{Catalog: catalog.New(), Roots: []planner.Physical{viewOf("va", scanOf(a)), viewOf("vb", scanOf(b))}}
	p.Catalog.Settings = catalog.Options{{Key: "source.idle_timeout", Value: "1h"}}
	st, r, err := run(t, p, exec.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return st, r.Stats()
}

func watermarksOf(log, view string) []string {
	var out []string
	for _, l := range linesOf(log, view) {
		if w, ok := strings.CutPrefix(l, "watermark "); ok {
			out = append(out, w)
		}
	}
	return out
}

func TestRunIdleSource(t *testing.T) {
	// b's own option (20ms) overrides the SET default (1h) that keeps a
	// from ever being idle.
	st, stats := idleRun(t, "idle", catalog.Options{{Key: "source.idle_timeout", Value: "20ms"}})
	log := st.Log()
	aWms, bWms := watermarksOf(log, "va"), watermarksOf(log, "vb")
	if !slices.IsSorted(bWms[:len(bWms)-1]) {
		t.Errorf("b's watermarks went backwards: %v", bWms)
	}
	own := map[string]bool{"'2023-12-31 23:59:59.500'": true, "'2024-01-01 00:00:59.000'": true, "max": true}
	advanced := 0
	for _, w := range bWms {
		if own[w] {
			continue
		}
		// An idle source only ever takes a watermark the others reached.
		if !slices.Contains(aWms, w) {
			t.Errorf("b's watermark %s is none of a's %v", w, aWms)
		}
		advanced++
	}
	if advanced == 0 {
		t.Errorf("idle source b was never advanced: %v", bWms)
	}
	// b's row at 00:00:03 came after its watermark was advanced past it;
	// the row at 00:01:00 drives b's watermark itself again.
	if got := linesOf(log, "late_idle_b"); len(got) != 1 || !strings.HasPrefix(got[0], "+I 2 2 '2024-01-01 00:00:03.000'") {
		t.Errorf("late rows of b = %v", got)
	}
	if !slices.Contains(bWms, "'2024-01-01 00:00:59.000'") || stats.Sources[1].LateRows != 1 || stats.Sources[0].LateRows != 0 {
		t.Errorf("b's watermarks %v, late rows %+v", bWms, stats.Sources)
	}

	t.Run("no timeout", func(t *testing.T) {
		st, stats := idleRun(t, "busy", nil)
		bWms := watermarksOf(st.Log(), "vb")
		want := []string{"'2023-12-31 23:59:59.500'", "'2024-01-01 00:00:02.000'", "'2024-01-01 00:00:59.000'", "max"}
		if !slices.Equal(bWms, want) || stats.LateRows != 0 {
			t.Errorf("b's watermarks %v (late %d), want %v and no late rows", bWms, stats.LateRows, want)
		}
	})
	t.Run("bad option", func(t *testing.T) {
		src := bidSource(t, "idle_bad", &memData{})
		src.Options = catalog.Options{{Key: "source.idle_timeout", Value: "soon"}}
		p := &planner.Plan{Catalog: catalog.New(), Roots: []planner.Physical{viewOf("v", scanOf(src))}}
		_, _, err := run(t, p, exec.RunOptions{})
		if err == nil || !strings.Contains(err.Error(), `source idle_bad: option 'source.idle_timeout': bad duration "soon"`) {
			t.Fatalf("err = %v", err)
		}
		if err := exec.CheckSource(src); err == nil {
			t.Error("CheckSource accepted a bad idle timeout")
		}
	})
}

func TestRunStateStats(t *testing.T) {
	setMem("st_a", &memData{batches: []string{"+I 1 10\n+I 1 11", "+I 2 12"}})
	setMem("st_b", &memData{batches: []string{"+I 1 100"}})
	p := planSQL(t, `
CREATE SOURCE st_a (k BIGINT, v BIGINT) WITH (connector = 'memtest');
CREATE SOURCE st_b (k BIGINT, w BIGINT) WITH (connector = 'memtest');
CREATE MATERIALIZED VIEW st_agg AS SELECT k, COUNT(*) AS n FROM st_a GROUP BY k;
CREATE MATERIALIZED VIEW st_join AS SELECT a.k, v, w FROM st_a a JOIN st_b b ON a.k = b.k;
`)
	_, r, err := run(t, p, exec.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := r.Stats()
	var got []string
	for _, o := range s.Operators {
		got = append(got, fmt.Sprintf("%s rows=%d peak=%d bytes>0=%v", o.Name, o.Rows, o.PeakRows, o.Bytes > 0))
	}
	want := []string{
		"hash-agg group by (k) rows=2 peak=2 bytes>0=true",
		"join inner on (k) = (k) rows=4 peak=4 bytes>0=true",
	}
	if !slices.Equal(got, want) {
		t.Errorf("operators:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rows, bytes := s.StateTotals(); rows != 6 || bytes <= 0 {
		t.Errorf("state totals = %d rows, %d bytes", rows, bytes)
	}
}

// TestRunWatermarkSource: a source that computes its own watermark (one
// per partition, the minimum forwarded) has its rows judged against the
// watermark in force before their batch, so a slow partition's rows are
// not late behind a fast partition's rows of the same batch.
func TestRunWatermarkSource(t *testing.T) {
	ms := func(s string) int64 {
		v, err := time.Parse("2006-01-02 15:04:05", s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UnixMilli()
	}
	setMem("lt_bid", &memData{
		batches: []string{
			// a fast partition at 00:00:20, a slow one at 00:00:05
			"+I 1 10 '2024-01-01 00:00:20.000'\n+I 2 20 '2024-01-01 00:00:05.000'",
			// the slow partition: 00:00:03.5 is behind min(19, 4) = 4 s
			"+I 3 30 '2024-01-01 00:00:03.500'\n+I 4 40 '2024-01-01 00:00:04.500'",
		},
		wms: []int64{ms("2024-01-01 00:00:04"), ms("2024-01-01 00:00:04")},
	})
	st, r, err := run(t, planSQL(t, fmt.Sprintf(latePipeline, "")), exec.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	log := st.Log()
	late := linesOf(log, "late_lt_bid")
	want := []string{"+I 3 30 '2024-01-01 00:00:03.500' '2024-01-01 00:00:04.000'"}
	if !slices.Equal(late, want) {
		t.Errorf("late rows:\n%s\nwant:\n%s", strings.Join(late, "\n"), strings.Join(want, "\n"))
	}
	if n := r.Stats().LateRows; n != 1 {
		t.Errorf("late rows counted %d, want 1", n)
	}
	var view []string
	for _, l := range linesOf(log, "lt_v") {
		if strings.HasPrefix(l, "+I") {
			view = append(view, l)
		}
	}
	if want := []string{"+I 1 10", "+I 2 20", "+I 4 40"}; !slices.Equal(view, want) {
		t.Errorf("view rows %v, want %v", view, want)
	}
}
