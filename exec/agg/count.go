package agg

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// count is COUNT(*) and COUNT(x): the sum of the weights of the rows that
// count (the caller masks NULL arguments). Its result is a BIGINT, never
// NULL.
type count struct{ n []int64 }

var _ Acc = (*count)(nil)

func (c *count) Grow(n int) { c.n = grow(c.n, n) }

func (c *count) Update(_ arrow.Array, gids []int32, signs []int8) {
	n := c.n
	for i, s := range signs {
		n[gids[i]] += int64(s)
	}
}

func (c *count) Append(gs []int32, b array.Builder) {
	ib := b.(*array.Int64Builder)
	ib.Reserve(len(gs))
	for _, g := range gs {
		ib.UnsafeAppend(c.n[g])
	}
}

func (c *count) Reset(g int32) { c.n[g] = 0 }

func (c *count) Bytes() int64 { return int64(cap(c.n)) * 8 }
