package agg

import (
	"math/rand/v2"
	"testing"
)

// TestFixedSet checks the set against a map of counts under random adds
// and removes, across the switch from the sorted slice to the heap and
// back to a few values.
func TestFixedSet(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, domain := range []int{4, 12, 40, 500} {
		m := &fixedSet{}
		want := map[uint64]int64{}
		for step := 0; step < 20_000; step++ {
			v := uint64(r.IntN(domain))
			if r.IntN(5) < 2 {
				gone := m.remove(v)
				wantGone := want[v] == 1
				if want[v] > 0 {
					want[v]--
				}
				if want[v] == 0 {
					delete(want, v)
				}
				if gone != wantGone {
					t.Fatalf("domain %d step %d: remove(%d) = %v, want %v", domain, step, v, gone, wantGone)
				}
			} else {
				m.add(v)
				want[v]++
			}
			got, ok := m.top()
			wantTop, wantOK := uint64(0), false
			for k := range want {
				if !wantOK || k < wantTop {
					wantTop, wantOK = k, true
				}
			}
			if got != wantTop || ok != wantOK || m.size() != len(want) {
				t.Fatalf("domain %d step %d: top = %d, %v size %d; want %d, %v size %d",
					domain, step, got, ok, m.size(), wantTop, wantOK, len(want))
			}
		}
	}
}
