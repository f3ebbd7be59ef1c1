package exec_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/internal/difftest"
)

// diffAgg is one aggregate in the harness's spec syntax and in DuckDB's.
type diffAgg struct{ spec, duck string }

// exactAvg is AVG over a DECIMAL(p,2) column in DuckDB as our DECIMAL(38,6)
// rounded half away from zero (DuckDB's own AVG(DECIMAL) is a DOUBLE).
func exactAvg(col string, distinct bool) string {
	d := ""
	if distinct {
		d = "DISTINCT "
	}
	s, c := "sum("+d+col+")", "count("+d+col+")"
	return fmt.Sprintf("CASE WHEN %[2]s = 0 THEN NULL ELSE CAST(sign(%[1]s) * ((abs(CAST(%[1]s * 100 AS HUGEINT)) * 20000 + %[2]s) // (2 * %[2]s)) AS DECIMAL(38,0)) * 0.000001 END", s, c)
}

var diffAggs = []diffAgg{
	{"count(*)", "count(*)"},
	{"count(v)", "count(v)"},
	{"count(distinct s)", "count(DISTINCT s)"},
	{"count(distinct x)", "count(DISTINCT x)"},
	{"sum(v)", "sum(v)"},
	{"sum(i)", "sum(i)"},
	{"sum(d)", "sum(d)"},
	{"sum(x)", "sum(x)"},
	{"sum(distinct v)", "sum(DISTINCT v)"},
	{"count(distinct v)", "count(DISTINCT v)"},
	{"count(distinct d)", "count(DISTINCT d)"},
	{"sum(distinct d)", "sum(DISTINCT d)"},
	{"count(distinct ts) filter b", "count(DISTINCT ts) FILTER (WHERE b)"},
	{"avg(v)", "avg(v)"},
	{"avg(i)", "avg(i)"},
	{"avg(x)", "avg(x)"},
	{"avg(d)", exactAvg("d", false)},
	{"avg(distinct d)", exactAvg("d", true)},
	{"avg(distinct x)", "avg(DISTINCT x)"},
	{"min(v)", "min(v)"},
	{"max(v)", "max(v)"},
	{"min(d)", "min(d)"},
	{"max(d)", "max(d)"},
	{"max(d) filter b", "max(d) FILTER (WHERE b)"},
	{"max(x)", "max(x)"},
	{"min(s)", "min(s)"},
	{"max(s)", "max(s)"},
	{"max(ts)", "max(ts)"},
	{"min(dt)", "min(dt)"},
	{"min(b)", "min(b)"},
	{"max(distinct i)", "max(DISTINCT i)"},
	{"count(*) filter b", "count(*) FILTER (WHERE b)"},
	{"sum(d) filter b", "sum(d) FILTER (WHERE b)"},
	{"max(v) filter b", "max(v) FILTER (WHERE b)"},
	{"count(distinct s) filter b", "count(DISTINCT s) FILTER (WHERE b)"},
}

// TestHashAggDifferential runs random changelogs (inserts, updates,
// deletes, NULLs, colliding keys) through HashAgg in batches of random
// sizes; the materialized output must equal DuckDB's GROUP BY over the
// final table state, and no output retraction may take back an absent row.
func TestHashAggDifferential(t *testing.T) {
	schema, err := exectest.ParseSchema([]string{"g1:int", "g2:varchar", "v:bigint", "d:decimal(10,2)", "x:double",
		"b:bool", "s:varchar", "ts:timestamp", "i:int", "dt:date"})
	if err != nil {
		t.Fatal(err)
	}
	db, err := difftest.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var specs, ducks []string
	for _, a := range diffAggs {
		specs, ducks = append(specs, a.spec), append(ducks, a.duck)
	}
	for _, c := range []struct {
		name  string
		group []string
		seeds []uint64
		// sparse draws g1 from 300 values: most groups hold a row or two
		// and empty again (-D).
		sparse bool
		// appendOnly feeds inserts only, to an operator told so.
		appendOnly bool
	}{
		{"grouped", []string{"g1", "g2"}, []uint64{1, 2, 3, 4}, false, false},
		{"sparse", []string{"g1"}, []uint64{8, 9}, true, false},
		{"one-key", []string{"s"}, []uint64{5}, false, false},
		{"one-double", []string{"x"}, []uint64{10}, false, false},
		{"one-timestamp", []string{"ts"}, []uint64{11}, false, false},
		{"one-bool", []string{"b"}, []uint64{12}, false, false},
		{"one-date", []string{"dt"}, []uint64{13}, false, false},
		{"global", nil, []uint64{6, 7}, false, false},
		{"append-only", []string{"g1"}, []uint64{14}, false, true},
		{"append-only-global", nil, []uint64{15}, false, true},
	} {
		for _, seed := range c.seeds {
			t.Run(fmt.Sprintf("%s/seed=%d", c.name, seed), func(t *testing.T) {
				cfg, err := hashAggConfig(schema, c.group, specs)
				if err != nil {
					t.Fatal(err)
				}
				q := "SELECT " + strings.Join(append(append([]string(nil), c.group...), ducks...), ", ") + " FROM t"
				if len(c.group) > 0 {
					q += " GROUP BY " + strings.Join(c.group, ", ")
				}
				cfg.AppendOnly = c.appendOnly
				gen := difftest.Gen{Schema: schema, Domain: 5}
				if c.appendOnly {
					gen.UpdateRate, gen.DeleteRate = 1e-12, 1e-12
				}
				if c.sparse {
					gen.Values = map[int]func(r *rand.Rand) any{0: func(r *rand.Rand) any { return int32(r.IntN(300)) }}
				}
				capture := runAggDiff(t, db, gen, cfg, q, seed)
				if c.sparse && capture.Ops[exec.Delete] == 0 {
					t.Errorf("no group emptied: ops %v", capture.Ops)
				}
			})
		}
	}
}

func runAggDiff(t *testing.T, db *difftest.DB, gen difftest.Gen, cfg exec.HashAggConfig, q string, seed uint64) *difftest.Capture {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	schema := gen.Schema
	changes := gen.Changelog(seed, 3000)
	capture := difftest.NewCapture()
	op, err := exec.NewHashAgg(cfg, capture, mem)
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range difftest.Split(changes, seed, 400) {
		b, err := difftest.ToBatch(schema, part, mem)
		if err != nil {
			t.Fatal(err)
		}
		err = op.Push(b)
		b.Release()
		if err != nil {
			t.Fatal(err)
		}
		if err := capture.Err(); err != nil {
			t.Fatalf("inconsistent output: %v", err)
		}
	}
	if err := op.Watermark(exec.MaxWatermark); err != nil {
		t.Fatal(err)
	}
	if err := op.Close(); err != nil {
		t.Fatal(err)
	}
	final, err := difftest.Apply(schema, changes)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Load("t", schema, final); err != nil {
		t.Fatal(err)
	}
	want, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	if d := difftest.Diff(capture.Materialized(), want, 10); d != "" {
		t.Fatalf("%d changes, %d final rows, %d output rows:\n%s", len(changes), len(final), capture.Rows, d)
	}
	t.Logf("%d changes, %d final rows, %d groups, output ops %v", len(changes), len(final), len(want), capture.Ops)
	return capture
}
