// Package mysql is the 'mysql' connector (MySQL and MariaDB): an
// exactly-once sink that upserts a view's changes into a table by the
// view's key, and MySQL tables as lookup tables of lookup joins.
//
// Sink. Each epoch's changes are netted per key in Go (sqlsink.Netter),
// then written in one transaction as multi-row statements of SQL literals
// encoded column by column from the Arrow batches (at most
// statementBytes each): DELETE ... WHERE (k1, k2) IN (...) for deleted
// keys, INSERT ... VALUES ... ON DUPLICATE KEY UPDATE for upserted rows,
// plain INSERT for keyless append-only input, together with the upsert
// of the sink's row of the marker table (_sqlstream_epochs(sink, epoch),
// 'sink.epoch-table'), so a redelivered epoch is recognised and skipped.
// 'sink.create-table' = 'true' creates a missing table (utf8mb4_bin, so
// keys compare byte-wise as the engine compares them; unbounded VARCHAR
// key columns become VARCHAR(255), other unbounded VARCHARs LONGTEXT,
// TIMESTAMP becomes DATETIME(3)); an existing table must have every sink
// column with a type that holds it exactly and, for a keyed sink, a
// unique index on exactly the key columns.
//
// Lost connections, a killed connection, a server shutting down, lock
// wait timeouts and deadlocks are transient (exec.ErrRetry; the pool
// reconnects); constraint and data errors are fatal and name the table
// and, when the server says which row, its key.
//
// The DSN is go-sql-driver's: user:password@tcp(host:port)/database.
//
// Lookup. A table WITH (connector = 'mysql', dsn = ..., table = ...)
// answers a batch of keys with one query per 1000 keys,
// WHERE (k1, k2) IN ((...), ...), read over the text protocol into Arrow
// columns of the declared types.
package mysql
