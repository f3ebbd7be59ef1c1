package exec

import (
	"math/rand/v2"
	"testing"
)

// TestAggKeyTable checks the open-addressing table against a Go map under
// random inserts and removes, with keys that collide in the low bits.
func TestAggKeyTable(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	tab := newAggKeyTable()
	want := map[uint64]int32{}
	for step := 0; step < 200_000; step++ {
		k := uint64(r.IntN(5000)) << 40
		if r.IntN(3) == 0 {
			k = uint64(r.IntN(5000))
		}
		g, ok := tab.lookup(k)
		wg, wok := want[k]
		if ok != wok || (ok && g != wg) {
			t.Fatalf("step %d: lookup(%#x) = %d, %v; want %d, %v", step, k, g, ok, wg, wok)
		}
		switch {
		case !ok:
			tab.insert(k, int32(step))
			want[k] = int32(step)
		case r.IntN(2) == 0:
			tab.remove(k)
			delete(want, k)
		}
		if tab.n != len(want) {
			t.Fatalf("step %d: %d keys, want %d", step, tab.n, len(want))
		}
	}
	for k, g := range want {
		if got, ok := tab.lookup(k); !ok || got != g {
			t.Fatalf("lookup(%#x) = %d, %v; want %d", k, got, ok, g)
		}
	}
}
