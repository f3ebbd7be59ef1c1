package exec_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/planner"
)

// ivBenchBatches builds n rows (k, ts, v) in 4096-row batches: row i has
// key i % 50000 and event time base + i + shift ms, up to 100 ms out of
// order. It returns the batches and the watermark after each (max event
// time - 100 ms).
func ivBenchBatches(s catalog.Schema, n int, shift int64, mem memory.Allocator) ([]exec.Batch, []int64) {
	const size = 4096
	const base = 1_700_000_000_000
	var out []exec.Batch
	var wms []int64
	for start := 0; start < n; start += size {
		bld := array.NewRecordBuilder(mem, s.Arrow())
		var maxT int64
		for i := start; i < min(start+size, n); i++ {
			t := base + int64(i) + shift - int64(i*37%101)
			maxT = max(maxT, t)
			bld.Field(0).(*array.Int64Builder).Append(int64(i % 50000))
			bld.Field(1).(*array.TimestampBuilder).Append(arrow.Timestamp(t))
			bld.Field(2).(*array.Int64Builder).Append(int64(i))
		}
		out = append(out, exec.Batch{Rec: bld.NewRecordBatch()})
		wms = append(wms, maxT-100)
		bld.Release()
	}
	return out, wms
}

// BenchmarkIntervalJoin is an inner interval join of 1M left and 1M right
// rows, `r.ts BETWEEN l.ts AND l.ts + 1s` on 50k keys: each right row
// comes 500 ms after its left partner, so every row joins exactly once
// and about 1.5 s of rows are held. Both sides stream in alternating
// 4096-row batches, each followed by its watermark. rows/s counts the 2M
// input rows.
//
//	GOMAXPROCS=1 go test -tags=duckdb_arrow -run '^$' -bench IntervalJoin -benchtime 3x ./exec/
func BenchmarkIntervalJoin(b *testing.B) {
	const n = 1 << 20
	mem := memory.NewGoAllocator()
	ls, err := exectest.ParseSchema([]string{"lk:bigint", "lts:timestamp", "lv:bigint"})
	if err != nil {
		b.Fatal(err)
	}
	rs, _ := exectest.ParseSchema([]string{"rk:bigint", "rts:timestamp", "rv:bigint"})
	all := catalog.Schema{Columns: append(append([]catalog.Column(nil), ls.Columns...), rs.Columns...)}
	left, lwm := ivBenchBatches(ls, n, 0, mem)
	right, rwm := ivBenchBatches(rs, n, 500, mem)
	b.ResetTimer()
	var peak int64
	for i := 0; i < b.N; i++ {
		out := &discard{}
		j, err := exec.NewIntervalJoin(exec.IntervalJoinConfig{Type: planner.InnerJoin, Left: ls.Arrow(), Right: rs.Arrow(),
			Out: all.Arrow(), LeftKeys: []int{0}, RightKeys: []int{0}, LeftTime: 1, RightTime: 1, Lower: 0, Upper: 1000}, out, mem)
		if err != nil {
			b.Fatal(err)
		}
		for k := range left {
			if err := j.Left().Push(left[k]); err != nil {
				b.Fatal(err)
			}
			if err := j.Left().Watermark(lwm[k]); err != nil {
				b.Fatal(err)
			}
			if err := j.Right().Push(right[k]); err != nil {
				b.Fatal(err)
			}
			if err := j.Right().Watermark(rwm[k]); err != nil {
				b.Fatal(err)
			}
		}
		if out.rows != n {
			b.Fatalf("joined %d rows, want %d", out.rows, n)
		}
		peak = j.PeakStateRows()
	}
	b.ReportMetric(float64(2*n*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak), "peak-rows")
}
