package agg

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner"
)

// minMaxDecimal is MIN or MAX over a DECIMAL: minMaxFixed with u128
// encodings (complemented for MAX, so that the extreme is the least). Each
// group caches its extreme; under retraction a set128 per group backs it
// and is consulted only when the extreme itself leaves.
type minMaxDecimal struct {
	max        bool
	appendOnly bool
	groups     []mmGroup128
	bits       []u128 // per-batch scratch
}

// mmGroup128 is one group's state.
type mmGroup128 struct {
	ext u128    // the extreme, when ok
	ok  bool    // ext is current (append-only: the group has a value)
	set *set128 // the values; nil over an append-only input
}

var _ Acc = (*minMaxDecimal)(nil)

func newMinMaxDecimal(s Spec) (*minMaxDecimal, bool) {
	if s.Arg.ID != catalog.Decimal {
		return nil, false
	}
	return &minMaxDecimal{max: s.Func == planner.AggMax, appendOnly: s.AppendOnly}, true
}

func (a *minMaxDecimal) Grow(n int) { a.groups = grow(a.groups, n) }

func (a *minMaxDecimal) Update(arg arrow.Array, gids []int32, signs []int8) {
	a.bits = grow(a.bits[:0], len(signs))
	orderedDecimals(arg.(*array.Decimal128).Values(), a.bits, a.max)
	if a.appendOnly {
		a.fold(gids, signs)
		return
	}
	for i, s := range signs {
		switch {
		case s > 0:
			a.add(gids[i], a.bits[i])
		case s < 0:
			a.remove(gids[i], a.bits[i])
		}
	}
}

// orderedDecimals writes the u128 of every value to dst, complemented when
// not is set.
func orderedDecimals(vs []decimal128.Num, dst []u128, not bool) {
	mask := uint64(0)
	if not {
		mask = ^mask
	}
	for i, v := range vs {
		dst[i] = u128{(uint64(v.HighBits()) ^ signBit) ^ mask, v.LowBits() ^ mask}
	}
}

// fold keeps the least value per group; negative weights are skipped (the
// input was declared append-only).
func (a *minMaxDecimal) fold(gids []int32, signs []int8) {
	groups := a.groups
	for i, s := range signs {
		if s <= 0 {
			continue
		}
		p, v := &groups[gids[i]], a.bits[i]
		if !p.ok || v.less(p.ext) {
			p.ext, p.ok = v, true
		}
	}
}

func (a *minMaxDecimal) add(g int32, v u128) {
	p := &a.groups[g]
	if p.set == nil {
		p.set = &set128{}
	}
	p.set.add(v)
	if p.ok && v.less(p.ext) {
		p.ext = v
	} else if !p.ok && p.set.size() == 1 {
		p.ext, p.ok = v, true // the only value
	}
}

func (a *minMaxDecimal) remove(g int32, v u128) {
	p := &a.groups[g]
	if p.set != nil && p.set.remove(v) && p.ok && v == p.ext {
		p.ok = false
	}
}

// extreme returns group g's result, false for NULL.
func (a *minMaxDecimal) extreme(g int32) (u128, bool) {
	p := &a.groups[g]
	if p.ok || p.set == nil {
		return p.ext, p.ok
	}
	p.ext, p.ok = p.set.top()
	return p.ext, p.ok
}

func (a *minMaxDecimal) Append(gs []int32, b array.Builder) {
	db := b.(*array.Decimal128Builder)
	db.Reserve(len(gs))
	for _, g := range gs {
		v, ok := a.extreme(g)
		if !ok {
			db.UnsafeAppendBoolToBitmap(false)
			continue
		}
		if a.max {
			v = v.not()
		}
		db.UnsafeAppend(decimal128.New(int64(v.hi^signBit), v.lo))
	}
}

func (a *minMaxDecimal) Reset(g int32) { a.groups[g] = mmGroup128{} }

// Bytes walks every group's set: meant for occasional progress reports.
func (a *minMaxDecimal) Bytes() int64 {
	n := int64(cap(a.groups)) * 32
	for _, p := range a.groups {
		if p.set != nil {
			n += p.set.bytes()
		}
	}
	return n
}
