package agg

import (
	"math"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// sumInt is SUM over INT or BIGINT, exact in 128 bits; the result is a
// DECIMAL(38,0). nn counts the non-NULL rows: the sum of none is NULL.
type sumInt struct {
	lo []uint64
	hi []int64
	nn []int64
}

var _ Acc = (*sumInt)(nil)

func (a *sumInt) Grow(n int) {
	a.lo, a.hi, a.nn = grow(a.lo, n), grow(a.hi, n), grow(a.nn, n)
}

func (a *sumInt) Update(arg arrow.Array, gids []int32, signs []int8) {
	switch arg := arg.(type) {
	case *array.Int64:
		addInts(a, arg.Int64Values(), gids, signs)
	case *array.Int32:
		addInts(a, arg.Int32Values(), gids, signs)
	}
}

// addInts adds sign*v[i] to the 128-bit sum of group gids[i].
func addInts[T int32 | int64](a *sumInt, v []T, gids []int32, signs []int8) {
	lo, hi, nn := a.lo, a.hi, a.nn
	for i, s := range signs {
		if s == 0 {
			continue
		}
		g := gids[i]
		x := int64(v[i])
		if s < 0 {
			x = -x // -MinInt64 wraps; fixed up below
		}
		var carry uint64
		lo[g], carry = bits.Add64(lo[g], uint64(x), 0)
		hi[g] += (x >> 63) + int64(carry)
		if s < 0 && int64(v[i]) == math.MinInt64 {
			hi[g]++ // -MinInt64 is +2^63: one more than the wrapped value's high word
		}
		nn[g] += int64(s)
	}
}

func (a *sumInt) Append(gs []int32, b array.Builder) {
	db := b.(*array.Decimal128Builder)
	db.Reserve(len(gs))
	for _, g := range gs {
		if a.nn[g] == 0 {
			db.UnsafeAppendBoolToBitmap(false)
			continue
		}
		db.UnsafeAppend(decimal128.New(a.hi[g], a.lo[g]))
	}
}

func (a *sumInt) Reset(g int32) { a.lo[g], a.hi[g], a.nn[g] = 0, 0, 0 }

func (a *sumInt) Bytes() int64 { return int64(cap(a.lo)) * 24 }

// sumDecimal is SUM over DECIMAL(p,s), exact; the result is DECIMAL(38,s).
type sumDecimal struct {
	sum []decimal128.Num
	nn  []int64
}

var _ Acc = (*sumDecimal)(nil)

func (a *sumDecimal) Grow(n int) { a.sum, a.nn = grow(a.sum, n), grow(a.nn, n) }

func (a *sumDecimal) Update(arg arrow.Array, gids []int32, signs []int8) {
	v := arg.(*array.Decimal128).Values()
	sum, nn := a.sum, a.nn
	for i, s := range signs {
		switch s {
		case 0:
			continue
		case 1:
			sum[gids[i]] = sum[gids[i]].Add(v[i])
		default:
			sum[gids[i]] = sum[gids[i]].Sub(v[i])
		}
		nn[gids[i]] += int64(s)
	}
}

func (a *sumDecimal) Append(gs []int32, b array.Builder) {
	db := b.(*array.Decimal128Builder)
	for _, g := range gs {
		if a.nn[g] == 0 {
			db.AppendNull()
			continue
		}
		db.Append(a.sum[g])
	}
}

func (a *sumDecimal) Reset(g int32) { a.sum[g], a.nn[g] = decimal128.Num{}, 0 }

func (a *sumDecimal) Bytes() int64 { return int64(cap(a.sum)) * 24 }

// sumDouble is SUM over DOUBLE with Neumaier's compensation, which keeps
// retraction from leaving rounding residue in most cases; it is not exact.
type sumDouble struct {
	sum, comp []float64
	nn        []int64
}

var _ Acc = (*sumDouble)(nil)

func (a *sumDouble) Grow(n int) {
	a.sum, a.comp, a.nn = grow(a.sum, n), grow(a.comp, n), grow(a.nn, n)
}

func (a *sumDouble) Update(arg arrow.Array, gids []int32, signs []int8) {
	v := arg.(*array.Float64).Float64Values()
	sum, comp, nn := a.sum, a.comp, a.nn
	for i, s := range signs {
		if s == 0 {
			continue
		}
		g := gids[i]
		x := v[i] * float64(s)
		t := sum[g] + x
		if math.Abs(sum[g]) >= math.Abs(x) {
			comp[g] += (sum[g] - t) + x
		} else {
			comp[g] += (x - t) + sum[g]
		}
		sum[g] = t
		nn[g] += int64(s)
	}
}

func (a *sumDouble) value(g int32) float64 { return a.sum[g] + a.comp[g] }

func (a *sumDouble) Append(gs []int32, b array.Builder) {
	fb := b.(*array.Float64Builder)
	for _, g := range gs {
		if a.nn[g] == 0 {
			fb.AppendNull()
			continue
		}
		fb.Append(a.value(g))
	}
}

func (a *sumDouble) Reset(g int32) { a.sum[g], a.comp[g], a.nn[g] = 0, 0, 0 }

func (a *sumDouble) Bytes() int64 { return int64(cap(a.sum)) * 24 }
