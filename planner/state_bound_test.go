package planner

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
)

// stateBoundText renders StateBounds for the `state-bound` goldens
// (testdata/state_bound): per stateful node, its operator, what bounds
// its state and, for a finding, its severity, line:col and message.
func stateBoundText(f *parser.File, p *Plan) string {
	var b strings.Builder
	for _, s := range StateBounds(p) {
		op, _, _ := strings.Cut(nodeLine(s.Node, nil), "  ")
		fmt.Fprintf(&b, "%s: %s\n", op, s.Bound)
		if s.Severity != SeverityNone {
			line, col := f.Position(s.Pos)
			fmt.Fprintf(&b, "  %s at %d:%d: %s\n", s.Severity, line, col, s.Msg)
		}
	}
	if b.Len() == 0 {
		return "no stateful operators\n"
	}
	return b.String()
}

func TestBoundedSource(t *testing.T) {
	for _, c := range []struct {
		connector string
		opts      catalog.Options
		want      bool
	}{
		{"file", nil, true},
		{"file", catalog.Options{{Key: "bounded", Value: "false"}}, false},
		{"file", catalog.Options{{Key: "bounded", Value: " FALSE "}}, false},
		{"file", catalog.Options{{Key: "bounded", Value: "true"}}, true},
		{"datagen", nil, false},
		{"datagen", catalog.Options{{Key: "rows", Value: "10"}}, true},
		{"datagen", catalog.Options{{Key: "rows", Value: "-1"}}, false},
		{"datagen", catalog.Options{{Key: "rows", Value: "many"}}, false},
		{"kafka", nil, false},
		{"kafka", catalog.Options{{Key: "scan.bounded", Value: "latest"}}, true},
		{"kafka", catalog.Options{{Key: "scan.bounded", Value: "false"}}, false},
		{"postgres", nil, false},
	} {
		s := &catalog.Source{Name: "s", Connector: c.connector, Options: c.opts}
		if got := BoundedSource(s); got != c.want {
			t.Errorf("BoundedSource(%s %v) = %t, want %t", c.connector, c.opts, got, c.want)
		}
	}
}

// TestStateFindingsDedup: a plain view inlined into two materialized
// views is planned twice but reported once.
func TestStateFindingsDedup(t *testing.T) {
	const src = "CREATE SOURCE a (k BIGINT, v BIGINT) WITH (connector = 'kafka', brokers = 'b:9092', topic = 'a', format = 'json');\n" +
		"CREATE SOURCE b (k BIGINT, w BIGINT) WITH (connector = 'kafka', brokers = 'b:9092', topic = 'b', format = 'json');\n" +
		"CREATE VIEW ab AS SELECT a.k, v, w FROM a JOIN b ON a.k = b.k;\n" +
		"CREATE MATERIALIZED VIEW m1 AS SELECT k, v FROM ab;\n" +
		"CREATE MATERIALIZED VIEW m2 AS SELECT k, w FROM ab;\n"
	f, err := parser.Parse("t.sql", src)
	if err != nil {
		t.Fatal(err)
	}
	p, err := PlanFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(StateBounds(p)); n != 2 {
		t.Errorf("StateBounds: %d nodes, want the join once per materialized view", n)
	}
	got := StateFindings(p)
	if len(got) != 1 || got[0].Severity != SeverityError {
		t.Fatalf("StateFindings = %+v, want one error", got)
	}
	if line, col := f.Position(got[0].Pos); line != 3 || col != 48 {
		t.Errorf("finding at %d:%d, want 3:48 (the joined relation b)", line, col)
	}
}

// TestStateBoundsCoverStatefulNodes: every stateful node of the shipped
// pipelines' plans is classified (a new stateful operator must be taught
// to StateBounds), and the shipped pipelines have no findings.
func TestStateBoundsCoverStatefulNodes(t *testing.T) {
	files, _ := filepath.Glob("../queries/*/*.sql")
	if len(files) < 4 {
		t.Fatalf("found only %d pipelines under queries/", len(files))
	}
	for _, path := range files {
		text, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.Parse(path, string(text))
		if err != nil {
			continue // reported by TestQueriesPlanValid
		}
		p, err := PlanFile(f)
		if err != nil {
			continue
		}
		classified := map[Physical]bool{}
		for _, s := range StateBounds(p) {
			classified[s.Node] = true
			if s.Severity != SeverityNone {
				line, col := f.Position(s.Pos)
				t.Errorf("%s:%d:%d: %s: %s", path, line, col, s.Severity, s.Msg)
			}
		}
		for _, r := range p.Roots {
			forEachNode(r, func(n Physical) {
				if n.Props().Stateful && !classified[n] {
					t.Errorf("%s: stateful node %T is not classified", path, n)
				}
			})
		}
	}
}

func forEachNode(n Physical, fn func(Physical)) {
	fn(n)
	for _, in := range n.Inputs() {
		forEachNode(in, fn)
	}
}
