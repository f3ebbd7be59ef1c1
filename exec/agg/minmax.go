package agg

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// minMax is MIN or MAX under retraction over VARCHAR and INTERVAL
// (minMaxFixed and minMaxDecimal cover the rest): a multiset of the
// group's values (allocated at the group's first value) whose extreme is
// the result.
type minMax struct {
	codec codec
	max   bool
	sets  []*multiset
	vals  Values
	bytes int64
}

var _ Acc = (*minMax)(nil)

func (a *minMax) Grow(n int) { a.sets = grow(a.sets, n) }

func (a *minMax) Update(arg arrow.Array, gids []int32, signs []int8) {
	a.vals.Encode(arg, a.codec.width)
	for i, s := range signs {
		if s == 0 {
			continue
		}
		m := a.sets[gids[i]]
		if m == nil {
			if s < 0 {
				continue
			}
			m = newMultiset(a.max)
			a.sets[gids[i]] = m
		}
		if s > 0 {
			m.add(a.vals.Key(i))
		} else {
			m.remove(a.vals.Key(i))
		}
	}
}

func (a *minMax) Append(gs []int32, b array.Builder) {
	for _, g := range gs {
		m := a.sets[g]
		if m == nil {
			b.AppendNull()
			continue
		}
		k, ok := m.top()
		if !ok {
			b.AppendNull()
			continue
		}
		a.codec.add(unsafe.Slice(unsafe.StringData(k), len(k)), b) // read only
	}
}

func (a *minMax) Reset(g int32) { a.sets[g] = nil }

// Bytes walks every group's multiset: O(groups + values), meant for
// occasional progress reports.
func (a *minMax) Bytes() int64 {
	n := int64(cap(a.sets)) * 8
	for _, m := range a.sets {
		if m != nil {
			n += m.bytes()
		}
	}
	return n
}
