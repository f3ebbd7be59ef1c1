package exec_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
)

// BenchmarkNormalize upserts 4096-row batches over 100 000 keys.
//
//	GOMAXPROCS=1 go test -run '^$' -bench Normalize ./exec
func BenchmarkNormalize(b *testing.B) {
	schema, err := exectest.ParseSchema([]string{"id:bigint", "name:varchar", "amount:decimal(18,2)"})
	if err != nil {
		b.Fatal(err)
	}
	var batches []exec.Batch
	for k := 0; k < 50; k++ {
		var sb strings.Builder
		for r := 0; r < 4096; r++ {
			id := (k*4096 + r) * 7919 % 100000
			fmt.Fprintf(&sb, "+U %d name%d %d.00\n", id, id%100, (k+r)%1000)
		}
		batch, err := exectest.ParseBatch(schema, sb.String(), memory.DefaultAllocator)
		if err != nil {
			b.Fatal(err)
		}
		batches = append(batches, batch)
	}
	op, err := exec.NewNormalize(schema.Arrow(), []int{0}, &discard{}, memory.DefaultAllocator)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		if err := op.Push(batches[n%len(batches)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*4096/b.Elapsed().Seconds(), "rows/s")
}
