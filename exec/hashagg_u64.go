package exec

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/sqlstream/sqlstream/catalog"
)

// u64Index is the groupIndex of one fixed-width key column of at most 8
// bytes: the value's bits (DOUBLE: -0 as 0, one NaN) in a aggKeyTable, the
// values kept by group id to build output rows without decoding, and the
// NULL group apart.
type u64Index struct {
	t     catalog.TypeID
	tab   aggKeyTable
	vals  []uint64 // by id
	nullG int32    // the NULL group, -1 when none
	bits  []uint64 // per-batch scratch
}

var _ groupIndex = (*u64Index)(nil)

func newU64Index(t catalog.Type) (*u64Index, bool) {
	switch t.ID {
	case catalog.Boolean, catalog.Int, catalog.Date, catalog.BigInt, catalog.Timestamp, catalog.Double:
		return &u64Index{t: t.ID, tab: newAggKeyTable(), nullG: -1}, true
	}
	return nil, false
}

func (x *u64Index) assign(cols []arrow.Array, gids []int32, t *aggGroups) {
	col := cols[0]
	x.bits = growSlice(x.bits, len(gids))
	keyBits(col, x.bits)
	nulls := col.NullN() > 0
	for i, k := range x.bits {
		if nulls && col.IsNull(i) {
			if x.nullG < 0 {
				x.nullG = x.newGroup(0, t)
			}
			gids[i] = x.nullG
			continue
		}
		g, ok := x.tab.lookup(k)
		if !ok {
			g = x.newGroup(k, t)
			x.tab.insert(k, g)
		}
		gids[i] = g
	}
}

func (x *u64Index) newGroup(k uint64, t *aggGroups) int32 {
	g := t.newID()
	for int(g) >= len(x.vals) {
		x.vals = append(x.vals, 0)
	}
	x.vals[g] = k
	return g
}

// keyBits writes the key bits of every row of col to dst (NULL rows:
// unspecified).
func keyBits(col arrow.Array, dst []uint64) {
	switch a := col.(type) {
	case *array.Int64:
		for i, v := range a.Int64Values() {
			dst[i] = uint64(v)
		}
	case *array.Timestamp:
		for i, v := range a.TimestampValues() {
			dst[i] = uint64(v)
		}
	case *array.Int32:
		for i, v := range a.Int32Values() {
			dst[i] = uint64(v)
		}
	case *array.Date32:
		for i, v := range a.Date32Values() {
			dst[i] = uint64(v)
		}
	case *array.Float64:
		for i, v := range a.Float64Values() {
			dst[i] = floatKey(v)
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

// floatKey is the group key of a DOUBLE: -0 groups with 0, NaNs together.
func floatKey(f float64) uint64 {
	switch {
	case f == 0:
		return 0
	case f != f:
		return math.Float64bits(math.NaN())
	}
	return math.Float64bits(f)
}

func (x *u64Index) appendKeys(gs []int32, bs []array.Builder) error {
	switch b := bs[0].(type) {
	case *array.Int64Builder:
		appendU64(b, gs, x, func(v uint64) int64 { return int64(v) })
	case *array.TimestampBuilder:
		appendU64(b, gs, x, func(v uint64) arrow.Timestamp { return arrow.Timestamp(v) })
	case *array.Int32Builder:
		appendU64(b, gs, x, func(v uint64) int32 { return int32(v) })
	case *array.Date32Builder:
		appendU64(b, gs, x, func(v uint64) arrow.Date32 { return arrow.Date32(v) })
	case *array.Float64Builder:
		appendU64(b, gs, x, math.Float64frombits)
	case *array.BooleanBuilder:
		appendU64(b, gs, x, func(v uint64) bool { return v == 1 })
	default:
		return fmt.Errorf("hash-agg: group key builder %T for a %s key", bs[0], x.t)
	}
	return nil
}

type unsafeBuilder[T any] interface {
	Reserve(int)
	UnsafeAppend(T)
	UnsafeAppendBoolToBitmap(bool)
}

func appendU64[T any, B unsafeBuilder[T]](b B, gs []int32, x *u64Index, conv func(uint64) T) {
	b.Reserve(len(gs))
	for _, g := range gs {
		if g == x.nullG {
			b.UnsafeAppendBoolToBitmap(false)
			continue
		}
		b.UnsafeAppend(conv(x.vals[g]))
	}
}

func (x *u64Index) forget(g int32) {
	if g == x.nullG {
		x.nullG = -1
		return
	}
	x.tab.remove(x.vals[g])
}

func (x *u64Index) bytes() int64 { return x.tab.bytes() + int64(cap(x.vals))*8 }
