package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/sqlstream/sqlstream/planner"
)

// cmdExplain prints the physical plan of every materialized view, sink and
// INSERT of a pipeline.
func cmdExplain(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	pos, err := parseFlags(fs, args, stderr)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"want exactly one pipeline file"}
	}
	_, p, err := loadPlan(pos[0])
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, planner.Explain(p))
	return nil
}
