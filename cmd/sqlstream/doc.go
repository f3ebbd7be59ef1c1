// Command sqlstream is the CLI of the streaming SQL engine:
//
//	sqlstream run pipeline.sql [--db warehouse.duckdb] [--quiet]
//	sqlstream check pipeline.sql...
//	sqlstream explain pipeline.sql [--format text|dot]
//	sqlstream explain --golden DIR [--rewrite]
//	sqlstream query --db warehouse.duckdb [--format table|csv|json] "SELECT ..."
//
// It owns flag parsing, wiring the planner, the runner, the connectors and
// the DuckDB store together, and the progress line shown on a terminal.
// Exit codes: 0 success, 1 an error in the pipeline or at run time, 2 a
// usage error.
package main
