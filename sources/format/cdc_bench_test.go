package format

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/sources/internal/srctest"
)

// BenchmarkDebezium decodes debezium-json updates (two rows per record).
//
//	GOMAXPROCS=1 go test -run '^$' -bench Debezium ./sources/format
func BenchmarkDebezium(b *testing.B) {
	schema, err := srctest.ParseSchema("id bigint not null, name varchar, balance decimal(18,2), ts timestamp")
	if err != nil {
		b.Fatal(err)
	}
	recs := make([][]byte, 1024)
	for i := range recs {
		recs[i] = fmt.Appendf(nil, `{"before": {"id": %d, "name": "customer %d", "balance": "%d.50", "ts": 1735689600000}, "after": {"id": %d, "name": "customer %d", "balance": "%d.75", "ts": 1735689601000}, "source": {"db": "bank", "table": "account", "lsn": %d}, "op": "u", "ts_ms": 1735689601000}`, i, i, i, i, i, i, i)
	}
	opts := DefaultOptions()
	dec, err := New(DebeziumJSON, schema, opts, memory.DefaultAllocator)
	if err != nil {
		b.Fatal(err)
	}
	defer dec.Release()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		if err := dec.Decode(recs[n%len(recs)]); err != nil {
			b.Fatal(err)
		}
		if dec.Full() {
			FlushBatch(dec).Release()
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
