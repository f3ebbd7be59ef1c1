package exec_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/internal/difftest"
)

// aggCkRecorder records an operator's output as lines: each batch's rows
// ("<op> <row>", sorted within the batch when sortRows), watermarks and
// barriers. Close is not recorded; while muted (closing a discarded
// operator, which may flush what it holds) nothing is.
type aggCkRecorder struct {
	lines    []string
	sortRows bool
	muted    bool
}

func (r *aggCkRecorder) Push(b exec.Batch) error {
	if r.muted {
		return nil
	}
	var rows []string
	for i := 0; i < b.NumRows(); i++ {
		rows = append(rows, fmt.Sprintf("%s %s", b.Op(i), strings.ReplaceAll(difftest.FormatArrowRow(b.Rec, i), difftest.Sep, " ")))
	}
	if r.sortRows {
		slices.Sort(rows)
	}
	r.lines = append(r.lines, "batch")
	r.lines = append(r.lines, rows...)
	return nil
}

func (r *aggCkRecorder) Watermark(t int64) error {
	if r.muted {
		return nil
	}
	r.lines = append(r.lines, fmt.Sprintf("watermark %d", t))
	return nil
}

func (r *aggCkRecorder) Barrier(e uint64) error {
	if r.muted {
		return nil
	}
	r.lines = append(r.lines, fmt.Sprintf("barrier %d", e))
	return nil
}

func (r *aggCkRecorder) Close() error { return nil }

// aggCkDiff describes the first difference of two recordings.
func aggCkDiff(got, want []string) string {
	for i := 0; i < max(len(got), len(want)); i++ {
		g, w := "<end>", "<end>"
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			lo := max(0, i-3)
			return fmt.Sprintf("line %d: got %q, want %q (context: %q)", i, g, w, want[lo:min(len(want), i+1)])
		}
	}
	return ""
}

// aggCkPlan says, after each input batch, whether to checkpoint (a barrier,
// then a Snapshot) and whether to then replace the operator by a new one
// restored from the state.
type aggCkPlan struct{ checkpoint, restore []bool }

func newAggCkPlan(n int, seed uint64) aggCkPlan {
	r := rand.New(rand.NewPCG(seed, 77))
	p := aggCkPlan{make([]bool, n), make([]bool, n)}
	for i := range n {
		p.checkpoint[i] = r.IntN(3) == 0
		p.restore[i] = p.checkpoint[i] && r.IntN(2) == 0
	}
	return p
}

// ckAggOp is an operator with checkpoints and state.
type ckAggOp interface {
	exec.Stream
	exec.Checkpointer
	exec.StateReporter
}

// TestHashAggCheckpointDifferential runs random changelogs through HashAgg
// (every aggregate kind, DISTINCT, FILTER; grouped on each key type,
// sparse groups that empty, a global aggregate, append-only inputs) twice:
// uninterrupted, and checkpointed at random batches into an in-memory
// state, where half the checkpoints throw the operator away and continue
// with a new one restored from the state. Both outputs, watermarks and
// barriers included, must be identical line for line (the -U of a
// restored group carries the row downstream holds), and after every
// Snapshot the state must hold exactly one entry per group.
func TestHashAggCheckpointDifferential(t *testing.T) {
	schema, err := exectest.ParseSchema([]string{"g1:int", "g2:varchar", "v:bigint", "d:decimal(10,2)", "x:double",
		"b:bool", "s:varchar", "ts:timestamp", "i:int", "dt:date"})
	if err != nil {
		t.Fatal(err)
	}
	var specs []string
	for _, a := range diffAggs {
		specs = append(specs, a.spec)
	}
	for _, c := range []struct {
		name       string
		group      []string
		sparse     bool
		appendOnly bool
	}{
		{"grouped", []string{"g1", "g2"}, false, false},
		{"sparse", []string{"g1"}, true, false},
		{"one-key", []string{"s"}, false, false},
		{"one-double", []string{"x"}, false, false},
		{"one-timestamp", []string{"ts"}, false, false},
		{"one-bool", []string{"b"}, false, false},
		{"one-date", []string{"dt"}, false, false},
		{"one-decimal", []string{"d"}, false, false},
		{"global", nil, false, false},
		{"append-only", []string{"g1"}, false, true},
		{"append-only-global", nil, false, true},
	} {
		for _, seed := range []uint64{1, 2} {
			t.Run(fmt.Sprintf("%s/seed=%d", c.name, seed), func(t *testing.T) {
				cfg, err := hashAggConfig(schema, c.group, specs)
				if err != nil {
					t.Fatal(err)
				}
				cfg.AppendOnly = c.appendOnly
				gen := difftest.Gen{Schema: schema, Domain: 5}
				if c.appendOnly {
					gen.UpdateRate, gen.DeleteRate = 1e-12, 1e-12
				}
				if c.sparse {
					gen.Values = map[int]func(r *rand.Rand) any{0: func(r *rand.Rand) any { return int32(r.IntN(300)) }}
				}
				parts := difftest.Split(gen.Changelog(seed, 3000), seed, 200)
				plan := newAggCkPlan(len(parts), seed)
				newOp := func(out exec.Stream, mem memory.Allocator) (ckAggOp, error) {
					return exec.NewHashAgg(cfg, out, mem)
				}
				want, _ := runAggCk(t, schema, parts, plan, newOp, false, false)
				got, restores := runAggCk(t, schema, parts, plan, newOp, true, false)
				if d := aggCkDiff(got, want); d != "" {
					t.Fatalf("after %d restores: %s", restores, d)
				}
				t.Logf("%d batches, %d restores, %d output lines", len(parts), restores, len(got))
			})
		}
	}
}

// runAggCk pushes parts into a new operator, with a barrier after
// every batch plan.checkpoint marks and, when checkpoint is set, a
// Snapshot after it (restoring a new operator where plan.restore says),
// then the final watermark and Close. It returns the recording and the
// number of restores.
func runAggCk(t *testing.T, schema catalog.Schema, parts [][]difftest.Change, plan aggCkPlan,
	newOp func(exec.Stream, memory.Allocator) (ckAggOp, error), checkpoint, sortRows bool) ([]string, int) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := &aggCkRecorder{sortRows: sortRows}
	op, err := newOp(rec, mem)
	if err != nil {
		t.Fatal(err)
	}
	state := newMemState()
	restores := 0
	for i, part := range parts {
		b, err := difftest.ToBatch(schema, part, mem)
		if err != nil {
			t.Fatal(err)
		}
		err = op.Push(b)
		b.Release()
		if err != nil {
			t.Fatal(err)
		}
		if !plan.checkpoint[i] {
			continue
		}
		if err := op.Barrier(uint64(i + 1)); err != nil {
			t.Fatal(err)
		}
		if !checkpoint {
			continue
		}
		if err := op.Snapshot(state); err != nil {
			t.Fatal(err)
		}
		if groups, _ := op.StateSize(); state.count('g') != int(groups) && !(groups == 1 && state.count('g') == 0) {
			t.Fatalf("batch %d: %d group entries in the state for %d groups", i, state.count('g'), groups)
		}
		if !plan.restore[i] {
			continue
		}
		rec.muted = true
		if err := op.Close(); err != nil {
			t.Fatal(err)
		}
		rec.muted = false
		if op, err = newOp(rec, mem); err != nil {
			t.Fatal(err)
		}
		if err := op.Restore(state); err != nil {
			t.Fatal(err)
		}
		restores++
	}
	if err := op.Watermark(exec.MaxWatermark); err != nil {
		t.Fatal(err)
	}
	if err := op.Close(); err != nil {
		t.Fatal(err)
	}
	return rec.lines, restores
}

// TestHashAggSnapshotIncremental checks that a Snapshot writes a Put per
// group changed since the previous one and a Delete per saved group that
// emptied, nothing when nothing changed, and that a restored operator
// retracts the row downstream holds, for a BIGINT key (the value-keyed
// index) and a VARCHAR key (the encoded-key index).
func TestHashAggSnapshotIncremental(t *testing.T) {
	for _, keyType := range []string{"bigint", "varchar"} {
		t.Run(keyType, func(t *testing.T) {
			schema, err := exectest.ParseSchema([]string{"k:" + keyType, "v:bigint", "s:varchar"})
			if err != nil {
				t.Fatal(err)
			}
			key := func(k int) any {
				if keyType == "bigint" {
					return int64(k)
				}
				return fmt.Sprintf("key%d", k)
			}
			cfg, err := hashAggConfig(schema, []string{"k"}, []string{"count(*)", "sum(v)", "min(v)", "max(s)", "count(distinct v)", "count(distinct s)"})
			if err != nil {
				t.Fatal(err)
			}
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			rec := &aggCkRecorder{}
			op, err := exec.NewHashAgg(cfg, rec, mem)
			if err != nil {
				t.Fatal(err)
			}
			push := func(op *exec.HashAgg, changes ...difftest.Change) {
				t.Helper()
				b, err := difftest.ToBatch(schema, changes, mem)
				if err != nil {
					t.Fatal(err)
				}
				defer b.Release()
				if err := op.Push(b); err != nil {
					t.Fatal(err)
				}
			}
			row := func(op exec.Op, k int, v int64) difftest.Change {
				return difftest.Change{Op: op, Row: difftest.Row{key(k), v, fmt.Sprintf("s%d", v)}}
			}
			state := newMemState()
			snapshot := func(op *exec.HashAgg, puts, dels int) {
				t.Helper()
				state.resetCounts()
				if err := op.Snapshot(state); err != nil {
					t.Fatal(err)
				}
				if state.puts != puts || state.dels != dels {
					t.Fatalf("snapshot wrote %d puts and %d deletes, want %d and %d", state.puts, state.dels, puts, dels)
				}
			}
			var first []difftest.Change
			for k := range 1000 {
				first = append(first, row(exec.Insert, k, int64(k)))
			}
			push(op, first...)
			snapshot(op, 1000, 0)
			snapshot(op, 0, 0)
			push(op, row(exec.Insert, 5, 1), row(exec.Insert, 7, 2), row(exec.Insert, 9, 3), row(exec.Insert, 9, 4))
			snapshot(op, 3, 0)
			push(op, row(exec.Delete, 11, 11))
			snapshot(op, 0, 1)
			// created and emptied between snapshots: never written
			push(op, row(exec.Insert, 2000, 1))
			push(op, row(exec.Delete, 2000, 1))
			snapshot(op, 0, 0)
			// emptied and created again: deleted, then written
			push(op, row(exec.Delete, 12, 12))
			push(op, row(exec.Insert, 12, 5))
			snapshot(op, 1, 1)
			if n := state.count('g'); n != 999 {
				t.Fatalf("%d groups in the state, want 999", n)
			}
			if err := op.Close(); err != nil {
				t.Fatal(err)
			}
			restored, err := exec.NewHashAgg(cfg, rec, mem)
			if err != nil {
				t.Fatal(err)
			}
			if err := restored.Restore(state); err != nil {
				t.Fatal(err)
			}
			snapshot(restored, 0, 0)
			rec.lines = nil
			push(restored, row(exec.Insert, 9, 100))
			want := fmt.Sprintf("[batch -U %[1]v 3 16 3 s9 3 3 +U %[1]v 4 116 3 s9 4 4]", key(9))
			if got := fmt.Sprint(rec.lines); got != want {
				t.Fatalf("after restore: got %s, want %s", got, want)
			}
			snapshot(restored, 1, 0)
			if err := restored.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}
}
