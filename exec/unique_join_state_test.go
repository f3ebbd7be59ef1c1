package exec_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/internal/difftest"
	"github.com/sqlstream/sqlstream/planner"
)

// TestUniqueJoinStateHoldsInFlightKeys runs the trace join's shape — a
// request every 100 ms, its response 5-500 ms later, its tracking record
// up to 2 s after that, 1% of traces missing one partner, LEFT joins with
// a 10-minute timeout — and checks that the state holds only what is in
// flight: after every watermark, no more keys than the traces started
// within the last few seconds plus the incomplete ones within the timeout
// (an interval join would hold every row of the last 10 minutes: 18000).
func TestUniqueJoinStateHoldsInFlightKeys(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	const (
		traces  = 20_000
		every   = 100
		timeout = 600_000
		delay   = 1_000
	)
	names := []string{"q", "r", "s"}
	var schemas []catalog.Schema
	var all catalog.Schema
	cfg := exec.UniqueJoinConfig{Names: names}
	for i, n := range names {
		s := mustSchema(t, n+"k:bigint", n+"t:timestamp")
		schemas = append(schemas, s)
		all.Columns = append(all.Columns, s.Columns...)
		cfg.Inputs, cfg.Keys, cfg.Times = append(cfg.Inputs, s.Arrow()), append(cfg.Keys, []int{0}), append(cfg.Times, 1)
		if i > 0 {
			cfg.Steps = append(cfg.Steps, exec.UniqueJoinStep{Type: planner.LeftJoin, Ref: 0, Upper: timeout})
		}
	}
	cfg.Out = all.Arrow()
	out := difftest.NewCapture()
	j, err := exec.NewUniqueJoin(cfg, out, mem)
	if err != nil {
		t.Fatal(err)
	}
	// Batches of one second of traces per input, stamped as generated;
	// partners are pushed a second later than their request's batch.
	incomplete := func(k int) bool { return k%100 == 7 }
	maxKeys := int64(0)
	for sec := 0; sec*1000 < traces*every+2*delay; sec++ {
		for p := range names {
			var batch []difftest.Change
			for k := (sec - p) * 1000 / every; k < (sec-p+1)*1000/every; k++ {
				if k < 0 || k >= traces || (p == 2 && incomplete(k)) {
					continue
				}
				ts := ujBase + int64(k*every) + int64(p*(5+k%495)) + int64(p/2*(k%2000))
				batch = append(batch, difftest.Change{Op: exec.Insert, Row: difftest.Row{int64(k), ts}})
			}
			b, err := difftest.ToBatch(schemas[p], batch, mem)
			if err != nil {
				t.Fatal(err)
			}
			err = j.Port(p).Push(b)
			b.Release()
			if err != nil {
				t.Fatal(err)
			}
		}
		w := ujBase + int64((sec-2)*1000) - delay
		for p := range names {
			if err := j.Port(p).Watermark(w); err != nil {
				t.Fatal(err)
			}
		}
		// In flight: the last ~4 s of traces, plus the incomplete ones
		// whose timeout has not passed (one in a hundred traces).
		keys := j.StateKeys()
		if limit := int64(4*1000/every + timeout/every/100 + 2); keys > limit {
			t.Fatalf("second %d: %d keys in state, want at most %d in flight", sec, keys, limit)
		}
		maxKeys = max(maxKeys, keys)
	}
	for p := range names {
		if err := j.Port(p).Close(); err != nil {
			t.Fatal(err)
		}
	}
	if rows, _ := j.StateSize(); rows != 0 || j.StateKeys() != 0 {
		t.Fatalf("state after close: %d rows, %d keys", rows, j.StateKeys())
	}
	if got := len(out.Materialized()); got != traces {
		t.Fatalf("%d rows out, want one per trace (%d)", got, traces)
	}
	peak := j.PeakStateRows()
	if peak > 3*(4*1000/every)+2*timeout/every/100 || peak < timeout/every/100 {
		t.Fatalf("peak state %d rows: want the in-flight traces and the incomplete ones within the timeout", peak)
	}
	t.Logf("peak %d rows, at most %d keys (of %d rows in)", peak, maxKeys, 3*traces)
}
