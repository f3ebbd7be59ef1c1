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
	"github.com/sqlstream/sqlstream/planner"
)

// The unique-key join's differential test: random unique keys per input
// (some keys only on a partner input), random event times (some partners
// outside their bounds), arrival out of order within each input's
// watermark delay, random batches and per-port watermarks; 2- and 3-way
// chains of INNER and LEFT steps, bounds against the first input or the
// previous one, with and without a residual. The output must equal
// DuckDB's join over all rows, and no row may carry an event time below
// a watermark the join forwarded before it.

const ujBase = 1_700_000_000_000

type ujCase struct {
	ways     int
	types    []planner.JoinType
	refs     []int
	residual string // over qv, rv, sv
}

func TestUniqueJoinDifferential(t *testing.T) {
	db, err := difftest.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	L, I := planner.LeftJoin, planner.InnerJoin
	cases := []ujCase{
		{ways: 2, types: []planner.JoinType{L}, refs: []int{0}},
		{ways: 2, types: []planner.JoinType{I}, refs: []int{0}},
		{ways: 2, types: []planner.JoinType{L}, refs: []int{0}, residual: "rv <> qv"},
		{ways: 3, types: []planner.JoinType{L, L}, refs: []int{0, 0}},
		{ways: 3, types: []planner.JoinType{I, I}, refs: []int{0, 0}},
		{ways: 3, types: []planner.JoinType{L, I}, refs: []int{0, 0}},
		{ways: 3, types: []planner.JoinType{I, L}, refs: []int{0, 1}},
		{ways: 3, types: []planner.JoinType{L, L}, refs: []int{0, 1}, residual: "sv = rv OR rv IS NULL"},
	}
	for seed := uint64(1); seed <= 6; seed++ {
		for _, c := range cases {
			name := fmt.Sprintf("seed=%d/%dway/%v/refs=%v/%s", seed, c.ways, c.types, c.refs, c.residual)
			t.Run(name, func(t *testing.T) { diffUniqueJoin(t, db, seed, c) })
		}
	}
}

// ujBounds are the steps' [lower, upper] in ms.
var ujBounds = [][2]int64{{0, 10_000}, {-2_000, 8_000}}

func diffUniqueJoin(t *testing.T, db *difftest.DB, seed uint64, c ujCase) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	keyType := "bigint"
	if seed%2 == 1 {
		keyType = "varchar" // the byte-string key table
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
	out := &ujCheck{Capture: difftest.NewCapture(), times: []int{1}, wm: exec.MinWatermark}
	j, err := exec.NewUniqueJoin(cfg, out, mem)
	if err != nil {
		t.Fatal(err)
	}
	rows := ujRows(seed, c.ways, keyType == "varchar")
	const delay = 3_000
	ujReplay(t, j, schemas, rows, seed, delay, mem)
	if err := out.Err(); err != nil {
		t.Fatal(err)
	}
	if out.bad != "" {
		t.Fatal(out.bad)
	}
	if !out.Closed {
		t.Fatal("the join did not close its output")
	}
	if r, _ := j.StateSize(); r != 0 {
		t.Fatalf("%d rows left in state after close", r)
	}
	for i, n := range names {
		if err := db.Load(n, schemas[i], rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	var q strings.Builder
	q.WriteString("SELECT * FROM q")
	for i := 1; i < c.ways; i++ {
		n, ref, b := names[i], names[c.refs[i-1]], ujBounds[i-1]
		fmt.Fprintf(&q, " %s JOIN %s ON %sk = qk AND %st BETWEEN %st + to_milliseconds(%d) AND %st + to_milliseconds(%d)",
			strings.ToUpper(c.types[i-1].String()), n, n, n, ref, b[0], ref, b[1])
		if i == c.ways-1 && c.residual != "" {
			q.WriteString(" AND (" + c.residual + ")")
		}
	}
	want, err := db.Query(q.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("DuckDB's join is empty: the test proves nothing")
	}
	if d := difftest.Diff(out.Materialized(), want, 0); d != "" {
		t.Errorf("unique-key join differs from DuckDB (%s):\n%s", q.String(), d)
	}
}

// ujRows draws the inputs' rows: 200 keys, most with a first-input row,
// partners usually near it in time, sometimes outside the bounds, and a
// few partners whose key has no first-input row.
func ujRows(seed uint64, ways int, strKeys bool) [][]difftest.Row {
	r := rand.New(rand.NewPCG(seed, 7))
	rows := make([][]difftest.Row, ways)
	key := func(k int) any {
		if strKeys {
			return fmt.Sprintf("trace-%d", k)
		}
		return int64(k)
	}
	val := func() any {
		if r.IntN(8) == 0 {
			return nil
		}
		return []string{"a", "b", "c"}[r.IntN(3)]
	}
	for k := 0; k < 200; k++ {
		t0 := ujBase + r.Int64N(120_000)
		if r.IntN(10) > 0 {
			kv := key(k)
			if r.IntN(40) == 0 {
				kv = nil // matches nothing
			}
			rows[0] = append(rows[0], difftest.Row{kv, t0, val()})
		}
		prev := t0
		for i := 1; i < ways; i++ {
			if r.IntN(6) == 0 {
				continue
			}
			ti := prev + r.Int64N(16_000) - 3_000
			rows[i] = append(rows[i], difftest.Row{key(k), ti, val()})
			prev = ti
		}
	}
	return rows
}

// ujReplay delivers every input's rows at event time plus a random delay
// below the watermark delay (so none is late), in random batches, with
// each port's watermark (max event time seen - delay) after each batch,
// then closes every port.
func ujReplay(t *testing.T, j *exec.UniqueJoin, schemas []catalog.Schema, rows [][]difftest.Row, seed uint64, delay int64, mem memory.Allocator) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 11))
	type arrival struct {
		at   int64
		port int
		row  difftest.Row
	}
	var arr []arrival
	for p, rs := range rows {
		for _, row := range rs {
			arr = append(arr, arrival{at: row[1].(int64) + r.Int64N(delay), port: p, row: row})
		}
	}
	slices.SortStableFunc(arr, func(a, b arrival) int { return int(a.at - b.at) })
	maxT := make([]int64, len(rows))
	for len(arr) > 0 {
		p, n := arr[0].port, 1+r.IntN(5)
		var batch []difftest.Change
		for len(arr) > 0 && arr[0].port == p && len(batch) < n {
			batch = append(batch, difftest.Change{Op: exec.Insert, Row: arr[0].row})
			maxT[p] = max(maxT[p], arr[0].row[1].(int64))
			arr = arr[1:]
		}
		b, err := difftest.ToBatch(schemas[p], batch, mem)
		if err != nil {
			t.Fatal(err)
		}
		err = j.Port(p).Push(b)
		b.Release()
		if err == nil {
			err = j.Port(p).Watermark(maxT[p] - delay)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for p := range rows {
		if err := j.Port(p).Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// ujCheck captures the output and checks the watermark contract: no row
// has an event time (columns times) below a watermark forwarded before.
type ujCheck struct {
	*difftest.Capture
	times []int
	wm    int64
	bad   string
}

func (c *ujCheck) Push(b exec.Batch) error {
	for _, col := range c.times {
		ts := b.Rec.Column(col).(*array.Timestamp)
		for i := 0; i < ts.Len(); i++ {
			if ts.IsValid(i) && int64(ts.Value(i)) < c.wm && c.bad == "" {
				c.bad = fmt.Sprintf("row with time %d after watermark %d", ts.Value(i), c.wm)
			}
		}
	}
	return c.Capture.Push(b)
}

func (c *ujCheck) Watermark(t int64) error {
	if t < c.wm {
		c.bad = fmt.Sprintf("watermark went back from %d to %d", c.wm, t)
	}
	c.wm = t
	return nil
}
