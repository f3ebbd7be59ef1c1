package exec_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
)

// countingWriter is a StateWriter that keeps nothing: it counts entries
// and bytes.
type countingWriter struct{ puts, dels, bytes int }

func (w *countingWriter) Put(k, v []byte) error { w.puts++; w.bytes += len(k) + len(v); return nil }
func (w *countingWriter) Delete(k []byte) error { w.dels++; w.bytes += len(k); return nil }

// BenchmarkHashAggSnapshot measures a Snapshot of COUNT(*), SUM(v),
// AVG(v), MIN(v) GROUP BY a BIGINT key over 1 M groups (under retraction,
// so MIN keeps a set per group) when 1% of the groups changed since the
// previous Snapshot and when all did; only the Snapshot is timed:
//
//	GOMAXPROCS=1 go test -tags=duckdb_arrow -run '^$' -bench HashAggSnapshot ./exec/
func BenchmarkHashAggSnapshot(b *testing.B) {
	const groups = 1_000_000
	schema, err := exectest.ParseSchema([]string{"k:bigint", "v:bigint"})
	if err != nil {
		b.Fatal(err)
	}
	mem := memory.NewGoAllocator()
	cfg, err := hashAggConfig(schema, []string{"k"}, []string{"count(*)", "sum(v)", "avg(v)", "min(v)"})
	if err != nil {
		b.Fatal(err)
	}
	// keys lo, lo+step, ... below groups, in batches of 4096 rows
	batches := func(lo, step int) []exec.Batch {
		var out []exec.Batch
		for k := lo; k < groups; {
			bld := array.NewRecordBuilder(mem, schema.Arrow())
			kb, vb := bld.Field(0).(*array.Int64Builder), bld.Field(1).(*array.Int64Builder)
			for n := 0; n < 4096 && k < groups; n, k = n+1, k+step {
				kb.Append(int64(k))
				vb.Append(int64(k % 1000))
			}
			out = append(out, exec.Batch{Rec: bld.NewRecordBatch(), Ops: nil})
			bld.Release()
		}
		return out
	}
	for _, pct := range []int{1, 100} {
		b.Run(fmt.Sprintf("groups=1M/changed=%d%%", pct), func(b *testing.B) {
			op, err := exec.NewHashAgg(cfg, &discard{}, mem)
			if err != nil {
				b.Fatal(err)
			}
			defer op.Close()
			all := batches(0, 1)
			push := func(bs []exec.Batch) {
				for _, bt := range bs {
					if err := op.Push(bt); err != nil {
						b.Fatal(err)
					}
				}
			}
			push(all)
			if err := op.Snapshot(&countingWriter{}); err != nil {
				b.Fatal(err)
			}
			var changes [][]exec.Batch
			for i := range 4 {
				changes = append(changes, batches(i, 100/pct))
			}
			w := &countingWriter{}
			var spent time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				push(changes[i%len(changes)])
				w.puts, w.bytes = 0, 0
				runtime.GC() // the pushes' garbage: keep its collection out of the timing
				b.StartTimer()
				t0 := time.Now()
				if err := op.Snapshot(w); err != nil {
					b.Fatal(err)
				}
				spent += time.Since(t0)
			}
			b.StopTimer()
			b.ReportMetric(float64(w.puts), "puts/op")
			b.ReportMetric(float64(spent.Nanoseconds())/float64(b.N), "snapshot-ns/op")
			b.ReportMetric(float64(w.bytes)/float64(max(w.puts, 1)), "B/entry")
			for _, bs := range append(changes, all) {
				for _, bt := range bs {
					bt.Release()
				}
			}
		})
	}
}
