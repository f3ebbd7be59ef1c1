package exec_test

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
)

// discard is a Stream that drops everything (a blackhole sink).
type discard struct{ rows int }

func (d *discard) Push(b exec.Batch) error { d.rows += b.NumRows(); return nil }
func (d *discard) Watermark(int64) error   { return nil }
func (d *discard) Barrier(uint64) error    { return nil }
func (d *discard) Close() error            { return nil }

// bidBatch builds n Nexmark-like bids.
func bidBatch(s catalog.Schema, n int, mem memory.Allocator) exec.Batch {
	bld := array.NewRecordBuilder(mem, s.Arrow())
	defer bld.Release()
	channels := []string{"Google", "Facebook", "Baidu", "Apple"}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	for i := 0; i < n; i++ {
		bld.Field(0).(*array.Int64Builder).Append(int64(1000 + i*7%977))
		bld.Field(1).(*array.Int64Builder).Append(int64(2000 + i%311))
		bld.Field(2).(*array.Int64Builder).Append(int64(100 + i*13%100000))
		bld.Field(3).(*array.StringBuilder).Append(channels[i%len(channels)])
		bld.Field(4).(*array.TimestampBuilder).Append(arrow.Timestamp(base + int64(i)))
	}
	return exec.Batch{Rec: bld.NewRecordBatch()}
}

// BenchmarkFilterProject measures Nexmark q1 (price * 0.908 as DECIMAL) and
// q2 (MOD(auction, 123) = 0) over 4096-row batches:
//
//	GOMAXPROCS=1 go test -tags=duckdb_arrow -run - -bench FilterProject ./exec/
func BenchmarkFilterProject(b *testing.B) {
	schema, err := exectest.ParseSchema([]string{"auction:bigint", "bidder:bigint", "price:bigint", "channel:varchar", "date_time:timestamp"})
	if err != nil {
		b.Fatal(err)
	}
	const rows = 4096
	mem := memory.NewGoAllocator()
	now := time.Now()
	build := map[string]func(out exec.Stream) (exec.Stream, error){
		"q1": func(out exec.Stream) (exec.Stream, error) {
			s, cols, err := exectest.CompileProjection(schema, "auction, bidder, price * 0.908 AS price, date_time", now)
			if err != nil {
				return nil, err
			}
			return exec.NewProject(s, cols, out, mem)
		},
		"q2": func(out exec.Stream) (exec.Stream, error) {
			s, cols, err := exectest.CompileProjection(schema, "auction, price", now)
			if err != nil {
				return nil, err
			}
			p, err := exec.NewProject(s, cols, out, mem)
			if err != nil {
				return nil, err
			}
			k, err := exectest.CompilePredicate(schema, "MOD(auction, 123) = 0", now)
			if err != nil {
				return nil, err
			}
			return exec.NewFilter(k, p, mem), nil
		},
	}
	for _, q := range []string{"q1", "q2"} {
		b.Run(q, func(b *testing.B) {
			batch := bidBatch(schema, rows, mem)
			defer batch.Release()
			op, err := build[q](&discard{})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := op.Push(batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)*rows/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
