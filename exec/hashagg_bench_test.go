package exec_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
)

// aggBenchBatches builds nb batches of 4096 rows (k, v) with k drawn from
// groups keys. With updates, 30% of the rows are -U/+U pairs that retract
// an earlier row and insert it with a new value. A third column, when s
// has one, is a DECIMAL(18,2) copy of v (a price: v*1.37 + 0.05).
func aggBenchBatches(s catalog.Schema, groups, nb int, updates bool, mem memory.Allocator) []exec.Batch {
	const rows = 4096
	r := rand.New(rand.NewPCG(1, 2))
	type row struct{ k, v int64 }
	var live []row
	out := make([]exec.Batch, nb)
	for i := range out {
		bld := array.NewRecordBuilder(mem, s.Arrow())
		kb, vb := bld.Field(0).(*array.Int64Builder), bld.Field(1).(*array.Int64Builder)
		var ops []exec.Op
		for n := 0; n < rows; {
			if updates && len(live) > 0 && n+2 <= rows && r.IntN(20) < 3 {
				j := r.IntN(len(live))
				old := live[j]
				live[j].v = r.Int64N(1000)
				kb.AppendValues([]int64{old.k, old.k}, nil)
				vb.AppendValues([]int64{old.v, live[j].v}, nil)
				appendPrice(bld, old.v, live[j].v)
				ops = append(ops, exec.UpdateBefore, exec.UpdateAfter)
				n += 2
				continue
			}
			x := row{r.Int64N(int64(groups)), r.Int64N(1000)}
			kb.Append(x.k)
			vb.Append(x.v)
			appendPrice(bld, x.v)
			ops = append(ops, exec.Insert)
			if updates && len(live) < 1<<20 {
				live = append(live, x)
			}
			n++
		}
		if !updates {
			ops = nil
		}
		out[i] = exec.Batch{Rec: bld.NewRecordBatch(), Ops: ops}
		bld.Release()
	}
	return out
}

// appendPrice appends v*1.37 + 0.05 as a DECIMAL(18,2) to the third field
// of bld, if any.
func appendPrice(bld *array.RecordBuilder, vs ...int64) {
	if len(bld.Fields()) < 3 {
		return
	}
	db := bld.Field(2).(*array.Decimal128Builder)
	for _, v := range vs {
		db.Append(decimal128.FromI64(v*137 + 5))
	}
}

// BenchmarkHashAgg measures COUNT(*), SUM(v), AVG(v) GROUP BY a BIGINT key
// over 4096-row batches, in steady state (every group exists):
//
//	GOMAXPROCS=1 go test -tags=duckdb_arrow -run '^$' -bench HashAgg ./exec/
func BenchmarkHashAgg(b *testing.B) {
	benchHashAgg(b, []string{"count(*)", "sum(v)", "avg(v)"})
}

// BenchmarkHashAggMinMax measures MIN(v), MAX(v) GROUP BY a BIGINT key;
// append-only runs with HashAggConfig.AppendOnly set.
func BenchmarkHashAggMinMax(b *testing.B) {
	benchHashAgg(b, []string{"min(v)", "max(v)"})
}

// BenchmarkHashAggMinMaxDecimal measures MIN(d), MAX(d) over a
// DECIMAL(18,2) column GROUP BY a BIGINT key.
func BenchmarkHashAggMinMaxDecimal(b *testing.B) {
	benchHashAgg(b, []string{"min(d)", "max(d)"})
}

// BenchmarkHashAggDistinct measures COUNT(DISTINCT v), SUM(DISTINCT v),
// COUNT(DISTINCT d) over BIGINT and DECIMAL(18,2) GROUP BY a BIGINT key.
func BenchmarkHashAggDistinct(b *testing.B) {
	benchHashAgg(b, []string{"count(distinct v)", "sum(distinct v)", "count(distinct d)"})
}

func benchHashAgg(b *testing.B, aggs []string) {
	schema, err := exectest.ParseSchema([]string{"k:bigint", "v:bigint", "d:decimal(18,2)"})
	if err != nil {
		b.Fatal(err)
	}
	mem := memory.NewGoAllocator()
	for _, groups := range []int{1_000, 1_000_000} {
		for _, updates := range []bool{false, true} {
			name := fmt.Sprintf("groups=%d/append-only", groups)
			if updates {
				name = fmt.Sprintf("groups=%d/updates=30%%", groups)
			}
			b.Run(name, func(b *testing.B) {
				nb := max(16, 2*groups/4096)
				batches := aggBenchBatches(schema, groups, nb, updates, mem)
				defer func() {
					for _, bt := range batches {
						bt.Release()
					}
				}()
				cfg, err := hashAggConfig(schema, []string{"k"}, aggs)
				if err != nil {
					b.Fatal(err)
				}
				cfg.AppendOnly = !updates
				runAggBench(b, cfg, batches, mem)
			})
		}
	}
}

func runAggBench(b *testing.B, cfg exec.HashAggConfig, batches []exec.Batch, mem memory.Allocator) {
	sink := &discard{}
	op, err := exec.NewHashAgg(cfg, sink, mem)
	if err != nil {
		b.Fatal(err)
	}
	for _, bt := range batches { // warm up: create every group
		if err := op.Push(bt); err != nil {
			b.Fatal(err)
		}
	}
	sink.rows = 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := op.Push(batches[i%len(batches)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*4096/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(sink.rows)/float64(b.N)/4096, "out/in")
}
