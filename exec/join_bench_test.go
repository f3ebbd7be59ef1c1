package exec_test

import (
	"fmt"
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

// strKeyBatches builds n rows over keys keys (k%mod, "customer-k",
// "name of customer k")
// in a shuffled order, in 4096-row batches; with ops, rows cycle through
// ops, each cycle with the same k.
func strKeyBatches(s catalog.Schema, n, keys int, mod int64, mem memory.Allocator, ops []exec.Op) []exec.Batch {
	const size = 4096
	var out []exec.Batch
	for start := 0; start < n; start += size {
		bld := array.NewRecordBuilder(mem, s.Arrow())
		end := min(start+size, n)
		for i := start; i < end; i++ {
			k := int64(i*7919) % int64(keys)
			if ops != nil {
				k = int64((i/len(ops))*7919) % int64(keys)
			}
			bld.Field(0).(*array.Int64Builder).Append(k % mod)
			bld.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("customer-%09d", k))
			bld.Field(2).(*array.StringBuilder).Append(fmt.Sprintf("name of customer %d", k))
		}
		b := exec.Batch{Rec: bld.NewRecordBatch()}
		if ops != nil {
			for i := start; i < end; i++ {
				b.Ops = append(b.Ops, ops[i%len(ops)])
			}
		}
		out = append(out, b)
		bld.Release()
	}
	return out
}

// BenchmarkJoinStrKey is BenchmarkJoin with a two-column (bigint,
// varchar) key and a varchar payload, 512K keys.
func BenchmarkJoinStrKey(b *testing.B) {
	const n = 1 << 19
	mem := memory.NewGoAllocator()
	ls, _ := exectest.ParseSchema([]string{"lr:bigint", "lk:varchar", "lv:varchar"})
	rs, _ := exectest.ParseSchema([]string{"rr:bigint", "rk:varchar", "rv:varchar"})
	left, right := strKeyBatches(ls, n, n, 97, mem, nil), strKeyBatches(rs, n, n, 97, mem, nil)
	runJoinBench(b, ls, rs, []int{0, 1}, [][]exec.Batch{left, right}, n, 2*n)
}

// BenchmarkJoinUpsert is upsert churn on the right side of a join on a
// bigint key: 256K right rows are inserted, then each is updated twice
// by -U/+U of the same row, with 256K left partners (one per key).
func BenchmarkJoinUpsert(b *testing.B) {
	const n = 1 << 18
	mem := memory.NewGoAllocator()
	ls, _ := exectest.ParseSchema([]string{"lk:bigint", "lv:bigint"})
	rs, _ := exectest.ParseSchema([]string{"rk:bigint", "rn:varchar", "rv:varchar"})
	left := keyBatches(b, ls, n, mem)
	right := strKeyBatches(rs, n, n, 1<<62, mem, nil)
	churn := strKeyBatches(rs, 4*n, n, 1<<62, mem, []exec.Op{exec.UpdateBefore, exec.UpdateAfter})
	runJoinBench(b, ls, rs, []int{0}, [][]exec.Batch{left, right, churn}, n+2*n+2*n, 2*n+4*n)
}

func runJoinBench(b *testing.B, ls, rs catalog.Schema, keys []int, phases [][]exec.Batch, wantOut, inRows int) {
	mem := memory.NewGoAllocator()
	all := catalog.Schema{Columns: append(append([]catalog.Column(nil), ls.Columns...), rs.Columns...)}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := &discard{}
		j, err := exec.NewJoin(exec.JoinConfig{Type: planner.InnerJoin, Left: ls.Arrow(), Right: rs.Arrow(),
			Out: all.Arrow(), LeftKeys: keys, RightKeys: keys}, out, mem)
		if err != nil {
			b.Fatal(err)
		}
		for p, batches := range phases {
			port := j.Right() // phases 1 and 2
			if p%3 == 0 {
				port = j.Left() // phases 0 and 3
			}
			for _, batch := range batches {
				if err := port.Push(batch); err != nil {
					b.Fatal(err)
				}
			}
		}
		if out.rows != wantOut {
			b.Fatalf("joined %d rows, want %d", out.rows, wantOut)
		}
	}
	b.ReportMetric(float64(inRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkJoinFanout is a fact side with many rows per key, as
// transactions per customer: 1M distinct left rows over 128K keys (8 per
// key) are inserted, then 128K right rows (one per key) match 8 each,
// then a quarter of the left rows are deleted. rows/s counts input rows.
func BenchmarkJoinFanout(b *testing.B) {
	const n, keys = 1 << 20, 1 << 17
	mem := memory.NewGoAllocator()
	ls, _ := exectest.ParseSchema([]string{"lk:bigint", "lv:bigint"})
	rs, _ := exectest.ParseSchema([]string{"rk:bigint", "rv:bigint"})
	facts := func(n, keys int, op exec.Op) []exec.Batch {
		var out []exec.Batch
		for start := 0; start < n; start += 4096 {
			bld := array.NewRecordBuilder(mem, ls.Arrow())
			end := min(start+4096, n)
			for i := start; i < end; i++ {
				bld.Field(0).(*array.Int64Builder).Append(int64(i*7919) % int64(keys))
				bld.Field(1).(*array.Int64Builder).Append(int64(i))
			}
			batch := exec.Batch{Rec: bld.NewRecordBatch()}
			if op != exec.Insert {
				batch.Ops = make([]exec.Op, end-start)
				for i := range batch.Ops {
					batch.Ops[i] = op
				}
			}
			out = append(out, batch)
			bld.Release()
		}
		return out
	}
	left := facts(n, keys, exec.Insert)
	right := keyBatches(b, rs, keys, mem)
	deletes := facts(n/4, keys, exec.Delete)
	// The deletes are pushed on the left port again: a fourth phase.
	runJoinBench(b, ls, rs, []int{0}, [][]exec.Batch{left, right, nil, deletes}, n+n/4, n+keys+n/4)
}
