package duckdb

import (
	"database/sql/driver"
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	duckdrv "github.com/duckdb/duckdb-go/v2"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// Reproduce: GOFLAGS=-tags=duckdb_arrow go test ./sinks/duckdb -run '^$' -bench Commit -benchtime 20x
// Both benchmarks commit the same 100k rows (bigint, varchar,
// decimal(10,2), timestamp) per iteration; compare their rows/s.

var benchSchema = catalog.Schema{Columns: []catalog.Column{
	{Name: "auction", Type: catalog.BigIntType},
	{Name: "channel", Type: catalog.VarcharType},
	{Name: "price", Type: catalog.DecimalType(10, 2)},
	{Name: "date_time", Type: catalog.TimestampType},
}}

const benchBatches, benchBatchRows = 25, 4096

func benchBatchesOf(b *testing.B) []exec.Batch {
	rb := array.NewRecordBuilder(memory.DefaultAllocator, benchSchema.Arrow())
	defer rb.Release()
	var out []exec.Batch
	for k := range benchBatches {
		for i := range benchBatchRows {
			n := int64(k*benchBatchRows + i)
			rb.Field(0).(*array.Int64Builder).Append(n)
			rb.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("channel-%d", n%7))
			rb.Field(2).(*array.Decimal128Builder).Append(decimal128.FromI64(n % 100000))
			rb.Field(3).(*array.TimestampBuilder).Append(arrow.Timestamp(1704164645120 + n))
		}
		out = append(out, exec.Batch{Rec: rb.NewRecordBatch()})
	}
	return out
}

func BenchmarkCommitArrow(b *testing.B) {
	s, err := Open("", Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	w, err := s.ViewWriter(&catalog.View{Name: "bids", Schema: benchSchema})
	if err != nil {
		b.Fatal(err)
	}
	batches := benchBatchesOf(b)
	b.ResetTimer()
	for it := range b.N {
		for _, bt := range batches {
			if err := w.Push(bt); err != nil {
				b.Fatal(err)
			}
		}
		if err := s.Commit(uint64(it)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*benchBatches*benchBatchRows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkCommitAppender is the baseline: the same rows through DuckDB's
// row Appender, converting each value to its Go driver value.
func BenchmarkCommitAppender(b *testing.B) {
	s, err := Open("", Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.ViewWriter(&catalog.View{Name: "bids", Schema: benchSchema}); err != nil {
		b.Fatal(err)
	}
	batches := benchBatchesOf(b)
	b.ResetTimer()
	for range b.N {
		err := s.conn.Raw(func(dc any) error {
			app, err := duckdrv.NewAppenderFromConn(dc.(driver.Conn), "", "bids")
			if err != nil {
				return err
			}
			for _, bt := range batches {
				if err := appendRows(app, bt.Rec); err != nil {
					return err
				}
			}
			return app.Close()
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*benchBatches*benchBatchRows)/b.Elapsed().Seconds(), "rows/s")
}

func appendRows(app *duckdrv.Appender, rec arrow.RecordBatch) error {
	auction := rec.Column(0).(*array.Int64)
	channel := rec.Column(1).(*array.String)
	price := rec.Column(2).(*array.Decimal128)
	ts := rec.Column(3).(*array.Timestamp)
	for i := range int(rec.NumRows()) {
		dec := duckdrv.Decimal{Width: 10, Scale: 2, Value: price.Value(i).BigInt()}
		if err := app.AppendRow(auction.Value(i), channel.Value(i), dec, ts.Value(i).ToTime(arrow.Millisecond)); err != nil {
			return err
		}
	}
	return nil
}
