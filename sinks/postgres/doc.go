// Package postgres is the 'postgres' connector: an exactly-once sink that
// upserts a view's changes into a PostgreSQL table by the view's key, and
// PostgreSQL tables as lookup tables of lookup joins.
//
// Sink. Each epoch's changes are netted per key in Go (sqlsink.Netter),
// then written in one transaction: the upserted rows are COPYed (text
// format, encoded column by column from the Arrow batches) into a
// temporary stage table and merged with INSERT ... SELECT ... ON CONFLICT
// (key) DO UPDATE; deleted keys are COPYed into a second stage and removed
// with DELETE ... USING; keyless append-only input is COPYed straight into
// the table. The same transaction upserts the sink's row of the marker
// table (_sqlstream_epochs(sink, epoch), 'sink.epoch-table'), so a
// redelivered epoch is recognised and skipped. 'sink.create-table' =
// 'true' creates a missing table with the key as PRIMARY KEY; an existing
// table must have every sink column with a type that holds it exactly
// and, for a keyed sink, a unique index on exactly the key columns.
//
// A lost connection, a terminated backend, a serialization failure or a
// deadlock is transient (exec.ErrRetry; the next attempt reconnects);
// constraint and data errors are fatal and name the table and, when the
// server says which row, its key.
//
// Lookup. A table WITH (connector = 'postgres', dsn = ..., table = ...)
// answers a batch of keys with one query,
// WHERE (k1, k2) IN (SELECT ... FROM unnest($1::text[], $2::text[])), and
// reads every column back as text into Arrow columns of the declared types.
package postgres
