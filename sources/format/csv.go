package format

import (
	"bytes"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sqlstream/sqlstream/sources/internal/colbuf"
)

// csvDecoder decodes RFC 4180 records: fields separated by a delimiter,
// optionally double-quoted with "" as an escaped quote. With a header the
// first record names the fields and columns are matched by name
// (case-insensitive, unknown fields ignored); without one, field k is
// column k. An unquoted field equal to the null string is NULL.
type csvDecoder struct {
	b       *colbuf.Batch
	opts    Options
	header  bool  // waiting for the header record
	mapping []int // field index → column index, -1 to ignore
	nfields int   // fields per record
	buf     []byte
}

var _ Decoder = (*csvDecoder)(nil)

func newCSVDecoder(b *colbuf.Batch, opts Options) *csvDecoder {
	d := &csvDecoder{b: b, opts: opts, header: opts.CSVHeader}
	if !opts.CSVHeader {
		d.nfields = len(b.Cols)
		for i := range b.Cols {
			d.mapping = append(d.mapping, i)
		}
	}
	return d
}

func (d *csvDecoder) Len() int                 { return d.b.Len() }
func (d *csvDecoder) Full() bool               { return d.b.Full() }
func (d *csvDecoder) Flush() arrow.RecordBatch { return d.b.Finish() }
func (d *csvDecoder) Release()                 { d.b.Release() }

// Decode implements Decoder.
func (d *csvDecoder) Decode(rec []byte) error {
	if d.header {
		return d.readHeader(rec)
	}
	n, err := d.fields(rec, d.setField)
	if err == nil && n != d.nfields {
		err = recErr("record has %d fields, expected %d", n, d.nfields)
	}
	if err != nil {
		d.b.Rollback()
		return err
	}
	return commit(d.b)
}

func (d *csvDecoder) readHeader(rec []byte) error {
	_, err := d.fields(rec, func(_ int, f []byte, _ bool) error {
		name := strings.TrimSpace(string(f))
		col := -1
		for i, c := range d.b.Cols {
			if strings.EqualFold(c.Name, name) {
				col = i
				break
			}
		}
		d.mapping = append(d.mapping, col)
		return nil
	})
	if err != nil {
		d.mapping = d.mapping[:0]
		return recErr("bad CSV header: %s", err)
	}
	d.nfields = len(d.mapping)
	d.header = false
	return nil
}

func (d *csvDecoder) setField(k int, f []byte, quoted bool) error {
	if k >= len(d.mapping) || d.mapping[k] < 0 {
		return nil
	}
	c := d.b.Cols[d.mapping[k]]
	if !quoted && string(f) == d.opts.CSVNull {
		c.SetNull()
		return nil
	}
	if err := setText(c, f); err != nil {
		return err
	}
	return nil
}

// fields splits rec and calls fn for each field in order; it returns the
// number of fields.
func (d *csvDecoder) fields(rec []byte, fn func(k int, f []byte, quoted bool) error) (int, error) {
	delim := d.opts.CSVDelimiter
	k, i := 0, 0
	for {
		var f []byte
		quoted := false
		if i < len(rec) && rec[i] == '"' {
			var err error
			f, i, err = d.quotedField(rec, i)
			if err != nil {
				return k, err
			}
			quoted = true
		} else {
			j := bytes.IndexByte(rec[i:], delim)
			if j < 0 {
				j = len(rec) - i
			}
			f = rec[i : i+j]
			if bytes.IndexByte(f, '"') >= 0 {
				return k, recErr("field %d: bare quote in an unquoted field", k+1)
			}
			i += j
		}
		if err := fn(k, f, quoted); err != nil {
			return k, err
		}
		k++
		if i >= len(rec) {
			return k, nil
		}
		i++ // the delimiter
	}
}

// quotedField reads the quoted field at rec[i] == '"' and returns its
// content and the index after the closing quote.
func (d *csvDecoder) quotedField(rec []byte, i int) ([]byte, int, error) {
	d.buf = d.buf[:0]
	i++
	for {
		j := bytes.IndexByte(rec[i:], '"')
		if j < 0 {
			return nil, len(rec), recErr("unterminated quoted field starting at byte %d", i)
		}
		d.buf = append(d.buf, rec[i:i+j]...)
		i += j + 1
		if i < len(rec) && rec[i] == '"' {
			d.buf = append(d.buf, '"')
			i++
			continue
		}
		if i < len(rec) && rec[i] != d.opts.CSVDelimiter {
			return nil, i, recErr("unexpected %s after a quoted field at byte %d", describeByte(rec[i]), i+1)
		}
		return d.buf, i, nil
	}
}
