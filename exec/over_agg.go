package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/sqlstream/sqlstream/planner"
)

// overAggRound computes running aggregates for the emitted rows of a
// round with the partitions' accumulators (exec/agg, one group per
// partition). Rows are processed in layers: layer j holds the j-th peer
// group (RANGE frame) or the j-th row (ROWS frame) of every partition's
// emitted rows, so that one Update and one Append per layer advance every
// partition at once; rows of one peer group are updated together and all
// read the value that includes them.
type overAggRound struct {
	o *Over
	r *overRound
	// per frame kind (0 RANGE, 1 ROWS): emitted rows ordered by layer
	// (indices into r.f), layer boundaries, and each row's position in
	// that order (by index into r.f).
	order  [2][]int32
	bounds [2][]int
	posOf  [2][]int32
}

func newOverAggRound(o *Over, r *overRound) *overAggRound {
	return &overAggRound{o: o, r: r}
}

// layers orders the emitted rows by layer for a frame kind.
func (a *overAggRound) layers(rows bool) (order []int32, bounds []int, pos []int32) {
	kind := 0
	if rows {
		kind = 1
	}
	if a.order[kind] != nil {
		return a.order[kind], a.bounds[kind], a.posOf[kind]
	}
	r := a.r
	layer := make([]int32, len(r.e))
	nl := int32(0)
	for j, i := range r.e {
		switch {
		case r.k[i] == 0:
			layer[j] = 0
		case rows || r.f[i].time != r.f[i-1].time:
			layer[j] = layer[j-1] + 1
		default:
			layer[j] = layer[j-1]
		}
		nl = max(nl, layer[j]+1)
	}
	starts := make([]int, nl+1)
	for _, l := range layer {
		starts[l+1]++
	}
	for l := 1; l <= int(nl); l++ {
		starts[l] += starts[l-1]
	}
	bounds = append([]int(nil), starts...)
	order = make([]int32, len(r.e))
	pos = make([]int32, len(r.f))
	for j, i := range r.e {
		p := starts[layer[j]]
		starts[layer[j]]++
		order[p] = i
		pos[i] = int32(p)
	}
	a.order[kind], a.bounds[kind], a.posOf[kind] = order, bounds, pos
	return order, bounds, pos
}

// compute returns call ci's running values for the round's output rows.
func (a *overAggRound) compute(ci int, c planner.OverCall, dt arrow.DataType) (arrow.Array, error) {
	o, r := a.o, a.r
	order, bounds, pos := a.layers(c.Rows)
	n := len(order)
	gids := make([]int32, n)
	signs := make([]int8, n)
	var arg arrow.Array
	if c.Agg != planner.AggCountStar {
		slots := make([]int32, n)
		for p, i := range order {
			slots[p] = r.f[i].slot
		}
		arg = o.store.gather(c.Arg, slots, o.mem)
		defer arg.Release()
	}
	for p, i := range order {
		gids[p] = r.f[i].pid
		if arg == nil || arg.IsValid(p) {
			signs[p] = 1
		}
	}
	acc := o.accs[ci]
	b := array.NewBuilder(o.mem, dt)
	defer b.Release()
	for l := 0; l+1 < len(bounds); l++ {
		s, e := bounds[l], bounds[l+1]
		var part arrow.Array
		if arg != nil {
			part = array.NewSlice(arg, int64(s), int64(e))
		}
		acc.Update(part, gids[s:e], signs[s:e])
		if part != nil {
			part.Release()
		}
		acc.Append(gids[s:e], b)
	}
	vals := b.NewArray()
	defer vals.Release()
	idx := make([]int32, len(r.out))
	for j, i := range r.out {
		idx[j] = pos[i]
	}
	return TakeArray(vals, idx, o.mem)
}
