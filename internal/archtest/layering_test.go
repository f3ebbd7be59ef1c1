package archtest

import (
	"bufio"
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/sqlstream/sqlstream"

// forbidden lists, per package tree, the trees it must never reach, even
// transitively (DESIGN.md section 4: the planner never imports exec; exec
// never imports a connector; lower layers never import higher ones).
var forbidden = map[string][]string{
	"catalog": {"parser", "planner", "exec", "sources", "sinks", "cmd"},
	"parser":  {"catalog", "planner", "exec", "sources", "sinks", "cmd"},
	"planner": {"exec", "sources", "sinks", "cmd"},
	"exec":    {"sources", "sinks", "cmd"},
	"sources": {"sinks", "cmd"},
	"sinks":   {"sources", "cmd"},
	// The PostgreSQL wire endpoint serves a Backend interface; the CLI
	// adapts the store to it.
	"pgwire": {"parser", "catalog", "planner", "exec", "sources", "sinks", "cmd"},
}

// duckdbAllowed are the only package trees that may link DuckDB (each test
// binary that does costs seconds and ~70 MB); internal/difftest is the
// test-only harness that checks operators against DuckDB.
var duckdbAllowed = []string{"sinks/duckdb", "cmd/sqlstream", "internal/difftest"}

func TestLayering(t *testing.T) {
	deps := listDeps(t)
	if len(deps) == 0 {
		t.Fatal("go list returned no packages")
	}
	for pkg, ds := range deps {
		rel := strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
		for from, bans := range forbidden {
			if !under(rel, from) {
				continue
			}
			for _, d := range ds {
				drel, ok := strings.CutPrefix(d, module+"/")
				if !ok {
					continue
				}
				for _, ban := range bans {
					if under(drel, ban) {
						t.Errorf("%s imports %s (directly or transitively): %s must not depend on %s/", rel, drel, from, ban)
					}
				}
			}
		}
		for _, d := range ds {
			if strings.HasPrefix(d, "github.com/duckdb/duckdb-go") && !allowedDuckDB(rel) {
				t.Errorf("%s links DuckDB (%s); only %v may", rel, d, duckdbAllowed)
			}
		}
	}
}

func under(rel, tree string) bool { return rel == tree || strings.HasPrefix(rel, tree+"/") }

func allowedDuckDB(rel string) bool {
	for _, a := range duckdbAllowed {
		if under(rel, a) {
			return true
		}
	}
	return false
}

// listDeps returns every non-test package of the module with its transitive
// dependencies.
func listDeps(t *testing.T) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Deps " "}}`, module+"/...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("go list: %v\n%s", err, stderr)
	}
	deps := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 0 {
			deps[f[0]] = f[1:]
		}
	}
	return deps
}
