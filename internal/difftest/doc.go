// Package difftest is the differential-testing harness of stateful
// operators: it checks that an operator's materialized output over a random
// changelog equals DuckDB's answer for the same query over the changelog's
// final table state (DESIGN.md §3, "streaming result = batch result").
//
// It is a non-test package only so that several packages' tests can share
// it; it is one of the few packages allowed to link DuckDB (see
// internal/archtest) and must only be imported from _test.go files.
//
// The pieces, used in this order:
//
//   - Gen.Changelog generates a random changelog for a catalog.Schema:
//     inserts, updates (-U of a live row immediately followed by its +U),
//     deletes of live rows, NULLs, and values from small domains so that
//     group and join keys collide. It is deterministic by seed. Values are
//     Go values per type (see Row).
//   - Split cuts a changelog into batches of random sizes; ToBatch turns
//     changes into an exec.Batch.
//   - Apply folds a changelog into its final multiset of rows.
//   - Open starts an in-memory DuckDB; DB.Load creates a table with the
//     schema's types from rows (through Arrow); DB.Query runs SQL and
//     returns each row as a normalized string.
//   - Capture is an exec.Stream that materializes an operator's output
//     changelog into a multiset, checking after every batch that every
//     -U/-D retracts a row that is present.
//   - Diff compares two row multisets (sorted) and renders what differs.
//
// Normalized rows are the column values joined by " | ": NULL, integers,
// decimals exact with trailing fractional zeros trimmed (1.50 → 1.5),
// doubles with 9 significant digits (-0 is 0), booleans true/false,
// strings as is, dates 2006-01-02, timestamps 2006-01-02 15:04:05.000.
// The same row printed from Arrow, from a Row or from DuckDB is the same
// string, whatever the decimal scale or integer width.
package difftest
