package postgres

import (
	"io"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sinks/sqlsink"
)

// copyChunk is how many bytes of COPY text a copyReader encodes at a time.
const copyChunk = 256 << 10

// copyReader streams rows of an epoch's batches as COPY text: columns
// separated by tabs, rows by newlines. Values are encoded column-typed by
// sqlsink.ValueWriter; nothing is boxed.
type copyReader struct {
	refs    []sqlsink.RowRef
	writers [][]sqlsink.ValueWriter // per batch, per written column
	pos     int                     // next row of refs to encode
	buf     []byte
	off     int
}

// newCopyReader encodes columns cols of rows refs of batches; buf is
// reused scratch.
func newCopyReader(batches []exec.Batch, refs []sqlsink.RowRef, cols []int, types []catalog.Type, buf []byte) (*copyReader, error) {
	r := &copyReader{refs: refs, buf: buf[:0], writers: make([][]sqlsink.ValueWriter, len(batches))}
	for bi, b := range batches {
		ws := make([]sqlsink.ValueWriter, len(cols))
		for j, c := range cols {
			w, err := sqlsink.NewValueWriter(b.Rec.Column(c), types[c], sqlsink.CopyText)
			if err != nil {
				return nil, err
			}
			ws[j] = w
		}
		r.writers[bi] = ws
	}
	return r, nil
}

// Read implements io.Reader.
func (r *copyReader) Read(p []byte) (int, error) {
	for r.off >= len(r.buf) {
		if r.pos >= len(r.refs) {
			return 0, io.EOF
		}
		r.fill()
	}
	n := copy(p, r.buf[r.off:])
	r.off += n
	return n, nil
}

// fill encodes the next rows into buf, about copyChunk bytes.
func (r *copyReader) fill() {
	r.buf, r.off = r.buf[:0], 0
	for r.pos < len(r.refs) && len(r.buf) < copyChunk {
		ref := r.refs[r.pos]
		ws := r.writers[ref.Batch]
		row := int(ref.Row)
		for j := range ws {
			if j > 0 {
				r.buf = append(r.buf, '\t')
			}
			r.buf = ws[j].Append(r.buf, row)
		}
		r.buf = append(r.buf, '\n')
		r.pos++
	}
}
