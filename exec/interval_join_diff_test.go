package exec_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/internal/difftest"
	"github.com/sqlstream/sqlstream/planner"
)

// The interval join's differential test: two append-only sides with
// random keys (NULLs included) and event times out of order by up to
// each side's watermark delay, interleaved in random batches with
// watermarks (max event time seen minus the delay, as sources send
// them), then MaxWatermark. The output must equal DuckDB's join of all
// rows with the same SQL condition, every row must respect the
// watermarks forwarded before it, state must shrink as watermarks pass
// and be empty at the end.

// ivShape is a time condition: its SQL (over l.lts and r.rts) and the
// normalized bounds the planner derives from it.
type ivShape struct {
	sql          string
	lower, upper int64
}

var ivShapes = []ivShape{
	{"rts BETWEEN lts - INTERVAL 1 SECOND AND lts + INTERVAL 2 SECOND", -1000, 2000},
	{"rts BETWEEN lts AND lts", 0, 0},
	{"rts BETWEEN lts - INTERVAL 3 SECOND AND lts - INTERVAL 1 SECOND", -3000, -1000},
	{"rts > lts - INTERVAL 500 MILLISECOND AND rts < lts + INTERVAL 1500 MILLISECOND", -499, 1499},
	{"lts BETWEEN rts + INTERVAL 1 SECOND AND rts + INTERVAL 4 SECOND", -4000, -1000},
}

func TestIntervalJoinDifferential(t *testing.T) {
	db, err := difftest.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for seed := uint64(1); seed <= 6; seed++ {
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
					diffIntervalJoin(t, db, seed, shape, typ, residual)
				})
			}
		}
	}
}

func diffIntervalJoin(t *testing.T, db *difftest.DB, seed uint64, shape ivShape, typ planner.JoinType, residual string) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ls := mustSchema(t, "lk:bigint", "lts:timestamp", "a:varchar")
	rs := mustSchema(t, "rk:bigint", "rts:timestamp", "b:varchar")
	all := catalog.Schema{Columns: append(append([]catalog.Column(nil), ls.Columns...), rs.Columns...)}
	cfg := exec.IntervalJoinConfig{Type: typ, Left: ls.Arrow(), Right: rs.Arrow(), Out: all.Arrow(),
		LeftKeys: []int{0}, RightKeys: []int{0}, LeftTime: 1, RightTime: 1, Lower: shape.lower, Upper: shape.upper}
	on := "lk = rk"
	if seed%3 == 0 { // a two-column key: the byte-string key table
		cfg.LeftKeys, cfg.RightKeys = []int{0, 2}, []int{0, 2}
		on = "lk = rk AND a = b"
	}
	if residual != "" {
		p, err := exectest.CompilePredicate(all, residual, exectest.NewHarness(nil).Now)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Residual = p
		on += " AND (" + residual + ")"
	}
	out := &wmChecker{next: difftest.NewCapture(), cols: []int{1, 4}, wm: exec.MinWatermark}
	j, err := exec.NewIntervalJoin(cfg, out, mem)
	if err != nil {
		t.Fatal(err)
	}
	const n = 300
	r := rand.New(rand.NewPCG(seed, 42))
	sides := [2]*ivGenSide{
		{schema: ls, delay: 2000, port: j.Left()},
		{schema: rs, delay: 500 + int64(r.IntN(3))*1000, port: j.Right()},
	}
	var clock int64 = 1_700_000_000_000
	for sides[0].sent+sides[1].sent < 2*n {
		s := sides[r.IntN(2)]
		if s.sent >= n {
			continue
		}
		clock += int64(r.IntN(4)) * 100
		k := min(1+r.IntN(8), n-s.sent)
		s.push(t, r, clock, k, mem)
		if r.IntN(3) == 0 {
			s.watermark(t)
			// The output watermark lags the inputs' by at most
			// max(Upper, -Lower, 0).
			if sides[0].sentWM && sides[1].sentWM {
				in := min(sides[0].wm, sides[1].wm)
				if lag := max(shape.upper, -shape.lower, 0); out.wm < in-lag {
					t.Fatalf("output watermark %d lags the inputs' %d by more than %d ms", out.wm, in, lag)
				}
			}
		}
		if err := out.err; err != nil {
			t.Fatal(err)
		}
		rows, _ := j.StateSize()
		if rows > int64(sides[0].sent+sides[1].sent) {
			t.Fatalf("holds %d rows of %d", rows, sides[0].sent+sides[1].sent)
		}
	}
	peak := j.PeakStateRows()
	for _, s := range sides {
		if err := s.port.Watermark(exec.MaxWatermark); err != nil {
			t.Fatal(err)
		}
	}
	if rows, _ := j.StateSize(); rows != 0 {
		t.Errorf("holds %d rows after MaxWatermark", rows)
	}
	if out.wm != exec.MaxWatermark {
		t.Errorf("output watermark %d after MaxWatermark on both ports", out.wm)
	}
	for _, s := range sides {
		if err := s.port.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if !out.next.Closed || out.err != nil || out.next.Err() != nil {
		t.Fatalf("closed=%v, %v, %v", out.next.Closed, out.err, out.next.Err())
	}
	// Watermarks free state: the peak is well below everything seen.
	if peak >= int64(2*n)*3/4 {
		t.Errorf("peak state %d rows of %d: expiry does not free state", peak, 2*n)
	}
	if err := db.Load("l", ls, sides[0].rows); err != nil {
		t.Fatal(err)
	}
	if err := db.Load("r", rs, sides[1].rows); err != nil {
		t.Fatal(err)
	}
	q := fmt.Sprintf("SELECT * FROM l %s JOIN r ON %s AND %s", strings.ToUpper(typ.String()), on, shape.sql)
	want, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	if typ == planner.InnerJoin && len(want) < 10 {
		t.Fatalf("DuckDB's join has %d rows: the test proves little", len(want))
	}
	if d := difftest.Diff(out.next.Materialized(), want, 20); d != "" {
		t.Errorf("%s differs from DuckDB:\n%s", q, d)
	}
}

// ivGenSide generates one side's rows: event times up to delay behind the
// clock (the source's max event time never runs ahead of the clock, so
// max seen - delay is a valid watermark), a quarter of them exactly at
// the last watermark (the earliest a row may be), keys from a small
// domain.
type ivGenSide struct {
	schema  catalog.Schema
	delay   int64
	port    exec.Stream
	maxSeen int64
	seen    bool
	wm      int64 // the last watermark sent
	sentWM  bool
	rows    []difftest.Row
	sent    int
}

func (s *ivGenSide) push(t *testing.T, r *rand.Rand, clock int64, k int, mem memory.Allocator) {
	t.Helper()
	changes := make([]difftest.Change, k)
	for i := range changes {
		var key, ts, v any
		if r.IntN(20) > 0 {
			key = int64(r.IntN(5))
		}
		if r.IntN(25) > 0 {
			// Multiples of 100 ms, so that equal times (the zero-width
			// interval) and exact bounds happen.
			et := clock - int64(r.IntN(int(s.delay/100)+1))*100
			if s.sentWM && r.IntN(4) == 0 {
				et = s.wm // exactly at the watermark: the earliest allowed
			}
			et = max(et, s.wm)
			ts = et
			if !s.seen || et > s.maxSeen {
				s.maxSeen, s.seen = et, true
			}
		}
		if r.IntN(10) > 0 {
			v = []string{"x", "y", "z"}[r.IntN(3)]
		}
		changes[i] = difftest.Change{Op: exec.Insert, Row: difftest.Row{key, ts, v}}
		s.rows = append(s.rows, changes[i].Row)
	}
	s.sent += k
	b, err := difftest.ToBatch(s.schema, changes, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Release()
	if err := s.port.Push(b); err != nil {
		t.Fatal(err)
	}
}

func (s *ivGenSide) watermark(t *testing.T) {
	t.Helper()
	if !s.seen {
		return
	}
	s.wm, s.sentWM = s.maxSeen-s.delay, true
	if err := s.port.Watermark(s.wm); err != nil {
		t.Fatal(err)
	}
}

// wmChecker forwards to a capture and checks the watermark contract of
// its input: no row has a (non-NULL) value in cols below a watermark
// announced before it, and watermarks never go backwards.
type wmChecker struct {
	next *difftest.Capture
	cols []int
	wm   int64
	err  error
}

func (c *wmChecker) Push(b exec.Batch) error {
	for _, col := range c.cols {
		ts := b.Rec.Column(col).(*array.Timestamp)
		for i := 0; i < ts.Len(); i++ {
			if ts.IsValid(i) && int64(ts.Value(i)) < c.wm && c.err == nil {
				c.err = fmt.Errorf("row %s: %s %d is below the watermark %d forwarded before it",
					difftest.FormatArrowRow(b.Rec, i), b.Rec.ColumnName(col), int64(ts.Value(i)), c.wm)
			}
		}
	}
	return c.next.Push(b)
}

func (c *wmChecker) Watermark(w int64) error {
	if w <= c.wm && c.err == nil {
		c.err = fmt.Errorf("watermark %d after %d", w, c.wm)
	}
	c.wm = w
	return c.next.Watermark(w)
}

func (c *wmChecker) Barrier(e uint64) error { return c.next.Barrier(e) }
func (c *wmChecker) Close() error           { return c.next.Close() }
