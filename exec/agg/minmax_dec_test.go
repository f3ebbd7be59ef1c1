package agg

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner"
)

// TestMinMaxDecimal checks MIN and MAX over DECIMAL(38,0) values that span
// both 64-bit words and both signs against a brute-force multiset, under
// random adds and removes in batches, across the switch from the sorted
// slice to the heap.
func TestMinMaxDecimal(t *testing.T) {
	mem := memory.NewGoAllocator()
	typ := catalog.Type{ID: catalog.Decimal, Precision: 38}
	dt := &arrow.Decimal128Type{Precision: 38}
	r := rand.New(rand.NewPCG(7, 8))
	big30 := new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil)
	var domain []decimal128.Num
	for k := int64(-20); k < 20; k++ {
		x := new(big.Int).Mul(big30, big.NewInt(k%5))
		domain = append(domain, decimal128.FromBigInt(x.Add(x, big.NewInt(k*k*k))))
	}
	for _, fn := range []planner.AggFunc{planner.AggMin, planner.AggMax} {
		acc, err := New(Spec{Func: fn, Arg: typ, Result: typ})
		if err != nil {
			t.Fatal(err)
		}
		const groups = 3
		acc.Grow(groups)
		want := make([]map[decimal128.Num]int, groups)
		for g := range want {
			want[g] = map[decimal128.Num]int{}
		}
		for batch := 0; batch < 200; batch++ {
			b := array.NewDecimal128Builder(mem, dt)
			var gids []int32
			var signs []int8
			for i := 0; i < 50; i++ {
				g, v := int32(r.IntN(groups)), domain[r.IntN(len(domain))]
				s := int8(1)
				if r.IntN(5) < 2 && want[g][v] > 0 {
					s = -1
				}
				want[g][v] += int(s)
				if want[g][v] == 0 {
					delete(want[g], v)
				}
				b.Append(v)
				gids, signs = append(gids, g), append(signs, s)
			}
			arr := b.NewArray()
			acc.Update(arr, gids, signs)
			arr.Release()
			b.Release()
			checkDecimalExtremes(t, acc, want, fn == planner.AggMax, dt, mem)
		}
	}
}

func checkDecimalExtremes(t *testing.T, acc Acc, want []map[decimal128.Num]int, max bool, dt *arrow.Decimal128Type, mem memory.Allocator) {
	t.Helper()
	b := array.NewDecimal128Builder(mem, dt)
	defer b.Release()
	gs := []int32{0, 1, 2}
	acc.Append(gs, b)
	got := b.NewDecimal128Array()
	defer got.Release()
	for _, g := range gs {
		var ext decimal128.Num
		ok := false
		for v := range want[g] {
			if !ok || (max && v.Greater(ext)) || (!max && v.Less(ext)) {
				ext, ok = v, true
			}
		}
		if got.IsValid(int(g)) != ok || (ok && got.Value(int(g)) != ext) {
			t.Fatalf("max=%v group %d: got %v (valid %v), want %v (valid %v)",
				max, g, got.Value(int(g)).BigInt(), got.IsValid(int(g)), ext.BigInt(), ok)
		}
	}
}
