package exec_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/internal/difftest"
)

func TestOverCheckpoint(t *testing.T) {
	schema, err := exectest.ParseSchema([]string{"k:int", "g:varchar", "v:bigint", "d:decimal(10,2)", "x:double",
		"s:varchar", "dflt:bigint", "ts:timestamp", "seq:bigint"})
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, o := range diffOvers {
		all = append(all, o.spec)
	}
	for _, c := range []struct {
		name      string
		partition []string
		calls     []string
		limit     int64
		seeds     []uint64
	}{
		{"by-k", []string{"k"}, all, 0, []uint64{1, 2, 3}},
		{"by-k-g", []string{"k", "g"}, all, 0, []uint64{4}},
		{"global", nil, all, 0, []uint64{5}},
		{"lag-only", []string{"g"}, []string{"lag(v)", "lag(s, 3)", "sum(v)", "max(s) rows"}, 0, []uint64{6}},
		{"top-2", []string{"k", "g"}, []string{"row_number()"}, 2, []uint64{7}},
		{"dedup", []string{"g"}, []string{"row_number()"}, 1, []uint64{8}},
	} {
		for _, seed := range c.seeds {
			t.Run(fmt.Sprintf("%s/seed=%d", c.name, seed), func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer mem.AssertSize(t, 0)
				d := &overTestData{partition: c.partition, calls: strings.Join(c.calls, ", "), limit: c.limit}
				cfg, err := overConfig(schema, d.data())
				if err != nil {
					t.Fatal(err)
				}
				minRows := 100
				if c.limit > 0 { // one row per partition and rank
					minRows = 3
				}
				rg := &sckRig{schemas: []catalog.Schema{schema}, mem: mem, minRows: minRows, build: func(out exec.Stream) ([]exec.Stream, exec.Checkpointer) {
					o, err := exec.NewOver(cfg, out, mem)
					if err != nil {
						t.Fatal(err)
					}
					return []exec.Stream{o}, o
				}}
				rg.check(t, overEvents(seed, 600, 5000), seed)
			})
		}
	}
}

// overEvents delivers overRows in random batches, each followed by the
// watermark (max time seen - delay), then MaxWatermark and Close.
func overEvents(seed uint64, n int, delay int64) []sckEvent {
	rows := overRows(seed, n, delay)
	changes := make([]difftest.Change, len(rows))
	for i, row := range rows {
		changes[i] = difftest.Change{Op: exec.Insert, Row: row}
	}
	var evs []sckEvent
	maxTs := exec.MinWatermark
	for _, part := range difftest.Split(changes, seed, 40) {
		evs = append(evs, sckEvent{changes: part})
		for _, ch := range part {
			if ts, ok := ch.Row[7].(int64); ok {
				maxTs = max(maxTs, ts)
			}
		}
		evs = append(evs, sckEvent{wm: maxTs - delay, isWM: true})
	}
	return append(evs, sckEvent{wm: exec.MaxWatermark, isWM: true}, sckEvent{close: true})
}

// TestOverCheckpointIncremental: a Snapshot writes the rows and
// partitions that changed since the previous one.
func TestOverCheckpointIncremental(t *testing.T) {
	schema := mustSchema(t, "k:bigint", "v:bigint", "ts:timestamp")
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	d := &overTestData{partition: []string{"k"}, calls: "row_number(), lag(v), sum(v)"}
	cfg, err := overConfig(schema, d.data())
	if err != nil {
		t.Fatal(err)
	}
	o, err := exec.NewOver(cfg, &discard{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	push := func(keys int, ts int64) {
		t.Helper()
		var ch []difftest.Change
		for k := range keys {
			ch = append(ch, difftest.Change{Op: exec.Insert, Row: difftest.Row{int64(k), int64(k), ts}})
		}
		b, err := difftest.ToBatch(schema, ch, mem)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Release()
		if err := o.Push(b); err != nil {
			t.Fatal(err)
		}
	}
	store := newMemState()
	snap := func() int {
		t.Helper()
		before := store.writes()
		if err := o.Snapshot(store); err != nil {
			t.Fatal(err)
		}
		return store.writes() - before
	}
	push(5000, 1000) // 5000 partitions, a row waiting in each
	if w := snap(); w != 10001 {
		t.Fatalf("first snapshot wrote %d entries, want 5000 rows, 5000 partitions and the meta entry", w)
	}
	if w := snap(); w != 0 {
		t.Fatalf("snapshot without changes wrote %d entries", w)
	}
	// The watermark emits every row: each moves to its LAG ring (5000),
	// each partition's count and sum change (5000), and the meta entry.
	if err := o.Watermark(2000); err != nil {
		t.Fatal(err)
	}
	if w := snap(); w != 10001 {
		t.Fatalf("5000 emitted rows: snapshot wrote %d entries, want 10001", w)
	}
	// 10 new rows in 10 partitions: 10 rows and the meta entry (arrival
	// counter); once emitted, 10 rows replace 10 in the LAG rings (10
	// Deletes, 10 Puts), 10 partitions and the meta entry.
	push(10, 3000)
	if w := snap(); w != 11 {
		t.Fatalf("10 new rows: snapshot wrote %d entries, want 11", w)
	}
	if err := o.Watermark(4000); err != nil {
		t.Fatal(err)
	}
	if w := snap(); w != 31 || store.dels != 10 {
		t.Fatalf("10 emitted rows: snapshot wrote %d entries (%d deletes), want 31 (10)", w, store.dels)
	}
}
