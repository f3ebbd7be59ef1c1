// Package sinks holds the sink connectors, one folder per connector, each
// registered by name with exec.RegisterSink from its init function:
//
//	duckdb     the embedded store (exec.Store): materialized views, pipeline
//	           tables, errors_<source>, epoch bookkeeping, and the read side
//	           of `sqlstream query`. The only package that imports DuckDB.
//	blackhole  counts rows and batches and discards them (benchmarks).
//	stdout     prints the changelog (debugging).
//	render     shared text/JSON rendering of Arrow values, used by stdout
//	           and by query results.
//	all        blank-imports every sink connector.
package sinks
