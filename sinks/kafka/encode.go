package kafka

import (
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sinks/render"
)

// encoder turns one epoch's batches into Kafka messages, in order. emit
// receives the message key (nil: no key) and value (nil: a tombstone);
// both are only valid during the call.
type encoder interface {
	encode(batches []exec.Batch, emit func(key, value []byte) error) error
}

// eachRow calls row for every row of batches in order, with the rendered
// columns of its batch and its change kind, until a call fails.
func eachRow(batches []exec.Batch, row func(cols []render.Column, i int, op exec.Op) error) error {
	for _, b := range batches {
		n := b.NumRows()
		if n == 0 {
			continue
		}
		cols := render.Columns(b.Rec)
		for i := range n {
			if err := row(cols, i, b.Op(i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// rowJSON writes rows, and the key columns of rows, as JSON objects with
// the values rendered by sinks/render (the encoding the file source's
// decoders read back: TIMESTAMP as 'YYYY-MM-DD HH:MM:SS[.fff]', DECIMAL as
// a number with its exact digits, NULL as null).
type rowJSON struct {
	names [][]byte // `"name":` per column
	key   []int    // key columns; nil when rows have no key
}

func newRowJSON(names []string, key []int) *rowJSON {
	e := &rowJSON{key: key}
	for _, n := range names {
		e.names = append(e.names, append(render.AppendJSONString(nil, n), ':'))
	}
	return e
}

// appendRow appends row i as a JSON object of every column.
func (e *rowJSON) appendRow(dst []byte, cols []render.Column, i int) []byte {
	dst = append(dst, '{')
	for j, c := range cols {
		if j > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, e.names[j]...)
		dst = c.AppendJSON(dst, i)
	}
	return append(dst, '}')
}

// appendKey appends row i's key columns as a JSON object ({} for the
// empty key of a single-row result). It returns dst unchanged when rows
// have no key.
func (e *rowJSON) appendKey(dst []byte, cols []render.Column, i int) []byte {
	if e.key == nil {
		return dst
	}
	dst = append(dst, '{')
	for j, k := range e.key {
		if j > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, e.names[k]...)
		dst = cols[k].AppendJSON(dst, i)
	}
	return append(dst, '}')
}

// keyOf returns row i's key bytes in buf (nil when rows have no key).
func (e *rowJSON) keyOf(buf []byte, cols []render.Column, i int) []byte {
	if e.key == nil {
		return nil
	}
	return e.appendKey(buf[:0], cols, i)
}
