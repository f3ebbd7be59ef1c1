package agg

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner"
)

// minMaxFixed is MIN or MAX over a type of at most 8 bytes. Values map to
// uint64s whose order is the SQL order, complemented for MAX so that the
// extreme is always the least. Each group caches its extreme; under
// retraction a fixedSet per group backs it and is consulted only when the
// extreme itself leaves. Over an append-only input there is no set at all.
type minMaxFixed struct {
	t          catalog.TypeID
	max        bool
	appendOnly bool
	groups     []mmGroup // by group id: one cache line holds a group's state
	bits       []uint64  // per-batch scratch
}

// mmGroup is one group's state.
type mmGroup struct {
	ext uint64    // the extreme, when ok
	ok  bool      // ext is current (append-only: the group has a value)
	set *fixedSet // the values; nil over an append-only input
}

var _ Acc = (*minMaxFixed)(nil)

func newMinMaxFixed(s Spec) (*minMaxFixed, bool) {
	switch s.Arg.ID {
	case catalog.Boolean, catalog.Int, catalog.Date, catalog.BigInt, catalog.Timestamp, catalog.Double:
		return &minMaxFixed{t: s.Arg.ID, max: s.Func == planner.AggMax, appendOnly: s.AppendOnly}, true
	}
	return nil, false
}

func (a *minMaxFixed) Grow(n int) {
	a.groups = grow(a.groups, n)
}

func (a *minMaxFixed) Update(arg arrow.Array, gids []int32, signs []int8) {
	a.bits = grow(a.bits[:0], len(signs))
	orderedBits(arg, a.bits)
	if a.max {
		for i := range a.bits {
			a.bits[i] = ^a.bits[i]
		}
	}
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

// fold keeps the least value per group; negative weights are the caller's
// error (the input was declared append-only) and are skipped.
func (a *minMaxFixed) fold(gids []int32, signs []int8) {
	groups := a.groups
	for i, s := range signs {
		if s <= 0 {
			continue
		}
		p, v := &groups[gids[i]], a.bits[i]
		if !p.ok || v < p.ext {
			p.ext, p.ok = v, true
		}
	}
}

func (a *minMaxFixed) add(g int32, v uint64) {
	p := &a.groups[g]
	if p.set == nil {
		p.set = &fixedSet{}
	}
	p.set.add(v)
	if p.ok && v < p.ext {
		p.ext = v
	} else if !p.ok && p.set.size() == 1 {
		p.ext, p.ok = v, true // the only value
	}
}

func (a *minMaxFixed) remove(g int32, v uint64) {
	p := &a.groups[g]
	if p.set != nil && p.set.remove(v) && p.ok && v == p.ext {
		p.ok = false
	}
}

// extreme returns group g's result, false for NULL.
func (a *minMaxFixed) extreme(g int32) (uint64, bool) {
	p := &a.groups[g]
	if p.ok || p.set == nil {
		return p.ext, p.ok
	}
	p.ext, p.ok = p.set.top()
	return p.ext, p.ok
}

func (a *minMaxFixed) Append(gs []int32, b array.Builder) {
	switch b := b.(type) {
	case *array.Int64Builder:
		appendFixed(a, b, gs, func(u uint64) int64 { return int64(u ^ signBit) })
	case *array.TimestampBuilder:
		appendFixed(a, b, gs, func(u uint64) arrow.Timestamp { return arrow.Timestamp(u ^ signBit) })
	case *array.Int32Builder:
		appendFixed(a, b, gs, func(u uint64) int32 { return int32(u ^ signBit) })
	case *array.Date32Builder:
		appendFixed(a, b, gs, func(u uint64) arrow.Date32 { return arrow.Date32(u ^ signBit) })
	case *array.Float64Builder:
		appendFixed(a, b, gs, unorderedFloat)
	case *array.BooleanBuilder:
		appendFixed(a, b, gs, func(u uint64) bool { return u == 1 })
	default:
		for range gs {
			b.AppendNull() // unreachable: the builder has the argument's type
		}
	}
}

type unsafeBuilder[T any] interface {
	Reserve(int)
	UnsafeAppend(T)
	UnsafeAppendBoolToBitmap(bool)
}

func appendFixed[T any, B unsafeBuilder[T]](a *minMaxFixed, b B, gs []int32, conv func(uint64) T) {
	b.Reserve(len(gs))
	for _, g := range gs {
		v, ok := a.extreme(g)
		if !ok {
			b.UnsafeAppendBoolToBitmap(false)
			continue
		}
		if a.max {
			v = ^v
		}
		b.UnsafeAppend(conv(v))
	}
}

func (a *minMaxFixed) Reset(g int32) {
	a.groups[g] = mmGroup{}
}

// Bytes walks every group's set: meant for occasional progress reports.
func (a *minMaxFixed) Bytes() int64 {
	n := int64(cap(a.groups)) * 24
	for _, p := range a.groups {
		if p.set != nil {
			n += p.set.bytes()
		}
	}
	return n
}

// orderedBits writes the order-preserving uint64 of every row of a to dst
// (NULL rows: unspecified): integers with the sign bit flipped, DOUBLE as
// orderedFloat, BOOLEAN as 0/1.
func orderedBits(a arrow.Array, dst []uint64) {
	switch a := a.(type) {
	case *array.Int64:
		for i, v := range a.Int64Values() {
			dst[i] = uint64(v) ^ signBit
		}
	case *array.Timestamp:
		for i, v := range a.TimestampValues() {
			dst[i] = uint64(v) ^ signBit
		}
	case *array.Int32:
		for i, v := range a.Int32Values() {
			dst[i] = uint64(int64(v)) ^ signBit
		}
	case *array.Date32:
		for i, v := range a.Date32Values() {
			dst[i] = uint64(int64(v)) ^ signBit
		}
	case *array.Float64:
		for i, v := range a.Float64Values() {
			dst[i] = orderedFloat(v)
		}
	case *array.Boolean:
		for i := range dst {
			dst[i] = 0
			if a.Value(i) {
				dst[i] = 1
			}
		}
	}
}

// unorderedFloat inverts orderedFloat (-0 comes back as 0, NaN as NaN).
func unorderedFloat(u uint64) float64 {
	switch {
	case u == math.MaxUint64:
		return math.NaN()
	case u&signBit != 0:
		return math.Float64frombits(u &^ signBit)
	}
	return math.Float64frombits(^u)
}
