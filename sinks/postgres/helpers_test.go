package postgres

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

func sinkEnv(s catalog.Schema, key []int) exec.SinkEnv {
	return exec.SinkEnv{Alloc: memory.DefaultAllocator, Schema: s.Arrow(), Key: key, Changelog: catalog.Retract}
}

func batches(b ...exec.Batch) []exec.Batch { return b }

// genBatch is n upserts (id, name, amount) of generation gen: id i has
// name n<gen>_<i%100000> and amount i*gen cents.
func genBatch(t testing.TB, s catalog.Schema, n int, gen int64) exec.Batch {
	return genRange(t, s, 0, n, gen)
}

func genRange(t testing.TB, s catalog.Schema, lo, n int, gen int64) exec.Batch {
	bld := array.NewRecordBuilder(memory.DefaultAllocator, s.Arrow())
	defer bld.Release()
	ids := bld.Field(0).(*array.Int64Builder)
	names := bld.Field(1).(*array.StringBuilder)
	amounts := bld.Field(2).(*array.Decimal128Builder)
	for i := lo; i < lo+n; i++ {
		ids.Append(int64(i))
		names.Append(fmt.Sprintf("n%d_%d", gen, i%100000))
		amounts.Append(decimal128.FromI64(int64(i) * gen))
	}
	ops := make([]exec.Op, n)
	for i := range ops {
		ops[i] = exec.UpdateAfter
	}
	return exec.Batch{Rec: bld.NewRecordBatch(), Ops: ops}
}

// sumAmount is the sum in cents of genBatch(n, gen)'s amounts.
func sumAmount(n int, gen int64) int64 { return int64(n) * int64(n-1) / 2 * gen }

var _ = arrow.Null
