package file

import (
	"bufio"
	"io"
	"unicode"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sqlstream/sqlstream/sinks/render"
)

// writeCSV writes rec to w as `sqlstream query --format csv` prints a
// result: a header of the column names, then one line per row ending in
// \n; values as DuckDB renders them (DATE YYYY-MM-DD, TIMESTAMP
// YYYY-MM-DD HH:MM:SS[.fff], DECIMAL with all its digits); NULL an empty
// field; RFC 4180 quoting with Go's encoding/csv rules (a field is quoted
// when it holds a comma, a quote, CR or LF, starts with a space, or is \.).
func writeCSV(w io.Writer, rec arrow.RecordBatch) error {
	bw, ok := w.(*bufio.Writer)
	if !ok {
		bw = bufio.NewWriterSize(w, 256<<10)
	}
	var line, field []byte
	for j, f := range rec.Schema().Fields() {
		if j > 0 {
			line = append(line, ',')
		}
		line = appendCSVField(line, []byte(f.Name))
	}
	line = append(line, '\n')
	if _, err := bw.Write(line); err != nil {
		return err
	}
	cols := render.Columns(rec)
	for i := range int(rec.NumRows()) {
		line = line[:0]
		for j, c := range cols {
			if j > 0 {
				line = append(line, ',')
			}
			if c.IsNull(i) {
				continue
			}
			field = c.AppendText(field[:0], i)
			line = appendCSVField(line, field)
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// appendCSVField appends v, quoted (with quotes doubled) when encoding/csv
// would quote it.
func appendCSVField(dst, v []byte) []byte {
	if !csvNeedsQuotes(v) {
		return append(dst, v...)
	}
	dst = append(dst, '"')
	for _, c := range v {
		if c == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, c)
	}
	return append(dst, '"')
}

// csvNeedsQuotes mirrors encoding/csv's Writer.fieldNeedsQuotes with ','.
func csvNeedsQuotes(v []byte) bool {
	if len(v) == 0 {
		return false
	}
	if len(v) == 2 && v[0] == '\\' && v[1] == '.' {
		return true
	}
	for _, c := range v {
		if c == ',' || c == '"' || c == '\r' || c == '\n' {
			return true
		}
	}
	r, _ := utf8.DecodeRune(v)
	return unicode.IsSpace(r)
}
