package agg

import (
	"math/big"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// avgInt is AVG over INT or BIGINT: an exact 128-bit sum and a count,
// divided in DOUBLE (as DuckDB does).
type avgInt struct{ sumInt }

var _ Acc = (*avgInt)(nil)

func (a *avgInt) Append(gs []int32, b array.Builder) {
	fb := b.(*array.Float64Builder)
	fb.Reserve(len(gs))
	for _, g := range gs {
		if a.nn[g] == 0 {
			fb.UnsafeAppendBoolToBitmap(false)
			continue
		}
		fb.UnsafeAppend(int128ToFloat(a.hi[g], a.lo[g]) / float64(a.nn[g]))
	}
}

// avgDouble is AVG over DOUBLE.
type avgDouble struct{ sumDouble }

var _ Acc = (*avgDouble)(nil)

func (a *avgDouble) Append(gs []int32, b array.Builder) {
	fb := b.(*array.Float64Builder)
	for _, g := range gs {
		if a.nn[g] == 0 {
			fb.AppendNull()
			continue
		}
		fb.Append(a.value(g) / float64(a.nn[g]))
	}
}

// avgDecimal is AVG over DECIMAL(p,s): the exact sum scaled up by up
// digits (the result is DECIMAL(38, s+up)) divided by the count, rounded
// half away from zero.
type avgDecimal struct {
	sumDecimal
	up int32
}

var _ Acc = (*avgDecimal)(nil)

func (a *avgDecimal) Append(gs []int32, b array.Builder) {
	db := b.(*array.Decimal128Builder)
	var q, r, n, scale big.Int
	scale.Exp(big.NewInt(10), big.NewInt(int64(a.up)), nil)
	for _, g := range gs {
		if a.nn[g] == 0 {
			db.AppendNull()
			continue
		}
		q.Mul(a.sum[g].BigInt(), &scale)
		n.SetInt64(a.nn[g])
		db.Append(decimal128.FromBigInt(divRoundHalfAway(&q, &n, &r)))
	}
}

// divRoundHalfAway sets q to q/n rounded half away from zero (n > 0),
// using r as scratch, and returns q.
func divRoundHalfAway(q, n, r *big.Int) *big.Int {
	neg := q.Sign() < 0
	q.Abs(q)
	q.QuoRem(q, n, r)
	r.Lsh(r, 1)
	if r.Cmp(n) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return q
}

// int128ToFloat converts a 128-bit integer to the nearest-ish float64
// (exact when it fits in 64 bits).
func int128ToFloat(hi int64, lo uint64) float64 {
	if (hi == 0 && lo>>63 == 0) || (hi == -1 && lo>>63 == 1) {
		return float64(int64(lo))
	}
	return decimal128.New(hi, lo).ToFloat64(0)
}
