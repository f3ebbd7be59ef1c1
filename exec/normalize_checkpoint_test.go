package exec_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/internal/difftest"
)

// normUpserts draws an upsert changelog over few keys: +I/+U rows with
// random values (repeats included, which Normalize swallows), -D rows
// carrying only the key (the rest NULL), redundant -U rows, NULL keys.
func normUpserts(seed uint64, n int) []difftest.Change {
	r := rand.New(rand.NewPCG(seed, 17))
	var out []difftest.Change
	for range n {
		var k any = int64(r.IntN(25))
		if r.IntN(30) == 0 {
			k = nil
		}
		var name, amt, f any
		if r.IntN(8) > 0 {
			name = fmt.Sprintf("n%d", r.IntN(3))
		}
		if r.IntN(8) > 0 {
			amt = decimal128.FromI64(int64(r.IntN(4)) * 125)
		}
		if r.IntN(8) > 0 {
			f = float64(r.IntN(3)) / 2
		}
		ts := int64(1_700_000_000_000 + r.IntN(3)*1000)
		switch x := r.IntN(10); {
		case x < 2:
			out = append(out, difftest.Change{Op: exec.Delete, Row: difftest.Row{k, nil, nil, nil, nil, nil}})
		case x < 3:
			out = append(out, difftest.Change{Op: exec.UpdateBefore, Row: difftest.Row{k, name, amt, f, ts, true}})
		case x < 6:
			out = append(out, difftest.Change{Op: exec.Insert, Row: difftest.Row{k, name, amt, f, ts, r.IntN(2) == 0}})
		default:
			out = append(out, difftest.Change{Op: exec.UpdateAfter, Row: difftest.Row{k, name, amt, f, ts, r.IntN(2) == 0}})
		}
	}
	return out
}

func TestNormalizeCheckpoint(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			s := mustSchema(t, "id:bigint", "name:varchar", "amount:decimal(18,2)", "f:double", "ts:timestamp", "b:boolean")
			key := []int{0}
			if seed%2 == 0 {
				key = []int{0, 1} // a two-column key with NULLs
			}
			events := sckInterleave([][][]difftest.Change{difftest.Split(normUpserts(seed, 600), seed, 12)}, seed, true)
			rg := &sckRig{schemas: []catalog.Schema{s}, mem: mem, minRows: 100, build: func(out exec.Stream) ([]exec.Stream, exec.Checkpointer) {
				n, err := exec.NewNormalize(s.Arrow(), key, out, mem)
				if err != nil {
					t.Fatal(err)
				}
				return []exec.Stream{n}, n
			}}
			rg.check(t, events, seed)
		})
	}
}

// TestNormalizeCheckpointIncremental: a Snapshot writes the keys that
// changed, not the whole state.
func TestNormalizeCheckpointIncremental(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	s := mustSchema(t, "id:bigint", "name:varchar")
	n, err := exec.NewNormalize(s.Arrow(), []int{0}, &discard{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	push := func(op exec.Op, from, to int, name string) {
		t.Helper()
		var ch []difftest.Change
		for k := from; k < to; k++ {
			ch = append(ch, difftest.Change{Op: op, Row: difftest.Row{int64(k), name}})
		}
		b, err := difftest.ToBatch(s, ch, mem)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Release()
		if err := n.Push(b); err != nil {
			t.Fatal(err)
		}
	}
	store := newMemState()
	snap := func() int {
		t.Helper()
		before := store.writes()
		if err := n.Snapshot(store); err != nil {
			t.Fatal(err)
		}
		return store.writes() - before
	}
	push(exec.UpdateAfter, 0, 20000, "a")
	if w := snap(); w != 20000 {
		t.Fatalf("first snapshot wrote %d entries, want 20000", w)
	}
	if w := snap(); w != 0 {
		t.Fatalf("snapshot without changes wrote %d entries", w)
	}
	push(exec.UpdateAfter, 100, 110, "b")
	if w := snap(); w != 10 {
		t.Fatalf("10 updated keys: snapshot wrote %d entries", w)
	}
	push(exec.UpdateAfter, 100, 110, "b") // the same rows: no change
	if w := snap(); w != 0 {
		t.Fatalf("10 unchanged upserts: snapshot wrote %d entries", w)
	}
	push(exec.Delete, 200, 210, "")
	push(exec.UpdateAfter, 30000, 30005, "c") // reuse 5 of the freed slots
	if w := snap(); w != 10 || store.dels != 5 {
		t.Fatalf("10 deletes and 5 new keys: snapshot wrote %d entries (%d deletes), want 10 (5)", w, store.dels)
	}
	if len(store.m) != 19995 {
		t.Fatalf("store holds %d rows, want 19995", len(store.m))
	}
}
