package agg

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/sqlstream/sqlstream/catalog"
)

// distinctKey is a (group id, value) pair: the group id in word 0, then
// the value's fixed-width encoding (one word for types of at most 8 bytes,
// two for DECIMAL). Equal SQL values have equal encodings (DOUBLE -0 and
// 0, and every NaN, encode alike).
type distinctKey interface{ [2]uint64 | [3]uint64 }

// distinctFixed is the DISTINCT variant of an accumulator over a
// fixed-width argument: one pairTable (group id, value) → count shared by
// all groups, forwarding to the inner accumulator only a value's first
// arrival (+1) and its last departure (-1). live counts each group's
// distinct values, so that Reset of a group that still holds values (an
// inconsistent changelog: its rows were retracted but not its values) can
// purge them, by a rebuild of the whole table.
type distinctFixed[K distinctKey] struct {
	inner  Acc
	encode func(arg arrow.Array, gids []int32, dst []K)
	counts pairTable[K]
	live   []int32
	keys   []K
	fwd    []int8
	// byGroup lists each group's values once checkpointing began (see
	// distinct_fixed_state.go); nil before.
	byGroup [][]K
}

var (
	_ Acc = (*distinctFixed[[2]uint64])(nil)
	_ Acc = (*distinctFixed[[3]uint64])(nil)
)

// newDistinctFixed returns the DISTINCT variant of inner when arg is
// fixed-width, false otherwise.
func newDistinctFixed(inner Acc, arg catalog.Type) (Acc, bool) {
	switch arg.ID {
	case catalog.Boolean, catalog.Int, catalog.Date, catalog.BigInt, catalog.Timestamp, catalog.Double:
		var bits []uint64
		enc := func(arg arrow.Array, gids []int32, dst [][2]uint64) {
			bits = grow(bits[:0], len(dst))
			orderedBits(arg, bits)
			for i, v := range bits {
				dst[i] = [2]uint64{uint64(uint32(gids[i])), v}
			}
		}
		return &distinctFixed[[2]uint64]{inner: inner, encode: enc}, true
	case catalog.Decimal:
		enc := func(arg arrow.Array, gids []int32, dst [][3]uint64) {
			for i, v := range arg.(*array.Decimal128).Values() {
				dst[i] = [3]uint64{uint64(uint32(gids[i])), uint64(v.HighBits()), v.LowBits()}
			}
		}
		return &distinctFixed[[3]uint64]{inner: inner, encode: enc}, true
	}
	return nil, false
}

func (d *distinctFixed[K]) Grow(n int) {
	d.live = grow(d.live, n)
	d.inner.Grow(n)
}

func (d *distinctFixed[K]) Update(arg arrow.Array, gids []int32, signs []int8) {
	d.keys = grow(d.keys[:0], len(signs))
	d.encode(arg, gids, d.keys)
	d.fwd = grow(d.fwd[:0], len(signs))
	for i, s := range signs {
		if s != 0 {
			d.fwd[i] = d.step(d.keys[i], s)
		}
	}
	d.inner.Update(arg, gids, d.fwd)
}

// step counts key by s and returns the weight to forward.
func (d *distinctFixed[K]) step(key K, s int8) int8 {
	c, n := d.counts.add(key, int64(s))
	switch {
	case c <= 0 && n > 0:
		d.live[key[0]]++
		if d.byGroup != nil {
			d.note(key)
		}
		return 1
	case c > 0 && n <= 0:
		d.live[key[0]]--
		return -1
	}
	return 0
}

func (d *distinctFixed[K]) Append(gs []int32, b array.Builder) { d.inner.Append(gs, b) }

func (d *distinctFixed[K]) Reset(g int32) {
	if d.live[g] > 0 {
		d.counts.purge(uint64(uint32(g)))
		d.live[g] = 0
	}
	d.forgetGroup(g)
	d.inner.Reset(g)
}

func (d *distinctFixed[K]) Bytes() int64 {
	return int64(cap(d.live))*4 + d.counts.bytes() + d.inner.Bytes()
}
