package exec

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestIVHeap checks the expiry heap: pops come out in time order, and
// drain removes exactly the expired timers and leaves a valid heap.
func TestIVHeap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 50; round++ {
		var h ivHeap
		var all []int64
		n := r.IntN(500)
		for i := 0; i < n; i++ {
			x := int64(r.IntN(200))
			h.push(ivTimer{t: x, slot: int32(i)})
			all = append(all, x)
		}
		thr := int64(r.IntN(220))
		drained := h.drain(nil, func(t int64) bool { return t < thr })
		var wantDrained, wantKept []int64
		for _, x := range all {
			if x < thr {
				wantDrained = append(wantDrained, x)
			} else {
				wantKept = append(wantKept, x)
			}
		}
		if len(drained) != len(wantDrained) {
			t.Fatalf("drained %d timers, want %d", len(drained), len(wantDrained))
		}
		for _, s := range drained {
			if all[s] >= thr {
				t.Fatalf("drained slot %d at %d, threshold %d", s, all[s], thr)
			}
		}
		slices.Sort(wantKept)
		var got []int64
		for len(h) > 0 {
			got = append(got, h.pop().t)
		}
		if !slices.Equal(got, wantKept) {
			t.Fatalf("pops %v, want %v", got, wantKept)
		}
	}
}
