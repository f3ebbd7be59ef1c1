package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/sqlstream/sqlstream/planner"
)

// Plan goldens (`sqlstream explain --golden DIR [--rewrite]`, and
// TestPlanGoldens over queries/): every *.sql pipeline under DIR — except
// under directories named `baseline`, which hold DuckDB batch SQL — has
// its reviewed plan next to it, `x.sql` → `x.plan`. A golden is a list of
// sections, one per table the plan creates and per root, in plan order:
//
//	-- materialized view dws_x
//	materialize dws_x  key=[...]  ...
//	└── ...
//
// The header names the root only (no line numbers), so an edit elsewhere
// in the file does not churn it. Comparing prints a unified diff per
// changed section; --rewrite writes what changed, writes missing goldens
// and removes stale ones (a .plan with no .sql).

// goldenRun is one comparison (or rewrite) of the goldens under Dir.
type goldenRun struct {
	Dir     string
	Rewrite bool
	Out     io.Writer
	// Accept is the command that accepts the changes, for the summary.
	Accept string
}

// goldenTally counts what a run found.
type goldenTally struct {
	pipelines, plans, changed int
	missing, stale, failed    int
}

// runGoldens compares (or rewrites) every golden under r.Dir. Diffs and
// rewrite reports go to r.Out; the error summarises what failed.
func runGoldens(r goldenRun) error {
	sqls, plans, err := findGoldenFiles(r.Dir)
	if err != nil {
		return err
	}
	var t goldenTally
	for _, sql := range sqls {
		if err := r.pipeline(sql, &t); err != nil {
			return err
		}
	}
	for _, p := range staleGoldens(sqls, plans) {
		if err := r.stale(p, &t); err != nil {
			return err
		}
	}
	return r.summary(t)
}

// findGoldenFiles lists the pipelines and the golden files under dir,
// sorted, skipping `baseline` directories.
func findGoldenFiles(dir string) (sqls, plans []string, err error) {
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && d.Name() == "baseline":
			return filepath.SkipDir
		case d.IsDir():
			return nil
		case strings.HasSuffix(path, ".sql"):
			sqls = append(sqls, path)
		case strings.HasSuffix(path, ".plan"):
			plans = append(plans, path)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("explain --golden: %w", err)
	}
	sort.Strings(sqls)
	sort.Strings(plans)
	return sqls, plans, nil
}

// goldenPath is the golden file of a pipeline: x.sql → x.plan.
func goldenPath(sql string) string { return strings.TrimSuffix(sql, ".sql") + ".plan" }

// staleGoldens are the golden files with no pipeline.
func staleGoldens(sqls, plans []string) []string {
	want := map[string]bool{}
	for _, s := range sqls {
		want[goldenPath(s)] = true
	}
	var stale []string
	for _, p := range plans {
		if !want[p] {
			stale = append(stale, p)
		}
	}
	return stale
}

// pipeline plans one pipeline and compares or rewrites its golden. Only
// I/O failures are returned; plan errors and differences are tallied.
func (r goldenRun) pipeline(sql string, t *goldenTally) error {
	t.pipelines++
	_, p, err := loadPlan(sql)
	if err != nil {
		t.failed++
		fmt.Fprintf(r.Out, "%s\n", strings.TrimRight(err.Error(), "\n"))
		return nil
	}
	got := goldenSections(p)
	t.plans += len(got)
	path := goldenPath(sql)
	text, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return r.missing(path, got, t)
	}
	if err != nil {
		return fmt.Errorf("explain --golden: %w", err)
	}
	changed := r.compare(path, sql, parseGolden(string(text)), got)
	rendered := renderGolden(got)
	if len(changed) == 0 && rendered != string(text) {
		// Same plans, different layout (hand-edited): diff the whole file.
		fmt.Fprint(r.Out, unifiedDiff(path+" (golden)", sql+" (planned)", string(text), rendered))
		changed = []string{"layout"}
	}
	if len(changed) == 0 {
		return nil
	}
	if !r.Rewrite {
		t.changed += len(changed)
		return nil
	}
	fmt.Fprintf(r.Out, "updated %s: %s\n", path, strings.Join(changed, ", "))
	return writeGolden(path, rendered)
}

// missing handles a pipeline without a golden: written under --rewrite,
// else an error.
func (r goldenRun) missing(path string, got []goldenSection, t *goldenTally) error {
	if !r.Rewrite {
		t.missing++
		fmt.Fprintf(r.Out, "%s: missing golden (%s)\n", path, countNoun(len(got), "plan"))
		return nil
	}
	fmt.Fprintf(r.Out, "wrote %s (new, %s)\n", path, countNoun(len(got), "plan"))
	return writeGolden(path, renderGolden(got))
}

// stale handles a golden with no pipeline: removed under --rewrite.
func (r goldenRun) stale(path string, t *goldenTally) error {
	if !r.Rewrite {
		t.stale++
		fmt.Fprintf(r.Out, "%s: stale golden (no pipeline %s)\n", path, strings.TrimSuffix(path, ".plan")+".sql")
		return nil
	}
	fmt.Fprintf(r.Out, "removed stale %s\n", path)
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("explain --golden: %w", err)
	}
	return nil
}

// compare prints a diff per section that differs between the golden and
// the plan (added and removed sections diff against nothing) and returns
// the changed sections' headers.
func (r goldenRun) compare(path, sql string, want, got []goldenSection) []string {
	wantBy := map[string]string{}
	for _, s := range want {
		wantBy[s.Header] = s.Body
	}
	var changed []string
	seen := map[string]bool{}
	for _, s := range got {
		seen[s.Header] = true
		if old, ok := wantBy[s.Header]; !ok || old != s.Body {
			changed = append(changed, s.Header)
			fmt.Fprint(r.Out, unifiedDiff(path+"  "+s.Header+" (golden)", sql+"  "+s.Header+" (planned)", old, s.Body))
		}
	}
	for _, s := range want {
		if !seen[s.Header] {
			changed = append(changed, s.Header+" (removed)")
			fmt.Fprint(r.Out, unifiedDiff(path+"  "+s.Header+" (golden)", sql+"  "+s.Header+" (planned)", s.Body, ""))
		}
	}
	return changed
}

// summary prints the outcome and returns the error that makes the
// command exit 1, if any.
func (r goldenRun) summary(t goldenTally) error {
	var msgs []string
	if t.changed > 0 {
		msgs = append(msgs, fmt.Sprintf("%d of %s changed; run '%s' to accept", t.changed, countNoun(t.plans, "plan"), r.Accept))
	}
	if t.missing > 0 {
		msgs = append(msgs, fmt.Sprintf("%s without a golden; run '%s' to write them", countNoun(t.missing, "pipeline"), r.Accept))
	}
	if t.stale > 0 {
		msgs = append(msgs, fmt.Sprintf("%s without a pipeline; run '%s' to remove them", countNoun(t.stale, "golden file"), r.Accept))
	}
	if t.failed > 0 {
		msgs = append(msgs, fmt.Sprintf("%d of %s failed to plan", t.failed, countNoun(t.pipelines, "pipeline")))
	}
	if len(msgs) > 0 {
		return errors.New(strings.Join(msgs, "\n"))
	}
	if !r.Rewrite {
		fmt.Fprintf(r.Out, "%s in %s match their goldens\n", countNoun(t.plans, "plan"), countNoun(t.pipelines, "pipeline"))
	}
	return nil
}

// countNoun renders "1 plan", "2 plans".
func countNoun(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func writeGolden(path, text string) error {
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return fmt.Errorf("explain --golden: %w", err)
	}
	return nil
}

// goldenSection is one table or root of a golden: its header (without
// the leading "-- ") and its EXPLAIN text, ending in a newline.
type goldenSection struct {
	Header, Body string
}

// goldenSections splits a plan into its golden sections, in plan order.
// A header repeated (two INSERTs into one table) gets a " (2)" suffix.
func goldenSections(p *planner.Plan) []goldenSection {
	var out []goldenSection
	count := map[string]int{}
	add := func(h, body string) {
		count[h]++
		if n := count[h]; n > 1 {
			h += " (" + strconv.Itoa(n) + ")"
		}
		out = append(out, goldenSection{Header: h, Body: body})
	}
	for _, t := range p.Tables {
		add("table "+t.Table.Name, planner.ExplainTable(t))
	}
	for _, root := range p.Roots {
		add(rootHeader(root), planner.ExplainRoot(root))
	}
	return out
}

// rootHeader names a plan root: `materialized view v`, `sink s` or
// `insert into t`.
func rootHeader(root planner.Physical) string {
	switch n := root.(type) {
	case *planner.MaterializeNode:
		return "materialized view " + n.View.Name
	case *planner.SinkWriteNode:
		if n.Sink != nil {
			return "sink " + n.Sink.Name
		}
		return "insert into " + n.Table.Name
	}
	return fmt.Sprintf("root %T", root)
}

// renderGolden writes sections as `-- header` lines, each followed by its
// body, separated by blank lines.
func renderGolden(secs []goldenSection) string {
	var b strings.Builder
	for i, s := range secs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("-- " + s.Header + "\n" + s.Body)
	}
	return b.String()
}

// parseGolden reads the sections renderGolden writes. Lines before the
// first header are ignored (renderGolden writes none; the layout check
// in pipeline reports them); blank lines ending a body are not part of it.
func parseGolden(text string) []goldenSection {
	var out []goldenSection
	var body []string
	flush := func() {
		if len(out) == 0 {
			return
		}
		for len(body) > 0 && body[len(body)-1] == "" {
			body = body[:len(body)-1]
		}
		if len(body) > 0 {
			out[len(out)-1].Body = strings.Join(body, "\n") + "\n"
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if h, ok := strings.CutPrefix(line, "-- "); ok {
			flush()
			out = append(out, goldenSection{Header: h})
			body = nil
			continue
		}
		body = append(body, line)
	}
	flush()
	return out
}
