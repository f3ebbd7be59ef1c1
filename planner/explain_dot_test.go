package planner

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sqlstream/sqlstream/parser"
)

// The goldens of ExplainDot are testdata/explain_dot (TestPlanner). These
// tests check the graphs of every pipeline under queries/: well formed,
// one double-bordered node per root, a DAG whose every node is connected,
// and, when Graphviz is installed, accepted by `dot -Tsvg`.

var (
	dotNodeRe = regexp.MustCompile(`^  (n\d+) \[label=`)
	dotEdgeRe = regexp.MustCompile(`^  (n\d+) -> (n\d+)[ ;]`)
)

func queryPlans(t *testing.T) map[string]*Plan {
	t.Helper()
	files, _ := filepath.Glob("../queries/*/*.sql")
	plans := map[string]*Plan{}
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.Parse(path, string(b))
		if err != nil {
			continue // TestQueriesPlanValid reports it
		}
		if p, err := PlanFile(f); err == nil {
			plans[path] = p
		}
	}
	if len(plans) == 0 {
		t.Fatal("no pipeline under ../queries planned")
	}
	return plans
}

func TestExplainDotWellFormed(t *testing.T) {
	for path, p := range queryPlans(t) {
		if err := checkDot(ExplainDot(p), len(p.Roots)); err != "" {
			t.Errorf("%s: %s", path, err)
		}
	}
}

// checkDot checks the shape ExplainDot promises; it returns a problem or "".
func checkDot(dot string, roots int) string {
	lines := strings.Split(strings.TrimSuffix(dot, "\n"), "\n")
	if !strings.HasPrefix(lines[0], "digraph ") || lines[len(lines)-1] != "}" {
		return "not a digraph"
	}
	nodes, edges := map[string]bool{}, map[string][]string{}
	touched, doubled := map[string]bool{}, 0
	for _, l := range lines[1 : len(lines)-1] {
		if n := strings.Count(l, `"`) - strings.Count(l, `\"`); n%2 != 0 {
			return "unbalanced quotes: " + l
		}
		if m := dotEdgeRe.FindStringSubmatch(l); m != nil {
			if !nodes[m[1]] || !nodes[m[2]] {
				return "edge before its nodes: " + l
			}
			edges[m[1]] = append(edges[m[1]], m[2])
			touched[m[1]], touched[m[2]] = true, true
		} else if m := dotNodeRe.FindStringSubmatch(l); m != nil {
			nodes[m[1]] = true
			if strings.Contains(l, "peripheries=2") {
				doubled++
			}
		}
	}
	if doubled != roots {
		return fmt.Sprintf("%d roots drawn, want %d", doubled, roots)
	}
	for n := range nodes {
		if !touched[n] {
			return "node " + n + " has no edge"
		}
	}
	if hasCycle(edges) {
		return "the graph has a cycle"
	}
	return ""
}

func hasCycle(edges map[string][]string) bool {
	state := map[string]int{} // 1 on the stack, 2 done
	var visit func(n string) bool
	visit = func(n string) bool {
		state[n] = 1
		for _, m := range edges[n] {
			if state[m] == 1 || (state[m] == 0 && visit(m)) {
				return true
			}
		}
		state[n] = 2
		return false
	}
	for n := range edges {
		if state[n] == 0 && visit(n) {
			return true
		}
	}
	return false
}

// TestExplainDotGraphviz renders every pipeline's graph with Graphviz.
// It skips when `dot` is not installed (Graphviz is not required).
func TestExplainDotGraphviz(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("graphviz (dot) is not installed")
	}
	for path, p := range queryPlans(t) {
		cmd := exec.Command(dot, "-Tsvg")
		cmd.Stdin = strings.NewReader(ExplainDot(p))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || stderr.Len() > 0 || !bytes.Contains(out, []byte("<svg")) {
			t.Errorf("%s: dot -Tsvg: %v\n%s", path, err, stderr.String())
		}
	}
}

func TestWrapField(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"short", []string{"short"}},
		{strings.Repeat("a", dotWidth), []string{strings.Repeat("a", dotWidth)}},
		{strings.Repeat("ab ", 20), []string{strings.Repeat("ab ", 16)[:47], "  " + strings.Repeat("ab ", 4)}},
		{strings.Repeat("x", 150), []string{strings.Repeat("x", 48), "  " + strings.Repeat("x", 46), "  " + strings.Repeat("x", 45) + "…"}},
	} {
		if got := wrapField(c.in); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrapField(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
