package exec_test

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/internal/difftest"
	"github.com/sqlstream/sqlstream/planner"
)

// Checkpoint tests of the stateful operators (join, normalize, interval
// join, unique-key join, OVER) share this rig: a fixed list of input
// events is run once straight through, and once with Snapshots into an
// in-memory store at random points and crashes at others: the operator
// is discarded, a new one Restores from the store, the output since the
// last Snapshot is forgotten and the input replays from there. Every
// input event must then have produced the same output rows and ops (as a
// multiset: rows of one event may come in another order), watermarks and
// close as in the straight run.

// sckEvent is one input event of a port: a batch, a watermark or Close.
type sckEvent struct {
	port    int
	changes []difftest.Change
	wm      int64
	isWM    bool
	close   bool
}

// sckLog records an operator's output, each entry tagged with the input
// event that produced it.
type sckLog struct {
	event   int
	entries []sckEntryLog
}

type sckEntryLog struct {
	event int
	s     string
}

func (l *sckLog) add(s string) { l.entries = append(l.entries, sckEntryLog{l.event, s}) }

func (l *sckLog) Push(b exec.Batch) error {
	for i := range b.NumRows() {
		l.add(b.Op(i).String() + " " + difftest.FormatArrowRow(b.Rec, i))
	}
	return nil
}
func (l *sckLog) Watermark(t int64) error { l.add(fmt.Sprintf("WM %d", t)); return nil }
func (l *sckLog) Barrier(uint64) error    { return nil }
func (l *sckLog) Close() error            { l.add("CLOSE"); return nil }

// byEvent groups the log by input event, each group sorted.
func (l *sckLog) byEvent(n int) [][]string {
	out := make([][]string, n)
	for _, e := range l.entries {
		out[e.event] = append(out[e.event], e.s)
	}
	for _, g := range out {
		slices.Sort(g)
	}
	return out
}

// sckRig runs events through an operator built by build, which returns
// its input ports and its Checkpointer.
type sckRig struct {
	schemas []catalog.Schema // per port
	build   func(out exec.Stream) ([]exec.Stream, exec.Checkpointer)
	mem     memory.Allocator
	minRows int // output rows below which the test proves too little
}

func (rg *sckRig) apply(t *testing.T, ports []exec.Stream, ev sckEvent) {
	t.Helper()
	p := ports[ev.port]
	switch {
	case ev.close:
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
	case ev.isWM:
		if err := p.Watermark(ev.wm); err != nil {
			t.Fatal(err)
		}
	default:
		b, err := difftest.ToBatch(rg.schemas[ev.port], ev.changes, rg.mem)
		if err != nil {
			t.Fatal(err)
		}
		err = p.Push(b)
		b.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// sckResult is what a recovering run did besides its output.
type sckResult struct {
	snapshots, crashes int
}

// run applies events straight through (recover false) or with random
// snapshots and crashes, and returns the output by event.
func (rg *sckRig) run(t *testing.T, events []sckEvent, seed uint64, recover bool) ([][]string, sckResult) {
	t.Helper()
	log := &sckLog{}
	ports, ck := rg.build(log)
	if !recover {
		for i, ev := range events {
			log.event = i
			rg.apply(t, ports, ev)
		}
		return log.byEvent(len(events)), sckResult{}
	}
	h := fnv.New64a()
	h.Write([]byte(t.Name()))
	r := rand.New(rand.NewPCG(seed, h.Sum64()))
	store := newMemState()
	var res sckResult
	lastI, lastLen := 0, 0
	for i := 0; i < len(events); {
		log.event = i
		rg.apply(t, ports, events[i])
		i++
		switch x := r.IntN(100); {
		case x < 25 || i == len(events):
			if err := ck.Snapshot(store); err != nil {
				t.Fatal(err)
			}
			res.snapshots++
			lastI, lastLen = i, len(log.entries)
			// Nothing changed since: nothing to write.
			before := store.writes()
			if err := ck.Snapshot(store); err != nil {
				t.Fatal(err)
			}
			if n := store.writes() - before; n != 0 {
				t.Fatalf("event %d: a Snapshot right after a Snapshot wrote %d entries", i, n)
			}
		case x < 35 && res.crashes < 40:
			res.crashes++
			ports, ck = rg.build(log)
			if err := ck.Restore(store); err != nil {
				t.Fatal(err)
			}
			// A restored operator has nothing to write.
			if res.snapshots > 0 {
				before := store.writes()
				if err := ck.Snapshot(store); err != nil {
					t.Fatal(err)
				}
				if n := store.writes() - before; n != 0 {
					t.Fatalf("event %d: a Snapshot right after Restore wrote %d entries", i, n)
				}
			}
			i = lastI
			log.entries = log.entries[:lastLen]
		}
	}
	if store.badDels > 0 {
		t.Errorf("%d deletes of keys the store did not hold", store.badDels)
	}
	return log.byEvent(len(events)), res
}

// check compares a recovering run with the straight one.
func (rg *sckRig) check(t *testing.T, events []sckEvent, seed uint64) {
	t.Helper()
	want, _ := rg.run(t, events, seed, false)
	got, res := rg.run(t, events, seed, true)
	if res.crashes == 0 {
		t.Fatalf("no crash in %d events: the test proves nothing", len(events))
	}
	rows := 0
	for i := range events {
		for _, e := range want[i] {
			if e[0] == '+' || e[0] == '-' {
				rows++
			}
		}
		if !slices.Equal(got[i], want[i]) {
			t.Fatalf("event %d (%d snapshots, %d crashes): output\n  %s\nwant\n  %s", i, res.snapshots, res.crashes,
				strings.Join(got[i], "\n  "), strings.Join(want[i], "\n  "))
		}
	}
	if rows < max(rg.minRows, 1) {
		t.Fatalf("%d output rows for %d events: the test proves little", rows, len(events))
	}
}

// sckInterleave turns per-port batches into events in a random order,
// with increasing watermarks now and then and every port closed at the
// end (close false: not closed).
func sckInterleave(batches [][][]difftest.Change, seed uint64, close bool) []sckEvent {
	r := rand.New(rand.NewPCG(seed, 11))
	var evs []sckEvent
	wm := make([]int64, len(batches))
	left := 0
	for _, b := range batches {
		left += len(b)
	}
	for left > 0 {
		p := r.IntN(len(batches))
		if len(batches[p]) == 0 {
			continue
		}
		evs = append(evs, sckEvent{port: p, changes: batches[p][0]})
		batches[p] = batches[p][1:]
		left--
		if r.IntN(5) == 0 {
			wm[p] += int64(1 + r.IntN(100))
			evs = append(evs, sckEvent{port: p, wm: wm[p], isWM: true})
		}
	}
	if close {
		for p := range batches {
			evs = append(evs, sckEvent{port: p, close: true})
		}
	}
	return evs
}

func TestJoinCheckpoint(t *testing.T) {
	for seed := uint64(1); seed <= 6; seed++ {
		for _, typ := range []planner.JoinType{planner.InnerJoin, planner.LeftJoin, planner.RightJoin, planner.FullJoin} {
			for _, res := range []string{"", "lv < rv"} {
				t.Run(fmt.Sprintf("seed=%d/%s/%s", seed, typ, res), func(t *testing.T) {
					checkpointJoin(t, seed, typ, res)
				})
			}
		}
	}
}

func checkpointJoin(t *testing.T, seed uint64, typ planner.JoinType, residual string) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ls := mustSchema(t, "lk:bigint", "a:varchar", "lv:bigint", "ld:decimal(10,2)", "lb:boolean")
	rs := mustSchema(t, "rk:bigint", "b:varchar", "rv:bigint", "rt:timestamp", "rf:double")
	all := catalog.Schema{Columns: append(append([]catalog.Column(nil), ls.Columns...), rs.Columns...)}
	cfg := exec.JoinConfig{Type: typ, Left: ls.Arrow(), Right: rs.Arrow(), Out: all.Arrow(), LeftKeys: []int{0}, RightKeys: []int{0}}
	if seed%3 == 0 { // a two-column key: the byte-string key table
		cfg.LeftKeys, cfg.RightKeys = []int{0, 1}, []int{0, 1}
	}
	if residual != "" {
		p, err := exectest.CompilePredicate(all, residual, exectest.NewHarness(nil).Now)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Residual = p
	}
	domain := 6 - 4*int(seed%2)
	left := difftest.Gen{Schema: ls, Domain: domain}.Changelog(seed, 300)
	right := difftest.Gen{Schema: rs, Domain: domain}.Changelog(seed+1000, 300)
	events := sckInterleave([][][]difftest.Change{difftest.Split(left, seed, 9), difftest.Split(right, seed+1, 9)}, seed, true)
	rg := &sckRig{schemas: []catalog.Schema{ls, rs}, mem: mem, minRows: 40, build: func(out exec.Stream) ([]exec.Stream, exec.Checkpointer) {
		j, err := exec.NewJoin(cfg, out, mem)
		if err != nil {
			t.Fatal(err)
		}
		return []exec.Stream{j.Left(), j.Right()}, j
	}}
	rg.check(t, events, seed)
}

// TestJoinCheckpointIncremental: a Snapshot writes what changed, not
// the whole state.
func TestJoinCheckpointIncremental(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ls := mustSchema(t, "lk:bigint", "a:varchar")
	rs := mustSchema(t, "rk:bigint", "b:varchar")
	all := catalog.Schema{Columns: append(append([]catalog.Column(nil), ls.Columns...), rs.Columns...)}
	j, err := exec.NewJoin(exec.JoinConfig{Type: planner.LeftJoin, Left: ls.Arrow(), Right: rs.Arrow(), Out: all.Arrow(),
		LeftKeys: []int{0}, RightKeys: []int{0}}, &discard{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	push := func(p exec.Stream, s catalog.Schema, op exec.Op, from, to int) {
		t.Helper()
		var ch []difftest.Change
		for k := from; k < to; k++ {
			ch = append(ch, difftest.Change{Op: op, Row: difftest.Row{int64(k), fmt.Sprintf("v%d", k)}})
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
	push(j.Left(), ls, exec.Insert, 0, 10000)
	push(j.Right(), rs, exec.Insert, 0, 5000)
	if n := snap(); n < 15000 {
		t.Fatalf("first snapshot wrote %d entries, want the 15000 rows", n)
	}
	if n := snap(); n != 0 {
		t.Fatalf("snapshot without changes wrote %d entries", n)
	}
	// 10 right rows: 10 new right rows, 10 left rows' match counts.
	push(j.Right(), rs, exec.Insert, 7000, 7010)
	if n := snap(); n != 20 {
		t.Fatalf("10 joined rows: snapshot wrote %d entries, want 20", n)
	}
	// 10 deletes: 10 Deletes, 10 match counts.
	push(j.Right(), rs, exec.Delete, 7000, 7010)
	if n := snap(); n != 20 || store.dels != 10 {
		t.Fatalf("10 deleted rows: snapshot wrote %d entries (%d deletes), want 20 (10)", n, store.dels)
	}
	if err := j.Left().Watermark(5); err != nil {
		t.Fatal(err)
	}
	if n := snap(); n != 1 {
		t.Fatalf("a watermark: snapshot wrote %d entries, want 1", n)
	}
	if len(store.m) != 15001 {
		t.Fatalf("store holds %d entries, want 15000 rows and the meta entry", len(store.m))
	}
}
