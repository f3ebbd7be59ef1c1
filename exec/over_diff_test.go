package exec_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/cockroachdb/datadriven"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/internal/difftest"
)

// diffOver is one window function in the golden spec syntax and in
// DuckDB's; %s in duck is the window: (PARTITION BY ... ORDER BY ts, seq)
// for functions that order peers by arrival (seq is the arrival order),
// and with %r the RANGE window ORDER BY ts, where peers share a value.
type diffOver struct{ spec, duck string }

var diffOvers = []diffOver{
	{"row_number()", "row_number() OVER %s"},
	{"lag(v)", "lag(v) OVER %s"},
	{"lag(v, 2, dflt)", "lag(v, 2, dflt) OVER %s"},
	{"lag(s, 3)", "lag(s, 3) OVER %s"},
	{"lead(v)", "lead(v) OVER %s"},
	{"lead(s, 2)", "lead(s, 2) OVER %s"},
	{"lead(v, 3, dflt)", "lead(v, 3, dflt) OVER %s"},
	{"sum(v)", "sum(v) OVER %r"},
	{"sum(d) rows", "sum(d) OVER %s"},
	{"count(*)", "count(*) OVER %r"},
	{"count(s) rows", "count(s) OVER %s"},
	{"avg(v)", "avg(v) OVER %r"},
	{"min(x)", "min(x) OVER %r"},
	{"max(s) rows", "max(s) OVER %s"},
	{"sum(d)", "sum(d) OVER %r"},
}

// TestOverDifferential runs random append-only rows, out of order by up
// to the watermark delay and with many equal event times, through Over in
// batches of random sizes with a watermark after each; the output must
// equal DuckDB's window functions over the same rows, and no output row
// may be behind a watermark the operator forwarded before it.
func TestOverDifferential(t *testing.T) {
	schema, err := exectest.ParseSchema([]string{"k:int", "g:varchar", "v:bigint", "d:decimal(10,2)", "x:double",
		"s:varchar", "dflt:bigint", "ts:timestamp", "seq:bigint"})
	if err != nil {
		t.Fatal(err)
	}
	db, err := difftest.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	noLead := func(o diffOver) bool { return !strings.HasPrefix(o.spec, "lead") }
	for _, c := range []struct {
		name      string
		partition []string
		keep      func(diffOver) bool
		limit     int64
		seeds     []uint64
	}{
		{"by-k", []string{"k"}, nil, 0, []uint64{1, 2, 3}},
		{"by-k-g", []string{"k", "g"}, nil, 0, []uint64{4, 5}},
		{"global", nil, nil, 0, []uint64{6}},
		{"no-lead", []string{"k"}, noLead, 0, []uint64{7, 8}},
		{"top-2", []string{"k", "g"}, func(o diffOver) bool { return o.spec == "row_number()" }, 2, []uint64{9, 10}},
		{"dedup", []string{"g"}, func(o diffOver) bool { return o.spec == "row_number()" }, 1, []uint64{11}},
	} {
		for _, seed := range c.seeds {
			t.Run(fmt.Sprintf("%s/seed=%d", c.name, seed), func(t *testing.T) {
				var specs, ducks []string
				part := ""
				if len(c.partition) > 0 {
					part = "PARTITION BY " + strings.Join(c.partition, ", ") + " "
				}
				for _, o := range diffOvers {
					if c.keep != nil && !c.keep(o) {
						continue
					}
					d := strings.ReplaceAll(o.duck, "%s", "("+part+"ORDER BY ts, seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)")
					d = strings.ReplaceAll(d, "%r", "("+part+"ORDER BY ts)")
					specs, ducks = append(specs, o.spec), append(ducks, d)
				}
				for i := range ducks {
					ducks[i] += fmt.Sprintf(" AS c%d", i)
				}
				q := "SELECT *, " + strings.Join(ducks, ", ") + " FROM t"
				if c.limit > 0 { // row_number() is the only function: c0
					q = fmt.Sprintf("SELECT * FROM (%s) WHERE c0 <= %d", q, c.limit)
				}
				runOverDiff(t, db, schema, c.partition, specs, c.limit, q, seed)
			})
		}
	}
}

// overRows generates n rows: event times in whole seconds (ties are
// common) drifting forward, each at most delay behind the largest time so
// far, so no row is behind the watermark (max time - delay); a few have a
// NULL time.
func overRows(seed uint64, n int, delay int64) []difftest.Row {
	r := rand.New(rand.NewPCG(seed, 99))
	const base = int64(1_704_067_200_000) // 2024-01-01
	maxTs := base
	str := func() any {
		if r.IntN(8) == 0 {
			return nil
		}
		return []string{"a", "b", "c", "d", "e"}[r.IntN(5)]
	}
	rows := make([]difftest.Row, n)
	for i := range rows {
		ts := maxTs - delay + int64(r.IntN(int(delay/1000)+3))*1000
		maxTs = max(maxTs, ts)
		var tv any = ts
		if r.IntN(50) == 0 {
			tv = nil
		}
		var v, d, x any
		if r.IntN(10) > 0 {
			v = int64(r.IntN(200) - 50)
		}
		if r.IntN(10) > 0 {
			d = decimal128.FromI64(int64(r.IntN(100000) - 20000))
		}
		if r.IntN(10) > 0 {
			x = float64(r.IntN(1000)) / 8
		}
		rows[i] = difftest.Row{int32(r.IntN(4)), []string{"p", "q", "r"}[r.IntN(3)], v, d, x, str(),
			int64(-r.IntN(3)), tv, int64(i)}
	}
	return rows
}

func runOverDiff(t *testing.T, db *difftest.DB, schema catalog.Schema, partition, specs []string, limit int64, q string, seed uint64) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	const delay = 5000
	rows := overRows(seed, 2000, delay)
	d := &overTestData{partition: partition, calls: strings.Join(specs, ", "), limit: limit}
	cfg, err := overConfig(schema, d.data())
	if err != nil {
		t.Fatal(err)
	}
	capture := difftest.NewCapture()
	check := &wmCheck{next: capture, col: schema.Index("ts"), wm: exec.MinWatermark}
	op, err := exec.NewOver(cfg, check, mem)
	if err != nil {
		t.Fatal(err)
	}
	changes := make([]difftest.Change, len(rows))
	for i, row := range rows {
		changes[i] = difftest.Change{Op: exec.Insert, Row: row}
	}
	maxTs := exec.MinWatermark
	for _, part := range difftest.Split(changes, seed, 60) {
		b, err := difftest.ToBatch(schema, part, mem)
		if err != nil {
			t.Fatal(err)
		}
		err = op.Push(b)
		b.Release()
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range part {
			if ts, ok := ch.Row[7].(int64); ok {
				maxTs = max(maxTs, ts)
			}
		}
		if err := op.Watermark(maxTs - delay); err != nil {
			t.Fatal(err)
		}
		if check.err != nil {
			t.Fatal(check.err)
		}
	}
	if err := op.Watermark(exec.MaxWatermark); err != nil {
		t.Fatal(err)
	}
	if err := op.Close(); err != nil {
		t.Fatal(err)
	}
	if check.err != nil {
		t.Fatal(check.err)
	}
	if err := db.Load("t", schema, rows); err != nil {
		t.Fatal(err)
	}
	want, err := db.Query(q)
	if err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	if d := difftest.Diff(capture.Materialized(), want, 10); d != "" {
		t.Fatalf("%d rows, %d output rows:\n%s", len(rows), capture.Rows, d)
	}
	if limit == 0 && capture.Rows != len(rows) {
		t.Fatalf("%d output rows for %d input rows", capture.Rows, len(rows))
	}
	t.Logf("%d rows in, %d out, %d forwarded watermarks", len(rows), capture.Rows, check.n)
}

// overTestData renders a golden directive for overConfig.
type overTestData struct {
	partition []string
	calls     string
	limit     int64
}

func (o *overTestData) data() *datadriven.TestData {
	d := &datadriven.TestData{Cmd: "over"}
	if len(o.partition) > 0 {
		d.CmdArgs = append(d.CmdArgs, datadriven.CmdArg{Key: "partition", Vals: o.partition})
	}
	d.CmdArgs = append(d.CmdArgs, datadriven.CmdArg{Key: "order", Vals: []string{"ts"}},
		datadriven.CmdArg{Key: "calls", Vals: []string{o.calls}})
	if o.limit > 0 {
		d.CmdArgs = append(d.CmdArgs, datadriven.CmdArg{Key: "limit", Vals: []string{fmt.Sprint(o.limit)}})
	}
	return d
}

// wmCheck fails when a row's event time is below a watermark forwarded
// before it, then passes everything on.
type wmCheck struct {
	next exec.Stream
	col  int
	wm   int64
	n    int
	err  error
}

func (w *wmCheck) Push(b exec.Batch) error {
	ts := b.Rec.Column(w.col).(*array.Timestamp)
	for i := 0; i < b.NumRows(); i++ {
		if ts.IsValid(i) && int64(ts.Value(i)) < w.wm && w.err == nil {
			w.err = fmt.Errorf("row %d at %d emitted after watermark %d", i, ts.Value(i), w.wm)
		}
	}
	return w.next.Push(b)
}

func (w *wmCheck) Watermark(t int64) error {
	if t < w.wm && w.err == nil {
		w.err = fmt.Errorf("watermark went back from %d to %d", w.wm, t)
	}
	w.wm = t
	w.n++
	return w.next.Watermark(t)
}

func (w *wmCheck) Barrier(e uint64) error { return w.next.Barrier(e) }
func (w *wmCheck) Close() error           { return w.next.Close() }
