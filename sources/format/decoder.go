package format

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/sources/internal/colbuf"
)

// Format is a record encoding.
type Format uint8

const (
	JSON Format = iota + 1 // one JSON object per record
	CSV                    // one RFC 4180 record per record
	// Changelog formats (see cdc.go): decoders implement ChangelogDecoder.
	DebeziumJSON // Debezium envelope {before, after, op}
	CanalJSON    // Canal flat message {data: [...], old: [...], type}
	MaxwellJSON  // Maxwell {type, data, old}
	UpsertJSON   // plain JSON rows upserted by the PRIMARY KEY; "__op": "d" deletes
)

func (f Format) String() string {
	switch f {
	case JSON:
		return "json"
	case CSV:
		return "csv"
	case DebeziumJSON:
		return "debezium-json"
	case CanalJSON:
		return "canal-json"
	case MaxwellJSON:
		return "maxwell-json"
	case UpsertJSON:
		return "upsert-json"
	}
	return fmt.Sprintf("Format(%d)", f)
}

// ParseFormat maps a `format` option value to a Format.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "json":
		return JSON, nil
	case "csv":
		return CSV, nil
	case "debezium-json":
		return DebeziumJSON, nil
	case "canal-json":
		return CanalJSON, nil
	case "maxwell-json":
		return MaxwellJSON, nil
	case "upsert", "upsert-json":
		return UpsertJSON, nil
	case "":
		return 0, fmt.Errorf("option 'format' is required (json or csv)")
	}
	return 0, fmt.Errorf("unknown format %q (supported: json, csv, debezium-json, canal-json, maxwell-json, upsert-json)", s)
}

// Options configure a decoder. The zero value plus DefaultOptions' CSV
// settings are the defaults.
type Options struct {
	// CSVHeader: the first record is a header and columns are matched by
	// name (case-insensitive); otherwise by position.
	CSVHeader bool
	// CSVDelimiter separates fields (default ',').
	CSVDelimiter byte
	// CSVNull is the unquoted field text that means NULL (default "").
	CSVNull string
	// BatchSize is the number of rows per batch (default 4096).
	BatchSize int
	// Key is the source's PRIMARY KEY (column indexes), required by
	// UpsertJSON: a delete record must carry it.
	Key []int
}

// DefaultOptions are the defaults of the `csv.*` options.
func DefaultOptions() Options {
	return Options{CSVHeader: true, CSVDelimiter: ',', BatchSize: 4096}
}

// Decoder turns records into rows of an Arrow batch of a fixed schema.
//
// Decode decodes one record and appends its row to the pending batch; on a
// bad record it returns a *RecordError and the pending batch is unchanged
// (no partial row). The caller decides whether a bad record is reported or
// fatal. A CSV header record adds no row. Flush hands the pending rows to
// the caller as a RecordBatch it owns. A Decoder is not safe for concurrent
// use; Release frees its buffers.
type Decoder interface {
	Decode(record []byte) error
	// Len is the number of pending rows; Full reports Len() >= batch size.
	Len() int
	Full() bool
	// Flush returns the pending rows, or nil when there are none.
	Flush() arrow.RecordBatch
	Release()
}

// RecordError is a record that could not be decoded. Reason names the
// column at fault where one is.
type RecordError struct {
	Reason string
}

func (e *RecordError) Error() string { return e.Reason }

func recErr(format string, args ...any) *RecordError {
	return &RecordError{Reason: fmt.Sprintf(format, args...)}
}

// New returns a decoder of f for rows of schema.
func New(f Format, schema catalog.Schema, opts Options, alloc memory.Allocator) (Decoder, error) {
	if err := CheckSchema(schema); err != nil {
		return nil, err
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 4096
	}
	if opts.CSVDelimiter == 0 {
		opts.CSVDelimiter = ','
	}
	capacity := opts.BatchSize
	if f.Changelog() {
		capacity = cdcCapacity(opts.BatchSize)
	}
	b := colbuf.New(alloc, schema, capacity)
	switch f {
	case JSON:
		return newJSONDecoder(b), nil
	case CSV:
		return newCSVDecoder(b, opts), nil
	case DebeziumJSON, CanalJSON, MaxwellJSON, UpsertJSON:
		return newChangelogDecoder(f, b, opts)
	}
	b.Release()
	return nil, fmt.Errorf("unknown format %v", f)
}

// CheckSchema reports a column whose type no decoder can produce.
func CheckSchema(schema catalog.Schema) error {
	for _, c := range schema.Columns {
		switch c.Type.ID {
		case catalog.Boolean, catalog.Int, catalog.BigInt, catalog.Double, catalog.Decimal,
			catalog.Varchar, catalog.Date, catalog.Timestamp:
		default:
			return fmt.Errorf("column %s: type %s cannot be decoded from a record", c.Name, c.Type)
		}
	}
	return nil
}

// quote renders an offending value for a reason, shortened if long.
func quote(b []byte) string {
	const max = 40
	if len(b) > max {
		return fmt.Sprintf("%q...", b[:max])
	}
	return fmt.Sprintf("%q", b)
}

// setText parses text (a JSON string's content or a CSV field) into the
// pending value of c.
func setText(c *colbuf.Column, text []byte) *RecordError {
	switch c.Type.ID {
	case catalog.Varchar:
		c.SetBytes(text)
	case catalog.Int, catalog.BigInt:
		bits := 64
		if c.Type.ID == catalog.Int {
			bits = 32
		}
		v, ok := parseInt(text, bits)
		if !ok {
			return recErr("column %s: expected an integer (%s), got %s", c.Name, c.Type, quote(text))
		}
		if bits == 32 {
			c.SetInt32(int32(v))
		} else {
			c.SetInt64(v)
		}
	case catalog.Double:
		v, ok := parseFloat(text)
		if !ok {
			return recErr("column %s: expected a number, got %s", c.Name, quote(text))
		}
		c.SetFloat64(v)
	case catalog.Decimal:
		return setDecimal(c, text)
	case catalog.Boolean:
		v, ok := parseBool(text)
		if !ok {
			return recErr("column %s: expected a boolean, got %s", c.Name, quote(text))
		}
		c.SetBool(v)
	case catalog.Date:
		v, ok := parseDate(text)
		if !ok {
			return recErr("column %s: expected a date 'YYYY-MM-DD', got %s", c.Name, quote(text))
		}
		c.SetInt32(v)
	case catalog.Timestamp:
		v, ok := parseTimestamp(text)
		if !ok {
			return recErr("column %s: expected a timestamp 'YYYY-MM-DD HH:MM:SS[.fff]' or RFC 3339, got %s", c.Name, quote(text))
		}
		c.SetInt64(v)
	}
	return nil
}

func setDecimal(c *colbuf.Column, text []byte) *RecordError {
	v, err := parseDecimal(text, c.Type.Precision, c.Type.Scale)
	if err == errNotNumber {
		return recErr("column %s: expected a decimal number, got %s", c.Name, quote(text))
	}
	if err != nil {
		return recErr("column %s: %s %s", c.Name, text, err)
	}
	c.SetDecimal(v)
	return nil
}

// commit checks NOT NULL columns and commits or rolls back the pending row.
func commit(b *colbuf.Batch) error {
	if c := b.Missing(); c != nil {
		what := "missing"
		if c.PendingNull() {
			what = "null"
		}
		b.Rollback()
		return recErr("column %s is NOT NULL but %s", c.Name, what)
	}
	b.Commit()
	return nil
}
