package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	_ "github.com/sqlstream/sqlstream/sinks/all"
	_ "github.com/sqlstream/sqlstream/sources/all"
)

// usageError marks errors that exit with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

const usage = `sqlstream — a streaming SQL engine

Usage:
  sqlstream run pipeline.sql [--db FILE] [--listen ADDR] [--quiet]
                                                     run a pipeline into a DuckDB file
  sqlstream check pipeline.sql...                    parse, bind and plan; exit 1 on error
  sqlstream explain pipeline.sql [--format text|dot] print the physical plan of every view
  sqlstream explain --golden DIR [--rewrite]         compare every pipeline's plan with its .plan golden
  sqlstream query --db FILE [--format table|csv|json] "SELECT ..."
  sqlstream shell [--db FILE | --connect ADDR]       interactive SQL shell
  sqlstream bench --query q0[,q1,...] [--events N] [--cores C]
                                                     benchmark queries against DuckDB

Run 'sqlstream COMMAND -h' for a command's flags.
`

func main() {
	os.Exit(runMain(os.Args[1:], os.Stdout, os.Stderr))
}

// runMain dispatches a command and returns the process exit code.
func runMain(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmds := map[string]func([]string, io.Writer, io.Writer) error{
		"run": cmdRun, "check": cmdCheck, "explain": cmdExplain, "query": cmdQuery,
		"shell": cmdShell, "bench": cmdBench,
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	cmd, ok := cmds[name]
	if !ok {
		fmt.Fprintf(stderr, "sqlstream: unknown command %q\n\n%s", name, usage)
		return 2
	}
	err := cmd(args[1:], stdout, stderr)
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "sqlstream %s: %s\n", name, ue.msg)
		return 2
	default:
		msg := err.Error()
		if !strings.HasSuffix(msg, "\n") {
			msg += "\n"
		}
		fmt.Fprint(stderr, msg)
		return 1
	}
}

// parseFlags parses flags that may appear before, between or after the
// positional arguments (`run pipeline.sql --db x.duckdb`), which the flag
// package alone does not allow. It returns the positional arguments.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) ([]string, error) {
	fs.SetOutput(stderr)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
