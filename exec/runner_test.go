package exec_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/planner"
)

func mustSchema(t *testing.T, cols ...string) catalog.Schema {
	t.Helper()
	s, err := exectest.ParseSchema(cols)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// bidSource is a memtest source (auction, price, ts) with a 1s watermark delay.
func bidSource(t *testing.T, name string, d *memData) *catalog.Source {
	setMem(name, d)
	return &catalog.Source{
		Name: name, Schema: mustSchema(t, "auction:bigint", "price:bigint", "ts:timestamp"),
		Connector: "memtest", Watermark: &catalog.Watermark{Column: 2, DelayMs: 1000},
	}
}

func scanOf(src *catalog.Source, cols ...int) *planner.SourceScan {
	s := src.Schema
	if cols != nil {
		s = catalog.Schema{}
		for _, c := range cols {
			s.Columns = append(s.Columns, src.Schema.Columns[c])
		}
	}
	return &planner.SourceScan{P: planner.Props{Schema: s}, Source: src, Columns: cols}
}

func filterOf(t *testing.T, in planner.Physical, cond string) *planner.FilterNode {
	t.Helper()
	e, err := exectest.BindOne(in.Props().Schema, cond)
	if err != nil {
		t.Fatal(err)
	}
	return &planner.FilterNode{P: *in.Props(), Input: in, Cond: e}
}

func projectOf(t *testing.T, in planner.Physical, list string) *planner.ProjectNode {
	t.Helper()
	bound, err := exectest.Bind(in.Props().Schema, list)
	if err != nil {
		t.Fatal(err)
	}
	n := &planner.ProjectNode{Input: in}
	for _, b := range bound {
		n.Exprs = append(n.Exprs, b.Expr)
		n.P.Schema.Columns = append(n.P.Schema.Columns, catalog.Column{Name: b.Name, Type: b.Expr.Type()})
	}
	return n
}

func viewOf(name string, in planner.Physical) *planner.MaterializeNode {
	return &planner.MaterializeNode{P: *in.Props(), Input: in, View: &catalog.View{Name: name, Schema: in.Props().Schema, Materialized: true}}
}

// run runs p to completion on a fresh fake store and checks for leaks.
func run(t *testing.T, p *planner.Plan, opts exec.RunOptions) (*fakeStore, *exec.Runner, error) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	opts.Alloc = mem
	if opts.CheckpointInterval == 0 {
		opts.CheckpointInterval = time.Hour
	}
	st := newFakeStore()
	r, err := exec.NewRunner(p, st, opts)
	if err != nil {
		t.Fatal(err)
	}
	err = r.Run(context.Background())
	mem.AssertSize(t, 0)
	return st, r, err
}

func checkLog(t *testing.T, st *fakeStore, want string) {
	t.Helper()
	if got := st.Log(); got != strings.TrimSpace(want) {
		t.Errorf("store log:\n%s\nwant:\n%s", got, strings.TrimSpace(want))
	}
}

func TestRunBounded(t *testing.T) {
	d := &memData{batches: []string{
		"+I 1 10 '2024-01-01 00:00:01.000'\n+I 2 3 '2024-01-01 00:00:02.000'",
		"",
		"+I 3 20 '2024-01-01 00:00:05.000'\n+I 4 30 NULL",
		"+I 5 1 '2024-01-01 00:00:03.000'",
	}, bad: 2}
	src := bidSource(t, "bid", d)
	root := viewOf("v", projectOf(t, filterOf(t, scanOf(src), "price > 5"), "auction, price * 2 AS p2"))
	p := &planner.Plan{Catalog: catalog.New(), Roots: []planner.Physical{root},
		Tables: []*planner.TableInit{{Table: &catalog.Table{Name: "dim"}}}}
	st, r, err := run(t, p, exec.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Row 4 (NULL time) flows on; row 5 (00:00:03, behind the watermark
	// 00:00:04) goes to late_bid with that watermark.
	checkLog(t, st, `
init table dim
errors table bid
bad record bid: bad json
bad record bid: bad json
v: +I 1 20
v: watermark '2024-01-01 00:00:01.000'
v: +I 3 40
v: +I 4 60
v: watermark '2024-01-01 00:00:04.000'
late_bid: +I 5 1 '2024-01-01 00:00:03.000' '2024-01-01 00:00:04.000'
v: watermark max
v: barrier 1
commit 1
v: close`)
	if d.opens != 1 || d.closes != 1 {
		t.Errorf("source opened %d, closed %d times; want 1, 1", d.opens, d.closes)
	}
	s := r.Stats()
	if s.EventsIn != 5 || s.BadRecords != 2 || s.LateRows != 1 || s.Sources[0].LateRows != 1 ||
		s.Epochs != 1 || len(s.Roots) != 1 || s.Roots[0].Rows != 3 {
		t.Errorf("stats = %+v", s)
	}
	if s.Sources[0].Watermark != exec.MaxWatermark {
		t.Errorf("final watermark = %d, want max", s.Sources[0].Watermark)
	}
	if len(st.lates) != 1 || st.lates[0] != "late_bid" || st.lateClosed != 1 {
		t.Errorf("late tables %v, closed %d; want [late_bid] closed once", st.lates, st.lateClosed)
	}
}

func TestRunFanoutAndPrunedScan(t *testing.T) {
	d := &memData{batches: []string{"+I 1 10 '2024-01-01 00:00:01.000'\n+I 2 3 NULL"}}
	src := bidSource(t, "bid2", d)
	v1 := viewOf("cheap", filterOf(t, scanOf(src, 1, 0), "price < 5"))
	v2 := viewOf("all", scanOf(src))
	p := &planner.Plan{Catalog: catalog.New(), Roots: []planner.Physical{v1, v2}}
	st, r, err := run(t, p, exec.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkLog(t, st, `
errors table bid2
cheap: +I 3 2
all: +I 1 10 '2024-01-01 00:00:01.000'
all: +I 2 3 NULL
cheap: watermark '2024-01-01 00:00:00.000'
all: watermark '2024-01-01 00:00:00.000'
cheap: watermark max
all: watermark max
cheap: barrier 1
all: barrier 1
commit 1
cheap: close
all: close`)
	if d.opens != 1 {
		t.Errorf("source opened %d times, want once", d.opens)
	}
	if s := r.Stats(); s.Roots[0].Rows != 1 || s.Roots[1].Rows != 2 || s.EventsIn != 2 {
		t.Errorf("stats = %+v", s)
	}
}

func TestRunCheckpointsAndCancel(t *testing.T) {
	batches := make([]string, 20)
	for i := range batches {
		batches[i] = "+I 1 10 '2024-01-01 00:00:01.000'"
	}
	d := &memData{batches: batches, endless: true}
	src := bidSource(t, "bid3", d)
	p := &planner.Plan{Catalog: catalog.New(), Roots: []planner.Physical{viewOf("v", scanOf(src))}}
	p.Catalog.Settings = catalog.Options{{Key: "checkpoint.interval", Value: "5ms"}}
	st := newFakeStore()
	r, err := exec.NewRunner(p, st, exec.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- r.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for r.Stats().Epochs < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("cancelled run returned %v, want nil", err)
	}
	log := st.Log()
	if strings.Contains(log, "watermark max") {
		t.Errorf("a cancelled unbounded run must not send the max watermark:\n%s", log)
	}
	if n := strings.Count(log, "commit "); n < 4 {
		t.Errorf("want at least 3 periodic + 1 final commits, got %d:\n%s", n, log)
	}
	if !strings.HasSuffix(log, "commit "+strconv.FormatUint(r.Stats().Epochs, 10)+"\nv: close") {
		t.Errorf("run must end with the final commit then close:\n%s", log)
	}
	if strings.Count(log, "+I 1 10") != 20 || d.closes != 1 {
		t.Errorf("rows or close missing (closes=%d):\n%s", d.closes, log)
	}
}

func TestRunErrors(t *testing.T) {
	t.Run("source", func(t *testing.T) {
		d := &memData{batches: []string{"+I 1 1 NULL"}, failAt: 1, err: errors.New("connection reset")}
		src := bidSource(t, "flaky", d)
		p := &planner.Plan{Roots: []planner.Physical{viewOf("v", scanOf(src))}}
		st, _, err := run(t, p, exec.RunOptions{})
		if err == nil || !strings.Contains(err.Error(), "source flaky: connection reset") {
			t.Fatalf("err = %v", err)
		}
		if strings.Contains(st.Log(), "commit") || d.closes != 1 {
			t.Errorf("a failed run must not commit and must close its sources (closes=%d):\n%s", d.closes, st.Log())
		}
	})
	t.Run("writer", func(t *testing.T) {
		src := bidSource(t, "ok", &memData{batches: []string{"+I 1 1 NULL"}})
		p := &planner.Plan{Roots: []planner.Physical{viewOf("v", filterOf(t, scanOf(src), "price > 0"))}}
		st := newFakeStore()
		st.failPush = "v"
		r, _ := exec.NewRunner(p, st, exec.RunOptions{CheckpointInterval: time.Hour})
		err := r.Run(context.Background())
		if err == nil || !strings.Contains(err.Error(), "source ok: view v: disk full") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("connector", func(t *testing.T) {
		src := &catalog.Source{Name: "x", Connector: "nope"}
		p := &planner.Plan{Roots: []planner.Physical{viewOf("v", scanOf(src))}}
		_, _, err := run(t, p, exec.RunOptions{})
		if err == nil || !strings.Contains(err.Error(), `unknown connector "nope"`) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("interval", func(t *testing.T) {
		p := &planner.Plan{Catalog: catalog.New()}
		p.Catalog.Settings = catalog.Options{{Key: "checkpoint.interval", Value: "soon"}}
		if _, err := exec.NewRunner(p, newFakeStore(), exec.RunOptions{}); err == nil {
			t.Fatal("want an error for a bad checkpoint.interval")
		}
	})
}

func TestRunSinkAndTable(t *testing.T) {
	src := bidSource(t, "bid4", &memData{batches: []string{"+I 7 70 NULL"}})
	sink := &planner.SinkWriteNode{Input: scanOf(src, 0), Sink: &catalog.Sink{Name: "out", Connector: "memsink"}}
	sink.P = *sink.Input.Props()
	tbl := &planner.SinkWriteNode{Input: scanOf(src, 1), Table: &catalog.Table{Name: "t"}}
	tbl.P = *tbl.Input.Props()
	p := &planner.Plan{Roots: []planner.Physical{sink, tbl}}
	st, r, err := run(t, p, exec.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sinkStore.Log(), "sink out: +I 7") || !strings.Contains(st.Log(), "t: +I 70") {
		t.Errorf("sink log:\n%s\nstore log:\n%s", sinkStore.Log(), st.Log())
	}
	if s := r.Stats(); s.Roots[0].Kind != exec.RootSink || s.Roots[1].Kind != exec.RootTable {
		t.Errorf("roots = %+v", s.Roots)
	}
}
