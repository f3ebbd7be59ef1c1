// Package render turns Arrow values into text, the one place that decides
// how a value looks outside the engine: the stdout sink, `sqlstream query`
// results and (later) the pgwire endpoint all use it, so a value prints the
// same everywhere.
//
// Text follows DuckDB's own CAST(x AS VARCHAR) rendering, so that what the
// engine prints equals what DuckDB prints for the same value:
//
//	BOOLEAN    true / false
//	DECIMAL    its exact digits at its scale: 2.50, -0.05
//	DOUBLE     shortest round-trip digits, Python-repr style: 1.0, 0.1, 1e+20, nan, inf
//	DATE       2024-01-02
//	TIMESTAMP  2024-01-02 03:04:05.12 (fraction only when non-zero, trailing zeros trimmed)
//	INTERVAL   1 year 2 months 3 days 04:05:06.5
//	VARCHAR    the string itself
//
// A Column is built once per column per batch (one type switch); its
// per-row methods do no interface boxing.
package render
