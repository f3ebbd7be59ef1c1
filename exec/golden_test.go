package exec_test

import (
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
)

// builders are the operator directives of exec's goldens.
var builders = map[string]exectest.Builder{
	"filter":  buildFilter,
	"project": buildProject,
}

// buildFilter: filter where=(<sql condition>)
func buildFilter(h *exectest.Harness, d *datadriven.TestData, in catalog.Schema, out exec.Stream) (exec.Stream, error) {
	where, _ := exectest.Arg(d, "where")
	k, err := exectest.CompilePredicate(in, where, h.Now)
	if err != nil {
		return nil, err
	}
	return exec.NewFilter(k, out, h.Mem), nil
}

// buildProject: project exprs=(<sql select list>)
func buildProject(h *exectest.Harness, d *datadriven.TestData, in catalog.Schema, out exec.Stream) (exec.Stream, error) {
	list, _ := exectest.Arg(d, "exprs")
	schema, cols, err := exectest.CompileProjection(in, list, h.Now)
	if err != nil {
		return nil, err
	}
	return exec.NewProject(schema, cols, out, h.Mem)
}

func TestOperatorGoldens(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		exectest.RunFile(t, path, builders)
	})
}
