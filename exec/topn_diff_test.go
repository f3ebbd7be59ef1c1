package exec_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/internal/difftest"
)

// TestTopNDifferential pushes random append-only rows (small domains, so
// partitions and ORDER BY values collide; NULLs included) through TopN in
// batches of random sizes and compares the materialized output with
// DuckDB's ROW_NUMBER() ... WHERE rn <= N over the same rows. seq is the
// arrival order: DuckDB breaks ties by it, which TopN must match without
// being told (equal rows rank by arrival). Every run also snapshots the
// state halfway, restores it into a new operator and continues there: the
// output must equal the uninterrupted answer.
func TestTopNDifferential(t *testing.T) {
	schema, err := exectest.ParseSchema([]string{"k:int", "g:varchar", "v:bigint", "s:varchar", "x:double", "d:decimal(10,2)", "seq:bigint"})
	if err != nil {
		t.Fatal(err)
	}
	db, err := difftest.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct {
		name      string
		partition []int
		order     []exec.TopNOrder
		duck      string // DuckDB's PARTITION BY ... ORDER BY ...
		limit     int64
	}{
		{"max-v-per-k", []int{0}, []exec.TopNOrder{{Col: 2, Desc: true}}, "PARTITION BY k ORDER BY v DESC NULLS LAST, seq", 1},
		{"top3-per-k-g", []int{0, 1}, []exec.TopNOrder{{Col: 2, Desc: true}, {Col: 3}}, "PARTITION BY k, g ORDER BY v DESC NULLS LAST, s NULLS FIRST, seq", 3},
		{"global-top10", nil, []exec.TopNOrder{{Col: 4}, {Col: 5, Desc: true}}, "ORDER BY x NULLS FIRST, d DESC NULLS LAST, seq", 10},
		{"latest-per-g", []int{1}, []exec.TopNOrder{{Col: 6, Desc: true}}, "PARTITION BY g ORDER BY seq DESC", 2},
		{"strings", []int{0}, []exec.TopNOrder{{Col: 3, Desc: true}, {Col: 1}}, "PARTITION BY k ORDER BY s DESC NULLS LAST, g NULLS FIRST, seq", 4},
	} {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("%s/seed=%d", c.name, seed), func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer mem.AssertSize(t, 0)
				rows := topnRows(seed, 1500)
				cfg := exec.TopNConfig{Input: schema.Arrow(), Partition: c.partition, Order: c.order, Limit: c.limit}
				capture := difftest.NewCapture()
				op, err := exec.NewTopN(cfg, capture, mem)
				if err != nil {
					t.Fatal(err)
				}
				changes := make([]difftest.Change, len(rows))
				for i, row := range rows {
					changes[i] = difftest.Change{Op: exec.Insert, Row: row}
				}
				batches := difftest.Split(changes, seed, 50)
				for i, part := range batches {
					if i == len(batches)/2 {
						state := newMemState()
						if err := op.Snapshot(state); err != nil {
							t.Fatal(err)
						}
						if op, err = exec.NewTopN(cfg, capture, mem); err != nil {
							t.Fatal(err)
						}
						if err := op.Restore(state); err != nil {
							t.Fatal(err)
						}
					}
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
						t.Fatal(err)
					}
				}
				if err := op.Close(); err != nil {
					t.Fatal(err)
				}
				if err := db.Load("t", schema, rows); err != nil {
					t.Fatal(err)
				}
				q := fmt.Sprintf("SELECT * FROM (SELECT *, row_number() OVER (%s) AS rn FROM t) WHERE rn <= %d", c.duck, c.limit)
				want, err := db.Query(q)
				if err != nil {
					t.Fatal(err)
				}
				got := capture.Materialized()
				if len(got) == 0 {
					t.Fatal("no output")
				}
				if d := difftest.Diff(got, want, 10); d != "" {
					t.Fatalf("%s\n%s", q, d)
				}
			})
		}
	}
}

// topnRows generates n rows whose seq is their arrival order.
func topnRows(seed uint64, n int) []difftest.Row {
	r := rand.New(rand.NewPCG(seed, 7))
	maybe := func(v any) any {
		if r.IntN(12) == 0 {
			return nil
		}
		return v
	}
	rows := make([]difftest.Row, n)
	for i := range rows {
		rows[i] = difftest.Row{
			int32(r.IntN(5)),
			maybe([]string{"p", "q", "r", "s"}[r.IntN(4)]),
			maybe(int64(r.IntN(60) - 20)),
			maybe([]string{"", "a", "ab", "a\x00", "b", "é"}[r.IntN(6)]),
			maybe(float64(r.IntN(40)-20) / 4),
			maybe(decimal128.FromI64(int64(r.IntN(2000) - 1000))),
			int64(i),
		}
	}
	return rows
}
