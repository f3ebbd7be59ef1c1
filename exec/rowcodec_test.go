package exec_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/exec"
)

// rowCodecTypes are every column type the engine uses.
var rowCodecTypes = []arrow.DataType{
	arrow.FixedWidthTypes.Boolean,
	arrow.PrimitiveTypes.Int32,
	arrow.PrimitiveTypes.Int64,
	arrow.PrimitiveTypes.Float64,
	&arrow.Decimal128Type{Precision: 38, Scale: 4},
	arrow.BinaryTypes.String,
	arrow.FixedWidthTypes.Date32,
	&arrow.TimestampType{Unit: arrow.Millisecond},
	arrow.FixedWidthTypes.MonthDayNanoInterval,
	arrow.Null,
}

// randomColumns builds n rows of every type, about a fifth NULL, with
// edge values (extremes, -0, NaN, empty and multi-byte strings).
func randomColumns(t *testing.T, n int, seed uint64, mem memory.Allocator) []arrow.Array {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 3))
	cols := make([]arrow.Array, len(rowCodecTypes))
	for c, dt := range rowCodecTypes {
		b := array.NewBuilder(mem, dt)
		for i := 0; i < n; i++ {
			if r.IntN(5) == 0 {
				b.AppendNull()
				continue
			}
			pick := r.IntN(4)
			switch b := b.(type) {
			case *array.BooleanBuilder:
				b.Append(pick%2 == 0)
			case *array.Int32Builder:
				b.Append([]int32{0, math.MinInt32, math.MaxInt32, r.Int32()}[pick])
			case *array.Int64Builder:
				b.Append([]int64{-1, math.MinInt64, math.MaxInt64, r.Int64()}[pick])
			case *array.Float64Builder:
				b.Append([]float64{math.Copysign(0, -1), math.NaN(), math.Inf(-1), r.NormFloat64()}[pick])
			case *array.Decimal128Builder:
				b.Append([]decimal128.Num{decimal128.New(-1, math.MaxUint64), decimal128.New(math.MaxInt64, 7),
					decimal128.FromI64(-12345), decimal128.New(r.Int64(), r.Uint64())}[pick])
			case *array.StringBuilder:
				b.Append([]string{"", "héllo, wörld ✓", string(make([]byte, 300)), "x"}[pick])
			case *array.Date32Builder:
				b.Append(arrow.Date32(r.Int32N(100000) - 50000))
			case *array.TimestampBuilder:
				b.Append(arrow.Timestamp(1_700_000_000_000 + r.Int64N(1e9) - 5e8))
			case *array.MonthDayNanoIntervalBuilder:
				b.Append(arrow.MonthDayNanoInterval{Months: r.Int32N(100) - 50, Days: -3, Nanoseconds: r.Int64()})
			case *array.NullBuilder:
				b.AppendNull()
			default:
				t.Fatalf("no generator for %T", b)
			}
		}
		cols[c] = b.NewArray()
		b.Release()
	}
	return cols
}

// TestRowCodecRoundTrip encodes selected rows of every type (NULLs
// included), column by column, then decodes each row into builders: the
// arrays must be equal to the selected input rows, bit for bit.
func TestRowCodecRoundTrip(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	codec, err := exec.NewRowCodec(rowCodecTypes)
	if err != nil {
		t.Fatal(err)
	}
	const n = 500
	cols := randomColumns(t, n, 1, mem)
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	// A slice with an offset, and a selection with repeats.
	sliced := make([]arrow.Array, len(cols))
	for i, c := range cols {
		sliced[i] = array.NewSlice(c, 7, n)
		defer sliced[i].Release()
	}
	rows := []int32{0, 5, 5, 492, 17, 3, 100, 250, 491}
	for i := int32(0); i < 300; i += 3 {
		rows = append(rows, i)
	}
	// A prefix in each value must survive: AppendRows appends.
	dst := make([][]byte, len(rows))
	for i := range dst {
		dst[i] = []byte{0xAB}
	}
	enc := codec.AppendRows(dst, sliced, rows)
	bs := codec.Builders(mem)
	for i, e := range enc {
		if e[0] != 0xAB {
			t.Fatalf("row %d: prefix overwritten", i)
		}
		rest, err := codec.DecodeRow(e[1:], bs)
		if err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		if len(rest) != 0 {
			t.Fatalf("row %d: %d bytes left over", i, len(rest))
		}
	}
	for c, b := range bs {
		got := b.NewArray()
		b.Release()
		want, err := exec.TakeArray(sliced[c], rows, mem)
		if err != nil {
			t.Fatal(err)
		}
		if !array.ApproxEqual(got, want, array.WithNaNsEqual(true)) {
			t.Errorf("column %d (%s): decoded\n%v\nwant\n%v", c, rowCodecTypes[c], got, want)
		}
		// NaN != NaN for array.Equal's values; compare NULLs and bits too.
		if got.NullN() != want.NullN() {
			t.Errorf("column %d: %d NULLs, want %d", c, got.NullN(), want.NullN())
		}
		if f, ok := got.(*array.Float64); ok {
			w := want.(*array.Float64)
			for i := 0; i < f.Len(); i++ {
				if f.IsValid(i) && math.Float64bits(f.Value(i)) != math.Float64bits(w.Value(i)) {
					t.Errorf("row %d: double %v, want %v bit for bit", i, f.Value(i), w.Value(i))
				}
			}
		}
		got.Release()
		want.Release()
	}
	// Every row of the unsliced columns, through DecodeAll.
	all := codec.AppendRows(nil, cols, nil)
	if len(all) != n {
		t.Fatalf("%d encoded rows, want %d", len(all), n)
	}
	dec, err := codec.DecodeAll(all, mem)
	if err != nil {
		t.Fatal(err)
	}
	for c := range dec {
		if !array.ApproxEqual(dec[c], cols[c], array.WithNaNsEqual(true)) {
			t.Errorf("DecodeAll column %d differs", c)
		}
		dec[c].Release()
	}
}

// TestRowCodecErrors: unsupported types are refused, truncated rows are
// errors, not panics.
func TestRowCodecErrors(t *testing.T) {
	if _, err := exec.NewRowCodec([]arrow.DataType{arrow.PrimitiveTypes.Int8}); err == nil {
		t.Error("int8 accepted")
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	codec, err := exec.NewRowCodec(rowCodecTypes)
	if err != nil {
		t.Fatal(err)
	}
	cols := randomColumns(t, 50, 2, mem)
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	enc := codec.AppendRows(nil, cols, nil)
	bs := codec.Builders(mem)
	defer func() {
		for _, b := range bs {
			b.Release()
		}
	}()
	for i, e := range enc {
		// Every byte belongs to the bitmap or a value: any cut is an error.
		for cut := 0; cut < len(e); cut++ {
			if _, err := codec.DecodeRow(e[:cut], bs); err == nil {
				t.Fatalf("row %d cut at %d of %d bytes: no error", i, cut, len(e))
			}
		}
	}
}
