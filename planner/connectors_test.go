package planner

import "github.com/sqlstream/sqlstream/catalog"

// The planner's tests cannot import the connectors (they import exec, which
// imports the planner), so they register a stand-in for what the datagen
// connector declares in sources/datagen: its retail CDC streams are native
// retract changelogs. cmd/sqlstream's end-to-end tests run the real one.
func init() {
	catalog.RegisterNativeChangelog("datagen", func(opts catalog.Options) (catalog.ChangelogMode, bool) {
		if opts.String("generator", "") != "retail" {
			return 0, false
		}
		if opts.String("kind", "") == "branch" {
			return catalog.AppendOnly, true
		}
		return catalog.Retract, true
	})
}
