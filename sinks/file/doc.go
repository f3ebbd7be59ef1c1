// Package file is the 'file' sink connector: it writes an append-only
// stream as Parquet or CSV files in Hive-style partition directories, each
// file sorted by a key, for DuckDB (or any lake engine) to query in place:
//
//	CREATE SINK txn_detail FROM dwd_txn WITH (
//	  connector = 'file', path = 'lake/txn', format = 'parquet',
//	  'partition.by' = 'day', 'sort.by' = 'customer_id, ts');
//
//	SELECT * FROM read_parquet('lake/txn/**/*.parquet', hive_partitioning = true)
//	WHERE day = DATE '2025-01-02' AND customer_id = 42 AND ts >= TIMESTAMP '2025-01-02 10:00:00';
//
// Options:
//   - path (required): the root directory, relative to the pipeline file.
//   - format: 'parquet' (default) or 'csv'.
//   - 'partition.by': comma-separated columns naming the directories,
//     outermost first: path/day=2025-01-02/region=eu/part-....parquet. A
//     partition column is DATE (YYYY-MM-DD), VARCHAR, INT, BIGINT or
//     BOOLEAN; for the day of a timestamp put DATE(ts) AS day in the query.
//     Values are their text with the bytes Hive escapes written %XX; NULL is
//     the directory col=NULL (DuckDB's spelling, read back as NULL).
//     Partition columns are not repeated inside the files (as DuckDB's
//     partitioned COPY); read them back with hive_partitioning.
//   - 'sort.by': comma-separated columns; each file's rows are sorted by
//     them ascending, NULLs first, stably (ties keep arrival order). With
//     per-row-group min/max statistics, a filter on a prefix of the sort
//     key then reads only the row groups that can match.
//   - 'parquet.compression': 'zstd' (default), 'snappy', 'gzip' or 'none'.
//   - 'parquet.row-group-rows': the most rows of a row group (default
//     122880, DuckDB's). Smaller row groups skip more finely.
//
// Parquet files carry min/max/null-count statistics for every column of
// every row group and the sort order as the row groups' sorting_columns.
// CSV files are what `sqlstream query --format csv` prints: a header, RFC
// 4180 quoting, NULL as an empty field (so NULL and ” read back alike).
//
// The input must be append-only: a file cannot apply an update or a
// delete, so a +U/-U/-D row is an error (CheckAppendOnly is the plan-time
// form of the check).
//
// # Epochs and crashes
//
// The sink is an exec.EpochSink. Deliver(epoch, batches) writes one file
// per partition directory, part-<epoch>-<n>.<ext> (epoch zero-padded to
// ten digits, n numbering the epoch's partitions in directory order),
// first as .tmp-part-...<ext>.inprogress, synced, then renamed into place;
// the directories are synced; last, the marker file path/_sqlstream_epochs
// is replaced atomically (written to a temporary file, synced, renamed)
// with the epoch's number and its files. LastDelivered reads the marker.
// Opening the sink removes what an interrupted delivery left: every
// temporary file, and the part files of epochs above the marker's (renamed
// before the crash but never recorded; the runner delivers that epoch
// again from its outbox, to the same names). Readers that glob
// **/*.parquet may briefly see an epoch's files before its marker.
//
// Without a checkpoint store, the sink is used as a plain stream: Push
// keeps the batches, Barrier(e) delivers them as epoch LastDelivered+e
// (LastDelivered as found when opened, so a second run appends after the
// first), and Close delivers the rest. Each epoch makes a file per
// partition, so the checkpoint interval sets the file size.
package file
