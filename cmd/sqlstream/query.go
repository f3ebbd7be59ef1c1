package main

import (
	"context"
	"flag"
	"io"
	"strings"

	"github.com/sqlstream/sqlstream/sinks/duckdb"
)

// cmdQuery runs one SQL query against a DuckDB store file, read-only, and
// prints the result as a table, CSV or JSON.
func cmdQuery(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("query", flag.ContinueOnError)
	db := fs.String("db", "", "DuckDB file written by 'sqlstream run' (required)")
	format := fs.String("format", "table", "output format: table, csv or json")
	pos, err := parseFlags(fs, args, stderr)
	if err != nil {
		return err
	}
	if *db == "" {
		return usageError{"--db is required"}
	}
	if len(pos) == 0 {
		return usageError{"want a SQL query"}
	}
	f, err := duckdb.ParseFormat(*format)
	if err != nil {
		return usageError{err.Error()}
	}
	res, err := duckdb.Query(context.Background(), *db, strings.Join(pos, " "))
	if err != nil {
		return err
	}
	return res.Write(stdout, f)
}
