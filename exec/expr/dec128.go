package expr

import (
	"math/big"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// Exact 128-bit decimal helpers. Values are unscaled integers; the fast
// paths stay in 64/128-bit integer arithmetic and fall back to math/big
// only for operands wider than 64 bits.

var pow10i64 = [19]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// pow10Num returns 10^k as a decimal128.Num (0 <= k <= 38).
func pow10Num(k int32) decimal128.Num { return decimal128.GetScaleMultiplier(int(k)) }

// fitsI64 reports whether n is representable as an int64.
func fitsI64(n decimal128.Num) bool { return n.HighBits() == int64(n.LowBits())>>63 }

// mul64 returns the exact 128-bit product of two int64s.
func mul64(a, b int64) decimal128.Num {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	hi -= uint64(a>>63)&uint64(b) + uint64(b>>63)&uint64(a)
	return decimal128.New(int64(hi), lo)
}

// fitsPrec reports |n| < 10^p.
func fitsPrec(n decimal128.Num, p int32) bool {
	if p >= 38 {
		p = 38
	}
	if fitsI64(n) && p <= 18 {
		v := int64(n.LowBits())
		return v < pow10i64[p] && v > -pow10i64[p]
	}
	return n.Abs().Less(pow10Num(p))
}

func toBig(n decimal128.Num) *big.Int { return n.BigInt() }

// fromBig converts back, reporting false when v does not fit 127 bits.
func fromBig(v *big.Int) (decimal128.Num, bool) {
	if v.BitLen() > 126 {
		return decimal128.Num{}, false
	}
	return decimal128.FromBigInt(v), true
}

// add128 adds with overflow detection.
func add128(a, b decimal128.Num) (decimal128.Num, bool) {
	s := a.Add(b)
	ok := !((a.HighBits() >= 0) == (b.HighBits() >= 0) && (s.HighBits() >= 0) != (a.HighBits() >= 0))
	return s, ok
}

// mul128 multiplies exactly, reporting false on overflow.
func mul128(a, b decimal128.Num) (decimal128.Num, bool) {
	if fitsI64(a) && fitsI64(b) {
		return mul64(int64(a.LowBits()), int64(b.LowBits())), true
	}
	return fromBig(new(big.Int).Mul(toBig(a), toBig(b)))
}

// scaleUp multiplies n by 10^k (k >= 0), reporting false on overflow.
func scaleUp(n decimal128.Num, k int32) (decimal128.Num, bool) {
	if k == 0 {
		return n, true
	}
	if k > 38 {
		return n, n.Sign() == 0
	}
	if k <= 18 && fitsI64(n) {
		return mul64(int64(n.LowBits()), pow10i64[k]), true
	}
	return mul128(n, pow10Num(k))
}

// divRound divides n by d rounding half away from zero (d != 0).
func divRound(n, d decimal128.Num) decimal128.Num {
	if fitsI64(n) && fitsI64(d) {
		a, b := int64(n.LowBits()), int64(d.LowBits())
		if !(a == -1<<63 && b == -1) {
			q, r := a/b, a%b
			if r != 0 && absU(r) >= absU(b)-absU(r) {
				if (a < 0) != (b < 0) {
					q--
				} else {
					q++
				}
			}
			return decimal128.FromI64(q)
		}
	}
	bn, bd := toBig(n), toBig(d)
	q, r := new(big.Int).QuoRem(bn, bd, new(big.Int))
	r.Abs(r).Lsh(r, 1)
	if r.Cmp(new(big.Int).Abs(bd)) >= 0 {
		if bn.Sign()*bd.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	out, _ := fromBig(q)
	return out
}

func absU(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

// rescale converts n from scale `from` to scale `to`, rounding half away
// from zero when digits are dropped; false on overflow.
func rescale(n decimal128.Num, from, to int32) (decimal128.Num, bool) {
	switch {
	case to == from:
		return n, true
	case to > from:
		return scaleUp(n, to-from)
	}
	k := from - to
	if k > 38 {
		return decimal128.Num{}, true
	}
	return divRound(n, pow10Num(k)), true
}

// divDec computes a/b (a at scale sa, b at sb) at scale s, rounding half
// away from zero; b must not be zero.
func divDec(a, b decimal128.Num, sa, sb, s int32) (decimal128.Num, bool) {
	e := s - sa + sb
	if e >= 0 {
		num, ok := scaleUp(a, e)
		if !ok {
			bn := new(big.Int).Mul(toBig(a), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(e)), nil))
			q := new(big.Rat).SetFrac(bn, toBig(b))
			return ratRound(q)
		}
		return divRound(num, b), true
	}
	den, ok := scaleUp(b, -e)
	if !ok {
		return decimal128.Num{}, true // |b| huge: quotient rounds to 0
	}
	return divRound(a, den), true
}

func ratRound(q *big.Rat) (decimal128.Num, bool) {
	n, d := q.Num(), q.Denom()
	quo, rem := new(big.Int).QuoRem(n, d, new(big.Int))
	rem.Abs(rem).Lsh(rem, 1)
	if rem.Cmp(d) >= 0 {
		if n.Sign() < 0 {
			quo.Sub(quo, big.NewInt(1))
		} else {
			quo.Add(quo, big.NewInt(1))
		}
	}
	return fromBig(quo)
}

// remDec returns a mod b with the sign of a (b != 0), both at one scale.
func remDec(a, b decimal128.Num) decimal128.Num {
	if fitsI64(a) && fitsI64(b) {
		x, y := int64(a.LowBits()), int64(b.LowBits())
		if y == -1 {
			return decimal128.Num{}
		}
		return decimal128.FromI64(x % y)
	}
	r := new(big.Int).Rem(toBig(a), toBig(b))
	out, _ := fromBig(r)
	return out
}
