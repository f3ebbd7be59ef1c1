package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/sqlstream/sqlstream/planner"
)

// cmdExplain prints the physical plan of every materialized view, sink and
// INSERT of a pipeline: as indented text trees (--format text, the
// default) or as a Graphviz digraph of the operators (--format dot). With
// --golden DIR it instead compares the plan of every pipeline under DIR
// with its reviewed golden (explain_golden.go); --rewrite accepts the
// changes.
func cmdExplain(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	format := fs.String("format", "text", "output format: text, or dot (a Graphviz digraph of the operators)")
	golden := fs.String("golden", "", "compare the plan of every pipeline under `DIR` with its .plan golden file")
	rewrite := fs.Bool("rewrite", false, "with --golden: write the goldens that differ, are missing or are stale")
	pos, err := parseFlags(fs, args, stderr)
	if err != nil {
		return err
	}
	if *golden != "" {
		return explainGoldens(*golden, *rewrite, *format, pos, stdout)
	}
	if *rewrite {
		return usageError{"--rewrite needs --golden DIR"}
	}
	if *format != "text" && *format != "dot" {
		return usageError{fmt.Sprintf("--format %q: want text or dot", *format)}
	}
	if len(pos) != 1 {
		return usageError{"want exactly one pipeline file"}
	}
	_, p, err := loadPlan(pos[0])
	if err != nil {
		return err
	}
	if *format == "dot" {
		fmt.Fprint(stdout, planner.ExplainDot(p))
		return nil
	}
	fmt.Fprint(stdout, planner.Explain(p))
	return nil
}

// explainGoldens validates the flags of `explain --golden DIR` and runs it.
func explainGoldens(dir string, rewrite bool, format string, pos []string, stdout io.Writer) error {
	if len(pos) != 0 {
		return usageError{"--golden DIR takes no pipeline files (it plans every *.sql under DIR)"}
	}
	if format != "text" {
		return usageError{"--golden compares text plans; drop --format"}
	}
	return runGoldens(goldenRun{
		Dir:     dir,
		Rewrite: rewrite,
		Out:     stdout,
		Accept:  fmt.Sprintf("sqlstream explain --golden %s --rewrite", dir),
	})
}
