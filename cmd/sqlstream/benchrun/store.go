package benchrun

import (
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sinks/blackhole"
	"github.com/sqlstream/sqlstream/sinks/duckdb"
)

// discardStore is the DuckDB store with every materialized view's writer
// replaced by a blackhole: the plan, its operators and its checkpoints
// (operator state, positions, late_ and errors_ tables) run as in
// `sqlstream run`, but no view row is written.
//
// It keeps the plan unchanged where rewriting each view into a blackhole
// sink would not: a view read by other views (retail_dw's
// dws_branch_customers, process_metrics' step_transition) is computed
// once and shared through its changelog, whereas a plain view would be
// inlined, and computed again, in each reader.
//
// The embedded *duckdb.Store provides the rest of exec.Store and the
// checkpoint interfaces (exec.CheckpointStore, exec.CompletionStore).
type discardStore struct {
	*duckdb.Store
}

var _ exec.CompletionStore = discardStore{}

// ViewWriter returns a blackhole; no table is created.
func (discardStore) ViewWriter(*catalog.View) (exec.Stream, error) {
	return blackhole.New(), nil
}
