package exec_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/internal/difftest"
	"github.com/sqlstream/sqlstream/planner"
)

// sckTimedEvents delivers each port's append-only rows at their event
// time (column timeCol; NULL times anywhere) plus a random delay below
// delay, in random batches, each followed by its port's watermark (max
// event time seen - delay), so that no row is late; then MaxWatermark
// and Close on every port.
func sckTimedEvents(rows [][]difftest.Row, timeCol int, seed uint64, delay int64) []sckEvent {
	r := rand.New(rand.NewPCG(seed, 13))
	type arrival struct {
		at   int64
		port int
		row  difftest.Row
	}
	var arr []arrival
	var lo, hi int64 = 1 << 62, 0
	for _, rs := range rows {
		for _, row := range rs {
			if t, ok := row[timeCol].(int64); ok {
				lo, hi = min(lo, t), max(hi, t)
			}
		}
	}
	for p, rs := range rows {
		for _, row := range rs {
			t, ok := row[timeCol].(int64)
			if !ok {
				t = lo + r.Int64N(hi-lo+1)
			}
			arr = append(arr, arrival{at: t + r.Int64N(delay), port: p, row: row})
		}
	}
	slices.SortStableFunc(arr, func(a, b arrival) int { return int(a.at - b.at) })
	maxT := make([]int64, len(rows))
	var evs []sckEvent
	for len(arr) > 0 {
		p, n := arr[0].port, 1+r.IntN(6)
		var batch []difftest.Change
		for len(arr) > 0 && arr[0].port == p && len(batch) < n {
			batch = append(batch, difftest.Change{Op: exec.Insert, Row: arr[0].row})
			if t, ok := arr[0].row[timeCol].(int64); ok {
				maxT[p] = max(maxT[p], t)
			}
			arr = arr[1:]
		}
		evs = append(evs, sckEvent{port: p, changes: batch})
		if maxT[p] > 0 && r.IntN(3) > 0 {
			evs = append(evs, sckEvent{port: p, wm: maxT[p] - delay, isWM: true})
		}
	}
	for p := range rows {
		evs = append(evs, sckEvent{port: p, wm: exec.MaxWatermark, isWM: true})
	}
	for p := range rows {
		evs = append(evs, sckEvent{port: p, close: true})
	}
	return evs
}

// ivRows draws one side's rows (k, ts, v): keys from a small domain,
// times in multiples of 100 ms (equal times and exact bounds happen),
// a few NULL keys and times.
func ivRows(r *rand.Rand, n int) []difftest.Row {
	rows := make([]difftest.Row, n)
	for i := range rows {
		var k, ts, v any
		if r.IntN(20) > 0 {
			k = int64(r.IntN(5))
		}
		if r.IntN(25) > 0 {
			ts = int64(1_700_000_000_000 + r.IntN(150)*100)
		}
		if r.IntN(10) > 0 {
			v = []string{"x", "y", "z"}[r.IntN(3)]
		}
		rows[i] = difftest.Row{k, ts, v}
	}
	return rows
}

func TestIntervalJoinCheckpoint(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		for si, shape := range ivShapes {
			for _, typ := range []planner.JoinType{planner.InnerJoin, planner.LeftJoin, planner.RightJoin, planner.FullJoin} {
				residual := ""
				switch {
				case (seed+uint64(si))%3 != 0:
				case seed%3 == 0: // the key has a = b
					residual = "lk + rk < 6"
				default:
					residual = "a <> b"
				}
				t.Run(fmt.Sprintf("seed=%d/shape=%d/%s/%s", seed, si, typ, residual), func(t *testing.T) {
					checkpointIntervalJoin(t, seed, shape, typ, residual)
				})
			}
		}
	}
}

func checkpointIntervalJoin(t *testing.T, seed uint64, shape ivShape, typ planner.JoinType, residual string) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ls := mustSchema(t, "lk:bigint", "lts:timestamp", "a:varchar")
	rs := mustSchema(t, "rk:bigint", "rts:timestamp", "b:varchar")
	all := catalog.Schema{Columns: append(append([]catalog.Column(nil), ls.Columns...), rs.Columns...)}
	cfg := exec.IntervalJoinConfig{Type: typ, Left: ls.Arrow(), Right: rs.Arrow(), Out: all.Arrow(),
		LeftKeys: []int{0}, RightKeys: []int{0}, LeftTime: 1, RightTime: 1, Lower: shape.lower, Upper: shape.upper}
	if seed%3 == 0 {
		cfg.LeftKeys, cfg.RightKeys = []int{0, 2}, []int{0, 2}
	}
	if residual != "" {
		p, err := exectest.CompilePredicate(all, residual, exectest.NewHarness(nil).Now)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Residual = p
	}
	r := rand.New(rand.NewPCG(seed, 23))
	events := sckTimedEvents([][]difftest.Row{ivRows(r, 250), ivRows(r, 250)}, 1, seed, 2000)
	rg := &sckRig{schemas: []catalog.Schema{ls, rs}, mem: mem, minRows: 10, build: func(out exec.Stream) ([]exec.Stream, exec.Checkpointer) {
		j, err := exec.NewIntervalJoin(cfg, out, mem)
		if err != nil {
			t.Fatal(err)
		}
		return []exec.Stream{j.Left(), j.Right()}, j
	}}
	rg.check(t, events, seed)
}

// TestIntervalJoinCheckpointIncremental: a Snapshot writes the rows held,
// joined or expired since the previous one.
func TestIntervalJoinCheckpointIncremental(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ls := mustSchema(t, "lk:bigint", "lts:timestamp")
	rs := mustSchema(t, "rk:bigint", "rts:timestamp")
	all := catalog.Schema{Columns: append(append([]catalog.Column(nil), ls.Columns...), rs.Columns...)}
	j, err := exec.NewIntervalJoin(exec.IntervalJoinConfig{Type: planner.LeftJoin, Left: ls.Arrow(), Right: rs.Arrow(),
		Out: all.Arrow(), LeftKeys: []int{0}, RightKeys: []int{0}, LeftTime: 1, RightTime: 1, Lower: 0, Upper: 1000}, &discard{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	push := func(p exec.Stream, s catalog.Schema, from, to int, ts int64) {
		t.Helper()
		var ch []difftest.Change
		for k := from; k < to; k++ {
			ch = append(ch, difftest.Change{Op: exec.Insert, Row: difftest.Row{int64(k), ts + int64(k)}})
		}
		b, err := difftest.ToBatch(s, ch, mem)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Release()
		if err := p.Push(b); err != nil {
			t.Fatal(err)
		}
	}
	store := newMemState()
	snap := func() int {
		t.Helper()
		before := store.writes()
		if err := j.Snapshot(store); err != nil {
			t.Fatal(err)
		}
		return store.writes() - before
	}
	push(j.Left(), ls, 0, 10000, 0)
	if w := snap(); w != 10001 {
		t.Fatalf("first snapshot wrote %d entries, want 10000 rows and the meta entry", w)
	}
	if w := snap(); w != 0 {
		t.Fatalf("snapshot without changes wrote %d entries", w)
	}
	// 10 right rows join 10 held left rows: 10 new rows, 10 matched flags.
	push(j.Right(), rs, 500, 510, 0)
	if w := snap(); w != 20 {
		t.Fatalf("10 joined rows: snapshot wrote %d entries, want 20", w)
	}
	// The right watermark expires left rows at t + 1000 < 1100: the 100
	// rows at 0..99, and the meta entry.
	if err := j.Right().Watermark(1100); err != nil {
		t.Fatal(err)
	}
	if w := snap(); w != 101 || store.dels != 100 {
		t.Fatalf("100 expired rows: snapshot wrote %d entries (%d deletes), want 101 (100)", w, store.dels)
	}
}
