package benchrun

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// query is one benchmark: a pipeline file and the DuckDB baselines of its
// views.
type query struct {
	Name     string
	Pipeline string
	// Baselines are the baseline queries found next to the pipeline, one
	// per view, sorted by view name; empty when there are none.
	Baselines []baselineFile
}

// baselineFile is one view's DuckDB batch query.
type baselineFile struct {
	View, Path string
}

// bankWorkloads are what "bank" expands to.
var bankWorkloads = []string{"retail_dw", "trace_join", "process_metrics"}

var nexmarkName = regexp.MustCompile(`^q[0-9]+$`)

// resolve turns query names into pipelines, at run time, so queries and
// baselines added to dir are picked up without a rebuild.
func resolve(dir string, names []string) ([]query, error) {
	var out []query
	seen := map[string]bool{}
	add := func(name string) error {
		if seen[name] {
			return nil
		}
		seen[name] = true
		q, err := resolveOne(dir, name)
		if err != nil {
			return err
		}
		out = append(out, q)
		return nil
	}
	for _, raw := range names {
		name := strings.ToLower(strings.TrimSpace(raw))
		var expanded []string
		switch name {
		case "":
			continue
		case "nexmark":
			var err error
			if expanded, err = nexmarkQueries(dir); err != nil {
				return nil, err
			}
		case "bank":
			expanded = bankWorkloads
		default:
			expanded = []string{name}
		}
		for _, n := range expanded {
			if err := add(n); err != nil {
				return nil, err
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no query given")
	}
	return out, nil
}

func resolveOne(dir, name string) (query, error) {
	q := query{Name: name}
	if nexmarkName.MatchString(name) {
		q.Pipeline = filepath.Join(dir, "nexmark", name+".sql")
		b := filepath.Join(dir, "nexmark", "baseline", name+".sql")
		if _, err := os.Stat(b); err == nil {
			q.Baselines = []baselineFile{{View: name, Path: b}}
		}
	} else {
		q.Pipeline = filepath.Join(dir, name, "pipeline.sql")
		files, err := filepath.Glob(filepath.Join(dir, name, "baseline", "*.sql"))
		if err != nil {
			return q, err
		}
		sort.Strings(files)
		for _, f := range files {
			q.Baselines = append(q.Baselines, baselineFile{View: strings.TrimSuffix(filepath.Base(f), ".sql"), Path: f})
		}
	}
	if _, err := os.Stat(q.Pipeline); err != nil {
		return q, fmt.Errorf("query %s: no pipeline %s (names are qN for %s/nexmark/qN.sql or a directory of %s with pipeline.sql)",
			name, q.Pipeline, dir, dir)
	}
	return q, nil
}

// nexmarkQueries lists dir/nexmark/q*.sql in query-number order.
func nexmarkQueries(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "nexmark", "q*.sql"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, f := range files {
		if n := strings.TrimSuffix(filepath.Base(f), ".sql"); nexmarkName.MatchString(n) {
			names = append(names, n)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		a, _ := strconv.Atoi(names[i][1:])
		b, _ := strconv.Atoi(names[j][1:])
		return a < b
	})
	if len(names) == 0 {
		return nil, fmt.Errorf("no Nexmark query in %s", filepath.Join(dir, "nexmark"))
	}
	return names, nil
}
