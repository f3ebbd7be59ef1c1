// Package sqlsink is the code the 'postgres' and 'mysql' connectors share:
// WITH-option parsing, the netting of an epoch's changelog per key, the
// text encoding of Arrow values (COPY text, SQL literals, lookup keys) and
// its decoding back into Arrow columns, the generic exactly-once sink
// (Sink, over a database-specific Target that writes one epoch in one
// transaction with its marker) and the generic batched lookup table
// (Lookup, over a database-specific Fetcher). It imports no database
// driver and no DuckDB.
package sqlsink
