package datagen

import (
	"testing"

	"github.com/sqlstream/sqlstream/catalog"
)

// TestNativeChangelogRegistered: the planner learns that retail streams are
// changelogs only through this registration.
func TestNativeChangelogRegistered(t *testing.T) {
	opts := func(gen, kind string) catalog.Options {
		return catalog.Options{{Key: "generator", Value: gen}, {Key: "kind", Value: kind}}
	}
	for _, tc := range []struct {
		gen, kind string
		mode      catalog.ChangelogMode
		ok        bool
	}{
		{"retail", "customer", catalog.Retract, true},
		{"retail", "txn", catalog.Retract, true},
		{"retail", "branch", catalog.AppendOnly, true},
		{"nexmark", "bid", 0, false},
	} {
		mode, ok := catalog.NativeChangelogOf("DataGen", opts(tc.gen, tc.kind))
		if mode != tc.mode || ok != tc.ok {
			t.Errorf("%s/%s: got %v %v, want %v %v", tc.gen, tc.kind, mode, ok, tc.mode, tc.ok)
		}
	}
}
