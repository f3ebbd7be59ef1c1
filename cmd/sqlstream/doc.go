// Command sqlstream is the CLI of the streaming SQL engine:
//
//	sqlstream run pipeline.sql [--db warehouse.duckdb] [--listen ADDR] [--quiet] [--reset]
//	sqlstream check [--format text|json] [--strict] pipeline.sql...
//	sqlstream explain pipeline.sql [--format text|dot]
//	sqlstream explain --golden DIR [--rewrite]
//	sqlstream query --db warehouse.duckdb [--format table|csv|json] "SELECT ..."
//	sqlstream shell [--db FILE | --connect HOST:PORT]
//	sqlstream bench --query q0[,q5,retail_dw,...] [--events N] [--cores C]
//
// It owns flag parsing, wiring the planner, the runner, the connectors and
// the DuckDB store together, the progress line shown on a terminal, the
// --listen endpoint's backend (listen*.go: read sessions on the store and
// the sqlstream_* introspection tables, served by package pgwire), and the
// plan goldens (explain_golden.go). The shell lives in shell/, the
// benchmark driver in benchrun/.
// Exit codes: 0 success, 1 an error in the pipeline or at run time, 2 a
// usage error.
package main
