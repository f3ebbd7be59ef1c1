package planner

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
	"github.com/sqlstream/sqlstream/parser"
)

// TestPlanner runs the goldens under testdata/ (regenerate with -rewrite):
//
//	explain  input: a pipeline file; output: Explain of its plan
//	explain-dot  input: a pipeline file; output: ExplainDot of its plan
//	plan     input: a pipeline file; output: the positioned error, or "ok"
//	catalog  input: a pipeline file; output: the resolved catalog objects
//	state-bound  input: a pipeline file; output: what bounds each stateful
//	         operator's state, with check's findings (state_bound_test.go)
func TestPlanner(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			f, err := parser.Parse("test.sql", d.Input)
			if err != nil {
				return "parse error: " + err.Error() + "\n"
			}
			p, err := PlanFile(f)
			switch d.Cmd {
			case "explain":
				if err != nil {
					return "error: " + err.Error() + "\n"
				}
				if err := validatePlan(p); err != nil {
					t.Errorf("%s: invalid plan: %v", d.Pos, err)
				}
				return Explain(p)
			case "explain-dot":
				if err != nil {
					return "error: " + err.Error() + "\n"
				}
				return ExplainDot(p)
			case "plan":
				if err != nil {
					return err.Error() + "\n"
				}
				return "ok\n"
			case "catalog":
				if err != nil {
					return "error: " + err.Error() + "\n"
				}
				return dumpCatalog(p)
			case "state-bound":
				if err != nil {
					return "error: " + err.Error() + "\n"
				}
				return stateBoundText(f, p)
			}
			d.Fatalf(t, "unknown directive %s", d.Cmd)
			return ""
		})
	})
}

// dumpCatalog renders the catalog deterministically, for goldens.
func dumpCatalog(p *Plan) string {
	var b strings.Builder
	c := p.Catalog
	for _, k := range sortedKeys(c.Sources) {
		s := c.Sources[k]
		fmt.Fprintf(&b, "source %s %s connector=%s format=%q changelog=%s pk=%v", s.Name, s.Schema, s.Connector, s.Format, s.Changelog, s.PrimaryKey)
		if w := s.Watermark; w != nil {
			fmt.Fprintf(&b, " watermark=(col=%d delay=%dms text=%q)", w.Column, w.DelayMs, w.Text)
		}
		b.WriteByte('\n')
	}
	for _, k := range sortedKeys(c.Tables) {
		t := c.Tables[k]
		fmt.Fprintf(&b, "table %s %s connector=%q pk=%v\n", t.Name, t.Schema, t.Connector, t.PrimaryKey)
	}
	for _, init := range p.Tables {
		for _, row := range init.Rows {
			vals := make([]string, len(row))
			for i, l := range row {
				vals[i] = literalText(l) + ":" + strings.ToLower(l.T.String())
			}
			fmt.Fprintf(&b, "row %s (%s)\n", init.Table.Name, strings.Join(vals, ", "))
		}
	}
	for _, k := range sortedKeys(c.Views) {
		v := c.Views[k]
		fmt.Fprintf(&b, "view %s %s materialized=%t key=%v changelog=%s\n", v.Name, v.Schema, v.Materialized, v.Key, v.Changelog)
	}
	for _, k := range sortedKeys(c.Sinks) {
		s := c.Sinks[k]
		fmt.Fprintf(&b, "sink %s %s from=%q connector=%s format=%q\n", s.Name, s.Schema, s.From, s.Connector, s.Format)
	}
	for _, o := range c.Settings {
		fmt.Fprintf(&b, "set %s = %q\n", o.Key, o.Value)
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestDedupNames(t *testing.T) {
	got := dedupNames([]string{"a", "A", "a_1", "b", "a"})
	want := []string{"a", "A_2", "a_1", "b", "a_3"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("dedupNames = %v, want %v", got, want)
	}
}

func TestFormatMillis(t *testing.T) {
	for ms, want := range map[int64]string{4000: "4s", 300_000: "5m", 3600_000: "1h", 1500: "1500ms", 0: "0ms", 86400_000: "1d"} {
		if got := formatMillis(ms); got != want {
			t.Errorf("formatMillis(%d) = %s, want %s", ms, got, want)
		}
	}
}

func TestStripParens(t *testing.T) {
	for in, want := range map[string]string{
		"((a % 1) = 0)":     "(a % 1) = 0",
		"(a + 1) * (b)":     "(a + 1) * (b)",
		"a":                 "a",
		"(x = ')')":         "x = ')'",
		"(a) AND (b = '(')": "(a) AND (b = '(')",
	} {
		if got := stripParens(in); got != want {
			t.Errorf("stripParens(%q) = %q, want %q", in, got, want)
		}
	}
}
