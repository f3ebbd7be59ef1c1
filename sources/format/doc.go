// Package format owns the record decoders shared by the file connector and
// (later) Kafka: a record is one JSON object or one CSV record, and a
// Decoder appends its row to an Arrow batch of the source's schema.
//
// Decoding follows DESIGN.md §2: TIMESTAMP accepts 'YYYY-MM-DD HH:MM:SS[.fff]',
// RFC 3339 (offsets are converted to UTC) and, in JSON, epoch milliseconds
// as an integer; DATE is 'YYYY-MM-DD'; DECIMAL accepts a JSON number or a
// numeric string, parsed exactly and rounded half away from zero to the
// scale, and a value wider than the precision is an error. A missing field
// (or JSON null, or the CSV null string) is NULL unless the column is NOT
// NULL, which is an error; a JSON value of the wrong kind (a string for a
// BIGINT, a number for a VARCHAR) is an error. Errors are *RecordError
// whose Reason names the column and the value, or the byte position of
// invalid JSON; a record in error leaves no partial row behind.
//
// Changelog (CDC) formats decode each record into rows with ops (see
// ChangelogDecoder and FlushBatch); values inside the images follow the
// json rules above, and a record in error adds none of its rows:
//
//   - debezium-json: the bare envelope {before, after, op, ...} or the
//     {schema, payload} wrapper. op c and r → +I after; u → -U before,
//     +U after; d → -D before. An update or delete without a before image
//     is an error ("set REPLICA IDENTITY FULL"), as is an unknown op or a
//     missing op. A `null` record or a null payload (a Kafka tombstone) is
//     ignored and counted (Ignored). Timestamps must be epoch milliseconds
//     or strings (Debezium's time.precision.mode=connect, or
//     adaptive_time_microseconds is not read as microseconds) and decimals
//     numbers or strings (decimal.handling.mode=string or double; the
//     default base64 bytes are an error).
//   - canal-json: {data: [...], old: [...], type, isDdl}: INSERT → +I per
//     row; UPDATE → per row k, -U (data[k] overlaid with old[k]) then +U
//     data[k]; DELETE → -D per row. Numbers and booleans may be quoted
//     strings (Canal quotes every value). DDL messages (isDdl true) and
//     messages without rows are ignored and counted. One message may hold
//     up to max(batch, 4096) rows.
//   - maxwell-json: {type, data: {...}, old: {...}}: insert and
//     bootstrap-insert → +I data; update → -U (data overlaid with old) then
//     +U data; delete → -D data. DDL and bootstrap-start/-complete records
//     are ignored and counted; other types are errors.
//   - upsert-json (alias upsert): plain JSON rows keyed by the source's
//     PRIMARY KEY. Every record is +U (insert or replace the row of its
//     key), unless it has the reserved field "__op": "d", which makes it a
//     -D of its key: a delete needs only the key fields (others may be
//     absent and are NULL in the -D row, even if NOT NULL). Any other
//     "__op" value is an error; a `null` record is ignored and counted.
//     The planner puts a normalize operator (exec/normalize.go) above an
//     upsert source, which turns the stream into +I/-U/+U/-D with full old
//     rows; the three formats above carry before-images and need none.
//
// JSON is scanned by hand straight into typed column buffers
// (sources/internal/colbuf): no encoding/json, no maps per record.
package format
