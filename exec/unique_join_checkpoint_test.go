package exec_test

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/internal/difftest"
	"github.com/sqlstream/sqlstream/planner"
)

func TestUniqueJoinCheckpoint(t *testing.T) {
	L, I := planner.LeftJoin, planner.InnerJoin
	cases := []ujCase{
		{ways: 2, types: []planner.JoinType{L}, refs: []int{0}},
		{ways: 2, types: []planner.JoinType{I}, refs: []int{0}, residual: "rv <> qv"},
		{ways: 3, types: []planner.JoinType{L, L}, refs: []int{0, 0}},
		{ways: 3, types: []planner.JoinType{L, I}, refs: []int{0, 0}},
		{ways: 3, types: []planner.JoinType{I, L}, refs: []int{0, 1}, residual: "sv = rv OR rv IS NULL"},
	}
	for seed := uint64(1); seed <= 6; seed++ {
		for _, c := range cases {
			name := fmt.Sprintf("seed=%d/%dway/%v/refs=%v/%s", seed, c.ways, c.types, c.refs, c.residual)
			t.Run(name, func(t *testing.T) { checkpointUniqueJoin(t, seed, c) })
		}
	}
}

func checkpointUniqueJoin(t *testing.T, seed uint64, c ujCase) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	keyType := "bigint"
	if seed%2 == 1 {
		keyType = "varchar"
	}
	names := []string{"q", "r", "s"}[:c.ways]
	var schemas []catalog.Schema
	var all catalog.Schema
	for _, n := range names {
		s := mustSchema(t, n+"k:"+keyType, n+"t:timestamp", n+"v:varchar")
		schemas = append(schemas, s)
		all.Columns = append(all.Columns, s.Columns...)
	}
	cfg := exec.UniqueJoinConfig{Out: all.Arrow(), Names: names}
	for i, s := range schemas {
		cfg.Inputs = append(cfg.Inputs, s.Arrow())
		cfg.Keys = append(cfg.Keys, []int{0})
		cfg.Times = append(cfg.Times, 1)
		if i > 0 {
			b := ujBounds[i-1]
			cfg.Steps = append(cfg.Steps, exec.UniqueJoinStep{Type: c.types[i-1], Ref: c.refs[i-1], Lower: b[0], Upper: b[1]})
		}
	}
	if c.residual != "" {
		p, err := exectest.CompilePredicate(all, c.residual, exectest.NewHarness(nil).Now)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Steps[len(cfg.Steps)-1].Residual = p
	}
	events := sckTimedEvents(ujRows(seed, c.ways, keyType == "varchar"), 1, seed, 3000)
	rg := &sckRig{schemas: schemas, mem: mem, minRows: 25, build: func(out exec.Stream) ([]exec.Stream, exec.Checkpointer) {
		j, err := exec.NewUniqueJoin(cfg, out, mem)
		if err != nil {
			t.Fatal(err)
		}
		ports := make([]exec.Stream, c.ways)
		for i := range ports {
			ports[i] = j.Port(i)
		}
		return ports, j
	}}
	rg.check(t, events, seed)
}

// TestUniqueJoinCheckpointIncremental: a Snapshot writes the rows taken
// or released since the previous one.
func TestUniqueJoinCheckpointIncremental(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	qs := mustSchema(t, "qk:bigint", "qt:timestamp")
	rs := mustSchema(t, "rk:bigint", "rt:timestamp")
	all := catalog.Schema{Columns: append(append([]catalog.Column(nil), qs.Columns...), rs.Columns...)}
	j, err := exec.NewUniqueJoin(exec.UniqueJoinConfig{Inputs: []*arrow.Schema{qs.Arrow(), rs.Arrow()}, Keys: [][]int{{0}, {0}},
		Times: []int{1, 1}, Steps: []exec.UniqueJoinStep{{Type: planner.LeftJoin, Ref: 0, Lower: 0, Upper: 1000}}, Out: all.Arrow()}, &discard{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	push := func(p int, s catalog.Schema, from, to int) {
		t.Helper()
		var ch []difftest.Change
		for k := from; k < to; k++ {
			ch = append(ch, difftest.Change{Op: exec.Insert, Row: difftest.Row{int64(k), int64(k)}})
		}
		b, err := difftest.ToBatch(s, ch, mem)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Release()
		if err := j.Port(p).Push(b); err != nil {
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
	push(0, qs, 0, 10000)
	if w := snap(); w != 10001 {
		t.Fatalf("first snapshot wrote %d entries, want 10000 rows and the meta entry", w)
	}
	if w := snap(); w != 0 {
		t.Fatalf("snapshot without changes wrote %d entries", w)
	}
	// 10 partners complete 10 keys: their first rows leave the store; the
	// partners come and go within the epoch (nothing to write).
	push(1, rs, 500, 510)
	if w := snap(); w != 10 || store.dels != 10 {
		t.Fatalf("10 completed keys: snapshot wrote %d entries (%d deletes), want 10 (10)", w, store.dels)
	}
	// 10 partners without a first-input row wait: 10 new rows.
	push(1, rs, 20000, 20010)
	if w := snap(); w != 10 {
		t.Fatalf("10 waiting partners: snapshot wrote %d entries, want 10", w)
	}
}
