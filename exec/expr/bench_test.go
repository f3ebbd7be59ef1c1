package expr

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

const benchRows = 4096

// benchBatch has a BIGINT column (Nexmark auction/price-like values) and a
// VARCHAR column.
func benchBatch() arrow.RecordBatch {
	mem := memory.DefaultAllocator
	ib := array.NewInt64Builder(mem)
	sb := array.NewStringBuilder(mem)
	for i := 0; i < benchRows; i++ {
		ib.Append(int64(1000 + i*7919%100000))
		sb.Append(fmt.Sprintf("channel-%d/path/%d", i%7, i))
	}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "price", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "url", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	return array.NewRecordBatch(schema, []arrow.Array{ib.NewArray(), sb.NewArray()}, benchRows)
}

var (
	bPrice = &scalar.ColRef{Index: 0, Name: "price", T: catalog.BigIntType}
	bURL   = &scalar.ColRef{Index: 1, Name: "url", T: catalog.VarcharType}
)

func benchKernel(b *testing.B, e scalar.Expr) {
	rec := benchBatch()
	defer rec.Release()
	k, err := Compile(e, Options{})
	if err != nil {
		b.Fatal(err)
	}
	mem := memory.DefaultAllocator
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a, err := k.Eval(rec, mem)
		if err != nil {
			b.Fatal(err)
		}
		a.Release()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
}

// BenchmarkMulDecimalLiteral is Nexmark q1: price * 0.908 as DECIMAL.
func BenchmarkMulDecimalLiteral(b *testing.B) {
	benchKernel(b, call(scalar.FuncMul, catalog.DecimalType(23, 3),
		cast(bPrice, catalog.DecimalType(19, 0)), decLit("0.908", 3, 3)))
}

// BenchmarkModEqZero is Nexmark q2's filter MOD(auction, 123) = 0, through
// the Predicate path the Filter operator uses.
func BenchmarkModEqZero(b *testing.B) {
	e := call(scalar.FuncEq, boolT, call(scalar.FuncMod, catalog.BigIntType, bPrice, i64(123)), i64(0))
	rec := benchBatch()
	defer rec.Release()
	p, err := CompilePredicate(e, Options{})
	if err != nil {
		b.Fatal(err)
	}
	var sel []int32
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if sel, err = p.Select(rec, memory.DefaultAllocator, sel); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
}

func BenchmarkLikePrefix(b *testing.B) {
	benchKernel(b, call(scalar.FuncLike, boolT, bURL, str("channel-3%")))
}

func BenchmarkMask(b *testing.B) {
	benchKernel(b, call(scalar.FuncMask, catalog.VarcharType, bURL, i64(3), i64(4)))
}
