package agg

import (
	"math/rand/v2"
	"testing"
)

// TestPairTable checks the table against a map under random adds,
// retractions (some of absent keys), growth, backward-shift deletions and
// purges, then looks every key up.
func TestPairTable(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	var tb pairTable[[2]uint64]
	want := map[[2]uint64]int64{}
	for step := 0; step < 200_000; step++ {
		k := [2]uint64{uint64(r.IntN(8)), uint64(r.IntN(300))}
		s := int64(1)
		if r.IntN(2) == 0 {
			s = -1
		}
		if step%20_000 == 19_999 {
			tb.purge(k[0])
			for wk := range want {
				if wk[0] == k[0] {
					delete(want, wk)
				}
			}
			continue
		}
		before, after := tb.add(k, s)
		if before != want[k] || after != want[k]+s {
			t.Fatalf("step %d: add(%v, %d) = %d, %d; want %d, %d", step, k, s, before, after, want[k], want[k]+s)
		}
		if after > 0 {
			want[k] = after
		} else {
			delete(want, k)
		}
		if tb.n != len(want) {
			t.Fatalf("step %d: %d entries, want %d", step, tb.n, len(want))
		}
	}
	for k, n := range want {
		if before, _ := tb.add(k, 0); before != n {
			t.Fatalf("%v: count %d, want %d", k, before, n)
		}
	}
}
