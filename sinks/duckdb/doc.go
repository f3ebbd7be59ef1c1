// Package duckdb is the embedded store: it implements exec.Store over one
// DuckDB database (a file, or in memory for tests) and is the only package
// that imports DuckDB.
//
// Write side. Open returns a Store holding one DuckDB connection. Writers
// (ViewWriter, TableWriter, Errors) buffer what they are given; nothing is
// written until Store.Commit(epoch), which moves every writer's pending
// batches and bad records into DuckDB in one transaction together with a row
// of the _sqlstream_epochs bookkeeping table, so readers see all views at the
// same epoch. Batches go in through DuckDB's Arrow scan (a registered view
// over the buffered record batches and one INSERT ... SELECT per writer),
// not row by row. Push borrows a batch; writers Retain what they buffer and
// Release it after the commit.
//
// Views are appended to while their input is append-only. A batch with
// -U/+U/-D rows is applied by the view's Key: within one commit the last
// change of each key wins (a +I/+U replaces the stored row, a -U/-D deletes
// it; a delete of an absent key is a no-op). A view without a Key is a
// multiset: within one commit equal rows (all columns, NULLs equal) net
// out, each net retraction deletes exactly that many equal rows and each
// net insertion inserts that many copies; retracting a row the view does
// not hold fails the commit with an error naming the view and the row.
//
// Lookups. Store.Lookup answers a lookup join's batched key lookups
// against a pipeline table on a pooled connection of its own (never the
// write connection), so it reads the table as last committed.
//
// Read side. Query opens a database file read-only for `sqlstream query` and
// returns a Result that Write prints as an aligned table, CSV or JSON, with
// values rendered by sinks/render.
//
// Locking (observed with DuckDB 1.5): a DuckDB file is locked by the process
// that opens it read-write; another process cannot open it at all, not even
// read-only, until the writer closes it. Within one process duckdb-go caches
// database instances by path, so Query on a file the same process holds
// open read-write fails with a configuration-mismatch error rather than
// sharing it. Query therefore works on a file no running pipeline holds;
// reading while a pipeline runs goes through the pgwire endpoint.
package duckdb
