package format

import (
	"strconv"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/sources/internal/srctest"
)

// BenchmarkJSONDecode decodes 1 M bid-like JSON records of about 100 bytes
// (the Kafka benchmark's shape plus a TIMESTAMP string) into Arrow batches
// per iteration and reports records/s.
//
//	GOFLAGS=-tags=duckdb_arrow GOMAXPROCS=1 go test -run '^$' -bench JSONDecode ./sources/format
func BenchmarkJSONDecode(b *testing.B) {
	const n = 1_000_000
	schema, err := srctest.ParseSchema("id bigint, account varchar, amount bigint, currency varchar, channel varchar, price double, ts timestamp")
	if err != nil {
		b.Fatal(err)
	}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	recs := make([][]byte, 4096)
	for i := range recs {
		buf := append([]byte(nil), `{"id":`...)
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, `,"account":"ACC-`...)
		buf = strconv.AppendInt(buf, int64(1_000_000+i%50_000), 10)
		buf = append(buf, `","amount":`...)
		buf = strconv.AppendInt(buf, int64(i*7919%100_000), 10)
		buf = append(buf, `,"currency":"EUR","channel":"web","price":`...)
		buf = strconv.AppendFloat(buf, float64(i%1000)/8, 'f', -1, 64)
		buf = append(buf, `,"ts":"`...)
		buf = base.Add(time.Duration(i)*time.Millisecond).AppendFormat(buf, "2006-01-02 15:04:05.000")
		buf = append(buf, `","extra":{"src":"kafka"}}`...)
		recs[i] = buf
	}
	dec, err := New(JSON, schema, DefaultOptions(), memory.DefaultAllocator)
	if err != nil {
		b.Fatal(err)
	}
	defer dec.Release()
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		for k := 0; k < n; k++ {
			if err := dec.Decode(recs[k%len(recs)]); err != nil {
				b.Fatal(err)
			}
			if dec.Full() {
				dec.Flush().Release()
			}
		}
		if r := dec.Flush(); r != nil {
			r.Release()
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
}
