package exec_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/internal/difftest"
	"github.com/sqlstream/sqlstream/parser"
)

// windowDiffDelay is the watermark delay of the differential inputs: no
// row arrives more than this much behind the latest time seen.
const windowDiffDelay = 3000

// windowDiffAggs are the aggregates of the differential test, as
// hashAggConfig reads them (DuckDB's are the same calls).
var windowDiffAggs = []string{"count(*)", "count(v)", "sum(v)", "min(v)", "max(v)", "avg(v)"}

// TestWindowAggDifferential runs random out-of-order rows (disorder
// within the watermark delay, so none is late) through window-assign and
// the window aggregation of each window kind, in random batches each
// followed by the watermark max(ts) - delay, then the final watermark.
// The output must be append-only, never behind a watermark already
// forwarded, leave no state, and equal DuckDB's answer over the same rows
// computed in plain SQL: TUMBLE with epoch-ms arithmetic, HOP and
// CUMULATE by joining each row to the windows it falls into (range()),
// SESSION as gaps and islands (LAG, then a running SUM of session starts).
func TestWindowAggDifferential(t *testing.T) {
	schema, err := exectest.ParseSchema([]string{"k:int", "v:bigint", "ts:timestamp"})
	if err != nil {
		t.Fatal(err)
	}
	db, err := difftest.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const duckAggs = "count(*), count(v), sum(v), min(v), max(v), avg(v)"
	// Window bounds over rows of o (ts as epoch ms in ms), per kind.
	floor := func(size int64) string { return fmt.Sprintf("(ms - ((ms %% %[1]d) + %[1]d) %% %[1]d)", size) }
	cases := []struct {
		name  string
		kind  parser.WindowKind
		sizes []int64
		// windows is a FROM clause giving k, v, ws, we (epoch ms) per row
		// and window, over o.
		windows string
	}{
		{"tumble", parser.Tumble, []int64{5000},
			fmt.Sprintf("(SELECT k, v, %[1]s AS ws, %[1]s + 5000 AS we FROM o)", floor(5000))},
		{"hop", parser.Hop, []int64{2000, 6000},
			fmt.Sprintf("(SELECT k, v, %s - r.i * 2000 AS ws, %s - r.i * 2000 + 6000 AS we FROM o, range(0, 3) AS r(i))", floor(2000), floor(2000))},
		{"cumulate", parser.Cumulate, []int64{2000, 8000},
			fmt.Sprintf("(SELECT k, v, %[1]s AS ws, %[1]s + r.i * 2000 AS we FROM o, range(1, 5) AS r(i) WHERE %[1]s + r.i * 2000 > ms)", floor(8000))},
		{"session", parser.Session, []int64{1500}, `(
			SELECT k, v, min(ms) OVER (PARTITION BY k, sid) AS ws, max(ms) OVER (PARTITION BY k, sid) + 1500 AS we
			FROM (SELECT *, sum(fresh) OVER (PARTITION BY k ORDER BY ms ROWS UNBOUNDED PRECEDING) AS sid
			      FROM (SELECT *, CASE WHEN ms - lag(ms) OVER (PARTITION BY k ORDER BY ms) <= 1500 THEN 0 ELSE 1 END AS fresh FROM o)))`},
	}
	for _, c := range cases {
		for _, seed := range []uint64{1, 2, 3} {
			t.Run(fmt.Sprintf("%s/seed=%d", c.name, seed), func(t *testing.T) {
				rows := windowDiffRows(schema, seed, 2500)
				if err := db.Load("t", schema, rows); err != nil {
					t.Fatal(err)
				}
				q := "WITH o AS (SELECT k, v, epoch_ms(ts) AS ms FROM t WHERE ts IS NOT NULL) " +
					"SELECT k, epoch_ms(ws), epoch_ms(we), " + duckAggs + " FROM " + c.windows + " GROUP BY k, ws, we"
				want, err := db.Query(q)
				if err != nil {
					t.Fatal(err)
				}
				got, capture := runWindowDiff(t, schema, c.kind, c.sizes, rows, seed)
				if d := difftest.Diff(got, want, 10); d != "" {
					t.Fatalf("%d rows, %d windows emitted:\n%s", len(rows), capture.Rows, d)
				}
				t.Logf("%d rows, %d windows in %d batches", len(rows), capture.Rows, capture.Batches)
			})
		}
	}
}

// windowDiffRows draws n insert-only rows (k: 4 keys and NULL, v with
// NULLs) in arrival order: event times step forward by multiples of
// 250ms with occasional gaps, some are NULL, and each row arrives up to
// windowDiffDelay after its time, so rows arrive out of order but never
// behind max(ts) - delay.
func windowDiffRows(schema catalog.Schema, seed uint64, n int) []difftest.Row {
	gen := difftest.Gen{Schema: schema, Domain: 4, UpdateRate: 1e-12, DeleteRate: 1e-12}
	changes := gen.Changelog(seed, n)
	r := rand.New(rand.NewPCG(seed, 99))
	type arrival struct {
		at  int64
		row difftest.Row
	}
	arr := make([]arrival, len(changes))
	t := int64(1_700_000_000_000)
	for i, ch := range changes {
		t += 250 * int64(r.IntN(3))
		if r.IntN(40) == 0 {
			t += 2000 + 250*int64(r.IntN(12)) // a gap that ends sessions
		}
		row := append(difftest.Row(nil), ch.Row...)
		row[2] = t
		at := t + int64(r.IntN(windowDiffDelay+1))
		if r.IntN(50) == 0 {
			row[2] = nil
		}
		arr[i] = arrival{at, row}
	}
	slices.SortStableFunc(arr, func(a, b arrival) int { return int(a.at - b.at) })
	out := make([]difftest.Row, len(arr))
	for i, a := range arr {
		out[i] = a.row
	}
	return out
}

// runWindowDiff pushes rows in random batches, each followed by the
// watermark max(ts) - delay, then the final watermark and Close, and
// returns the materialized output.
func runWindowDiff(t *testing.T, schema catalog.Schema, kind parser.WindowKind, sizes []int64, rows []difftest.Row, seed uint64) ([]string, *difftest.Capture) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	capture := difftest.NewCapture()
	check := &watermarkCheck{next: capture, endCol: 2}
	op, err := newWindowChain(kind, schema, 2, sizes, []string{"k", "window_start", "window_end"}, windowDiffAggs, check, mem)
	if err != nil {
		t.Fatal(err)
	}
	changes := make([]difftest.Change, len(rows))
	for i, r := range rows {
		changes[i] = difftest.Change{Op: exec.Insert, Row: r}
	}
	maxTS, wm := int64(exec.MinWatermark), int64(exec.MinWatermark)
	for _, part := range difftest.Split(changes, seed, 60) {
		b, err := difftest.ToBatch(schema, part, mem)
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range part {
			if ts, ok := ch.Row[2].(int64); ok {
				if ts < wm {
					t.Fatalf("generator bug: row at %d behind watermark %d", ts, wm)
				}
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
		if check.err != nil {
			t.Fatal(check.err)
		}
	}
	if err := op.Watermark(exec.MaxWatermark); err != nil {
		t.Fatal(err)
	}
	if r, _ := op.(exec.StateReporter).StateSize(); r != 0 {
		t.Errorf("%d state rows left after the final watermark", r)
	}
	if err := op.Close(); err != nil {
		t.Fatal(err)
	}
	if check.err != nil {
		t.Fatal(check.err)
	}
	if capture.Ops[exec.Insert] != capture.Rows {
		t.Errorf("output not append-only: ops %v", capture.Ops)
	}
	return capture.Materialized(), capture
}

// watermarkCheck passes a stream on and checks the output watermark
// contract on its event-time column endCol (window_end): no row follows a
// watermark above its time.
type watermarkCheck struct {
	next   exec.Stream
	endCol int
	wm     int64
	seen   bool
	err    error
}

func (c *watermarkCheck) Push(b exec.Batch) error {
	ends := b.Rec.Column(c.endCol).(*array.Timestamp)
	for i := 0; i < b.NumRows(); i++ {
		if e := int64(ends.Value(i)); c.seen && e < c.wm && c.err == nil {
			c.err = fmt.Errorf("row with window_end %d after watermark %d: %s", e, c.wm,
				strings.ReplaceAll(difftest.FormatArrowRow(b.Rec, i), difftest.Sep, " "))
		}
	}
	return c.next.Push(b)
}

func (c *watermarkCheck) Watermark(t int64) error {
	c.wm, c.seen = t, true
	return c.next.Watermark(t)
}

func (c *watermarkCheck) Barrier(e uint64) error { return c.next.Barrier(e) }
func (c *watermarkCheck) Close() error           { return c.next.Close() }
