package agg

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/sqlstream/sqlstream/catalog"
)

// distinct turns an accumulator over VARCHAR or INTERVAL into its DISTINCT
// variant (distinctFixed covers the rest): per group a map value → count,
// forwarding to the inner accumulator only a value's first arrival (+1)
// and its last departure (-1).
type distinct struct {
	inner Acc
	width int
	sets  []map[string]int64
	vals  Values
	fwd   []int8
}

var _ Acc = (*distinct)(nil)

func newDistinct(inner Acc, arg catalog.Type) *distinct {
	c, _ := codecFor(arg) // checked by New
	return &distinct{inner: inner, width: c.width}
}

func (d *distinct) Grow(n int) {
	d.sets = grow(d.sets, n)
	d.inner.Grow(n)
}

func (d *distinct) Update(arg arrow.Array, gids []int32, signs []int8) {
	d.vals.Encode(arg, d.width)
	d.fwd = grow(d.fwd[:0], len(signs))
	for i, s := range signs {
		if s != 0 {
			d.fwd[i] = d.step(gids[i], d.vals.Key(i), s)
		}
	}
	d.inner.Update(arg, gids, d.fwd)
}

// step counts key in group g by s and returns the weight to forward.
func (d *distinct) step(g int32, key []byte, s int8) int8 {
	m := d.sets[g]
	if m == nil {
		if s < 0 {
			return 0
		}
		m = map[string]int64{}
		d.sets[g] = m
	}
	c := m[string(key)]
	n := c + int64(s)
	switch {
	case c <= 0 && n > 0:
		m[strings.Clone(string(key))] = n
		return 1
	case c > 0 && n <= 0:
		delete(m, string(key))
		return -1
	case c > 0:
		m[string(key)] = n
	}
	return 0
}

func (d *distinct) Append(gs []int32, b array.Builder) { d.inner.Append(gs, b) }

func (d *distinct) Reset(g int32) {
	d.sets[g] = nil
	d.inner.Reset(g)
}

// Bytes walks every group's map: meant for occasional progress reports.
func (d *distinct) Bytes() int64 {
	n := int64(cap(d.sets))*8 + d.inner.Bytes()
	for _, m := range d.sets {
		for k := range m {
			n += int64(len(k)) + 48
		}
	}
	return n
}
