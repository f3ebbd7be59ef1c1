package exec_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/planner"
)

// keyBatches builds n rows (k = 0..n-1 in a shuffled order, v = k*7) in
// 4096-row batches.
func keyBatches(b *testing.B, s catalog.Schema, n int, mem memory.Allocator) []exec.Batch {
	const size = 4096
	var out []exec.Batch
	for start := 0; start < n; start += size {
		bld := array.NewRecordBuilder(mem, s.Arrow())
		for i := start; i < min(start+size, n); i++ {
			k := int64(i*7919) % int64(n) // a permutation when n is not a multiple of 7919
			bld.Field(0).(*array.Int64Builder).Append(k)
			bld.Field(1).(*array.Int64Builder).Append(k * 7)
		}
		out = append(out, exec.Batch{Rec: bld.NewRecordBatch()})
		bld.Release()
	}
	return out
}

// BenchmarkJoin is a two-way inner join with 1 million keys: 1M left rows
// are inserted (no partner yet), then 1M right rows stream in, each
// matching one left row. rows/s counts the 2M input rows.
//
//	GOMAXPROCS=1 go test -tags=duckdb_arrow -run '^$' -bench Join -benchtime 3x ./exec/
func BenchmarkJoin(b *testing.B) {
	const n = 1 << 20
	mem := memory.NewGoAllocator()
	ls, err := exectest.ParseSchema([]string{"lk:bigint", "lv:bigint"})
	if err != nil {
		b.Fatal(err)
	}
	rs, _ := exectest.ParseSchema([]string{"rk:bigint", "rv:bigint"})
	all := catalog.Schema{Columns: append(append([]catalog.Column(nil), ls.Columns...), rs.Columns...)}
	left, right := keyBatches(b, ls, n, mem), keyBatches(b, rs, n, mem)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := &discard{}
		j, err := exec.NewJoin(exec.JoinConfig{Type: planner.InnerJoin, Left: ls.Arrow(), Right: rs.Arrow(),
			Out: all.Arrow(), LeftKeys: []int{0}, RightKeys: []int{0}}, out, mem)
		if err != nil {
			b.Fatal(err)
		}
		for _, batch := range left {
			if err := j.Left().Push(batch); err != nil {
				b.Fatal(err)
			}
		}
		for _, batch := range right {
			if err := j.Right().Push(batch); err != nil {
				b.Fatal(err)
			}
		}
		if out.rows != n {
			b.Fatalf("joined %d rows, want %d", out.rows, n)
		}
	}
	b.ReportMetric(float64(2*n*b.N)/b.Elapsed().Seconds(), "rows/s")
}
