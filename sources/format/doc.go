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
// JSON is scanned by hand straight into typed column buffers
// (sources/internal/colbuf): no encoding/json, no maps per record.
package format
