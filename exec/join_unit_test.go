package exec_test

import (
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/planner"
)

// kvJoin builds an inner or left join of (lk, a) with (rk, b) on lk = rk.
func kvJoin(t *testing.T, typ planner.JoinType, ttl time.Duration, clock func() time.Time, out exec.Stream, mem memory.Allocator) (*exec.Join, catalog.Schema, catalog.Schema) {
	t.Helper()
	ls := mustSchema(t, "lk:bigint", "a:varchar")
	rs := mustSchema(t, "rk:bigint", "b:varchar")
	all := catalog.Schema{Columns: append(append([]catalog.Column(nil), ls.Columns...), rs.Columns...)}
	j, err := exec.NewJoin(exec.JoinConfig{
		Type: typ, Left: ls.Arrow(), Right: rs.Arrow(), Out: all.Arrow(),
		LeftKeys: []int{0}, RightKeys: []int{0}, StateTTL: ttl, Clock: clock,
	}, out, mem)
	if err != nil {
		t.Fatal(err)
	}
	return j, ls, rs
}

func pushRows(t *testing.T, s exec.Stream, schema catalog.Schema, rows string, mem memory.Allocator) {
	t.Helper()
	b, err := exectest.ParseBatch(schema, rows, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Release()
	if err := s.Push(b); err != nil {
		t.Fatal(err)
	}
}

// TestJoinTTL: rows idle longer than the TTL are dropped without output;
// their later retraction is ignored.
func TestJoinTTL(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	out := &exectest.Capture{}
	j, ls, rs := kvJoin(t, planner.LeftJoin, time.Minute, clock, out, mem)
	pushRows(t, j.Left(), ls, "+I 1 x\n+I 2 y", mem)
	now = now.Add(50 * time.Second)
	pushRows(t, j.Left(), ls, "+I 2 y", mem) // touches (2, y)
	if rows, bytes := j.StateSize(); rows != 2 || bytes <= 0 {
		t.Errorf("state = %d rows, %d bytes; want 2 rows", rows, bytes)
	}
	now = now.Add(40 * time.Second) // (1, x) idle 90s, (2, y) 40s
	pushRows(t, j.Right(), rs, "+I 1 p\n+I 2 q", mem)
	got := out.Take()
	want := "+I 1 x NULL NULL\n+I 2 y NULL NULL\n+I 2 y NULL NULL\n-D 2 y NULL NULL\n-D 2 y NULL NULL\n+I 2 y 2 q\n+I 2 y 2 q\n"
	if got != want {
		t.Errorf("after expiry got:\n%swant:\n%s", got, want)
	}
	pushRows(t, j.Left(), ls, "-D 1 x", mem)
	if got := out.Take(); got != "" {
		t.Errorf("retracting an expired row emitted:\n%s", got)
	}
	if rows, _ := j.StateSize(); rows != 3 {
		t.Errorf("state = %d rows, want 3", rows)
	}
}

// TestJoinPorts: watermarks take the minimum of the ports, barriers align,
// close waits for both ports, and a closed port refuses rows.
func TestJoinPorts(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	out := &exectest.Capture{}
	j, ls, _ := kvJoin(t, planner.InnerJoin, 0, nil, out, mem)
	steps := []func() error{
		func() error { return j.Left().Watermark(10) },
		func() error { return j.Right().Watermark(5) },
		func() error { return j.Right().Watermark(20) },
		func() error { return j.Left().Watermark(8) }, // never backwards
		func() error { return j.Left().Barrier(1) },
		func() error { return j.Left().Barrier(2) },
		func() error { return j.Right().Barrier(1) },
		func() error { return j.Right().Close() },
		func() error { return j.Left().Close() },
	}
	for _, s := range steps {
		if err := s(); err != nil {
			t.Fatal(err)
		}
	}
	want := "watermark '1970-01-01 00:00:00.005'\nwatermark '1970-01-01 00:00:00.010'\nbarrier 1\nbarrier 2\nclose\n"
	if got := out.Take(); got != want {
		t.Errorf("got:\n%swant:\n%s", got, want)
	}
	b, _ := exectest.ParseBatch(ls, "+I 1 x", mem)
	defer b.Release()
	if err := j.Left().Push(b); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("push after close: err = %v", err)
	}
}

// TestRunJoin runs a plan with a JoinNode through Build and the runner.
func TestRunJoin(t *testing.T) {
	bids := bidSource(t, "join_bids", &memData{batches: []string{
		"+I 1 10 '2024-01-01 00:00:01.000'\n+I 2 20 '2024-01-01 00:00:02.000'",
		"+I 1 30 '2024-01-01 00:00:03.000'",
	}})
	items := bidSource(t, "join_items", &memData{batches: []string{
		"+I 1 5 '2024-01-01 00:00:01.000'\n+I 3 7 '2024-01-01 00:00:01.000'",
	}})
	l, r := scanOf(bids, 0, 1), scanOf(items, 0, 1)
	all := catalog.Schema{Columns: append(append([]catalog.Column(nil), l.P.Schema.Columns...), r.P.Schema.Columns...)}
	cond, err := exectest.BindOne(all, "price < 25")
	if err != nil {
		t.Fatal(err)
	}
	j := &planner.JoinNode{P: planner.Props{Schema: all}, Left: l, Right: r, Type: planner.FullJoin,
		LeftKeys: []int{0}, RightKeys: []int{0}, Residual: cond}
	st, _, err := run(t, &planner.Plan{Catalog: catalog.New(), Roots: []planner.Physical{viewOf("j", j)}}, exec.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	log := st.Log()
	for _, want := range []string{"j: +I 1 10 1 5", "j: +I NULL NULL 3 7", "j: +I 2 20 NULL NULL", "j: +I 1 30 NULL NULL", "j: close"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}
