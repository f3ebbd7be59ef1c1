package exec_test

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/internal/difftest"
	"github.com/sqlstream/sqlstream/parser"
)

// windowCkAggs are the aggregates of the window checkpoint tests: every
// accumulator family over an append-only input, DISTINCT and FILTER.
var windowCkAggs = []string{"count(*)", "count(v)", "sum(v)", "min(v)", "max(v)", "avg(v)", "min(s)", "max(d)",
	"sum(d)", "avg(distinct d)", "count(distinct v)", "count(distinct s)", "sum(d) filter b"}

// windowCkChain is a window-assign → aggregation chain (or a bare
// aggregation) whose checkpoints are the aggregation's.
type windowCkChain struct {
	exec.Stream
	agg ckAggOp
}

func (c windowCkChain) Snapshot(w exec.StateWriter) error { return c.agg.Snapshot(w) }
func (c windowCkChain) Restore(r exec.StateReader) error  { return c.agg.Restore(r) }
func (c windowCkChain) StateSize() (int64, int64)         { return c.agg.StateSize() }

// newWindowCkChain builds the chain of a window kind, or, for kind 0, an
// EMIT ON WINDOW CLOSE aggregation grouped by k and ts.
func newWindowCkChain(kind parser.WindowKind, in catalog.Schema, sizes []int64, out exec.Stream, mem memory.Allocator) (windowCkChain, error) {
	if kind == 0 {
		cfg, err := hashAggConfig(in, []string{"k", "ts"}, windowCkAggs)
		if err != nil {
			return windowCkChain{}, err
		}
		op, err := exec.NewWindowAgg(exec.WindowAggConfig{
			Input: in, GroupBy: cfg.GroupBy, Aggs: cfg.Aggs, Output: cfg.Output,
			CloseKey: 1, CloseOffset: 1, Name: "emit-on-close-agg",
		}, out, mem)
		return windowCkChain{op, op}, err
	}
	windowed := catalog.Schema{Columns: append(append([]catalog.Column(nil), in.Columns...),
		catalog.Column{Name: "window_start", Type: catalog.TimestampType, NotNull: true},
		catalog.Column{Name: "window_end", Type: catalog.TimestampType, NotNull: true})}
	cfg, err := hashAggConfig(windowed, []string{"k", "window_start", "window_end"}, windowCkAggs)
	if err != nil {
		return windowCkChain{}, err
	}
	var op ckAggOp
	if kind == parser.Session {
		op, err = exec.NewSessionAgg(exec.SessionAggConfig{
			Input: windowed, GroupBy: cfg.GroupBy, Aggs: cfg.Aggs, Output: cfg.Output,
			StartKey: 1, EndKey: 2, Gap: sizes[0],
		}, out, mem)
	} else {
		op, err = exec.NewWindowAgg(exec.WindowAggConfig{
			Input: windowed, GroupBy: cfg.GroupBy, Aggs: cfg.Aggs, Output: cfg.Output, CloseKey: 2,
		}, out, mem)
	}
	if err != nil {
		return windowCkChain{}, err
	}
	assign, err := exec.NewWindowAssign(exec.WindowAssignConfig{Kind: kind, TimeCol: 2, Sizes: sizes, Output: windowed.Arrow()}, op, mem)
	return windowCkChain{assign, op}, err
}

// TestWindowAggCheckpointDifferential runs random out-of-order rows (as
// TestWindowAggDifferential) through each window kind and EMIT ON WINDOW
// CLOSE twice: uninterrupted, and checkpointed at random batches (after
// the batch's watermark) into an in-memory state, half the checkpoints
// replacing the operator by a new one restored from it. The recordings
// (rows sorted within each batch, watermarks, barriers) must be equal,
// and after the final watermark the state must hold nothing but the
// watermark.
func TestWindowAggCheckpointDifferential(t *testing.T) {
	schema, err := exectest.ParseSchema([]string{"k:int", "v:bigint", "ts:timestamp", "s:varchar", "d:decimal(10,2)", "b:bool"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		kind  parser.WindowKind
		sizes []int64
	}{
		{"tumble", parser.Tumble, []int64{5000}},
		{"hop", parser.Hop, []int64{2000, 6000}},
		{"cumulate", parser.Cumulate, []int64{2000, 8000}},
		{"session", parser.Session, []int64{1500}},
		{"emit-on-close", 0, nil},
	} {
		for _, seed := range []uint64{1, 2, 3} {
			t.Run(fmt.Sprintf("%s/seed=%d", c.name, seed), func(t *testing.T) {
				rows := windowDiffRows(schema, seed, 2500)
				changes := make([]difftest.Change, len(rows))
				for i, r := range rows {
					changes[i] = difftest.Change{Op: exec.Insert, Row: r}
				}
				parts := difftest.Split(changes, seed, 60)
				plan := newAggCkPlan(len(parts), seed)
				newOp := func(out exec.Stream, mem memory.Allocator) (windowCkChain, error) {
					return newWindowCkChain(c.kind, schema, c.sizes, out, mem)
				}
				want, _ := runWindowCk(t, schema, parts, plan, newOp, false)
				got, restores := runWindowCk(t, schema, parts, plan, newOp, true)
				if d := aggCkDiff(got, want); d != "" {
					t.Fatalf("after %d restores: %s", restores, d)
				}
				t.Logf("%d batches, %d restores, %d output lines", len(parts), restores, len(got))
			})
		}
	}
}

// runWindowCk pushes parts, each followed by the watermark max(ts) -
// windowDiffDelay when it advanced, checkpointing as runAggCk does,
// then the final watermark and Close.
func runWindowCk(t *testing.T, schema catalog.Schema, parts [][]difftest.Change, plan aggCkPlan,
	newOp func(exec.Stream, memory.Allocator) (windowCkChain, error), checkpoint bool) ([]string, int) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := &aggCkRecorder{sortRows: true}
	op, err := newOp(rec, mem)
	if err != nil {
		t.Fatal(err)
	}
	state := newMemState()
	restores := 0
	maxTS, wm := exec.MinWatermark, exec.MinWatermark
	for i, part := range parts {
		b, err := difftest.ToBatch(schema, part, mem)
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range part {
			if ts, ok := ch.Row[2].(int64); ok {
				maxTS = max(maxTS, ts)
			}
		}
		err = op.Push(b)
		b.Release()
		if err != nil {
			t.Fatal(err)
		}
		if maxTS-windowDiffDelay > wm {
			wm = maxTS - windowDiffDelay
			if err := op.Watermark(wm); err != nil {
				t.Fatal(err)
			}
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
		if _, isSession := op.agg.(*exec.SessionAgg); !isSession {
			if groups, _ := op.StateSize(); state.count('g') != int(groups) {
				t.Fatalf("batch %d: %d group entries in the state for %d groups", i, state.count('g'), groups)
			}
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
	if checkpoint {
		if err := op.Snapshot(state); err != nil {
			t.Fatal(err)
		}
		if _, ok := state.m["w"]; len(state.m) != 1 || !ok {
			t.Errorf("%d state entries left after the final watermark, want the watermark only", len(state.m))
		}
		state.resetCounts()
		if err := op.Snapshot(state); err != nil {
			t.Fatal(err)
		}
		if state.puts+state.dels != 0 {
			t.Errorf("a snapshot without changes wrote %d puts and %d deletes", state.puts, state.dels)
		}
	}
	if err := op.Close(); err != nil {
		t.Fatal(err)
	}
	return rec.lines, restores
}

// TestWindowAggCheckpointWatermark checks that an operator restored from
// a state forwards the restored watermark while its input's (restarted
// from MinWatermark) is below it.
func TestWindowAggCheckpointWatermark(t *testing.T) {
	schema, err := exectest.ParseSchema([]string{"k:int", "v:bigint", "ts:timestamp", "s:varchar", "d:decimal(10,2)", "b:bool"})
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []parser.WindowKind{parser.Tumble, parser.Session} {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		rec := &aggCkRecorder{}
		op, err := newWindowCkChain(kind, schema, []int64{1000}, rec, mem)
		if err != nil {
			t.Fatal(err)
		}
		if err := op.Watermark(5000); err != nil {
			t.Fatal(err)
		}
		state := newMemState()
		if err := op.Snapshot(state); err != nil {
			t.Fatal(err)
		}
		rec.muted = true
		if err := op.Close(); err != nil {
			t.Fatal(err)
		}
		rec.muted = false
		if op, err = newWindowCkChain(kind, schema, []int64{1000}, rec, mem); err != nil {
			t.Fatal(err)
		}
		if err := op.Restore(state); err != nil {
			t.Fatal(err)
		}
		rec.lines = nil
		for _, wm := range []int64{exec.MinWatermark, 4000, 6000} {
			if err := op.Watermark(wm); err != nil {
				t.Fatal(err)
			}
		}
		if got, want := fmt.Sprint(rec.lines), "[watermark 5000 watermark 5000 watermark 6000]"; got != want {
			t.Errorf("%s: restored operator forwarded %s, want %s", kind, got, want)
		}
		if err := op.Close(); err != nil {
			t.Fatal(err)
		}
		mem.AssertSize(t, 0)
	}
}
