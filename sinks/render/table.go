package render

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
)

// Format is an output format of Table.Write.
type Format uint8

const (
	// FormatTable is an aligned, psql-like table with a "(N rows)" footer:
	// numbers right-aligned, NULL printed empty (as psql does), newlines and
	// tabs inside values shown as \n and \t so each row stays on one line.
	FormatTable Format = iota
	// FormatCSV is RFC 4180 CSV: a header of the column names, then one
	// line per row; NULL is an empty field.
	FormatCSV
	// FormatJSON is one JSON array of objects, one object per line, keys
	// in column order. NULL is null; integers and DECIMALs are JSON numbers
	// with their exact digits; DOUBLE is a number (nan/inf are null); dates,
	// timestamps and everything else are strings of their text.
	FormatJSON
)

var formatNames = [...]string{FormatTable: "table", FormatCSV: "csv", FormatJSON: "json"}

func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return fmt.Sprintf("Format(%d)", f)
}

// ParseFormat parses "table", "csv" or "json".
func ParseFormat(s string) (Format, error) {
	for i, n := range formatNames {
		if strings.EqualFold(s, n) {
			return Format(i), nil
		}
	}
	return 0, fmt.Errorf("unknown format %q (want table, csv or json)", s)
}

// Table is a query result already rendered to text, the one printer of
// results: `sqlstream query` fills it from a DuckDB result, the shell from
// DuckDB or from a PostgreSQL-protocol server. Every slice is owned by the
// Table's creator and only read by Write.
type Table struct {
	Columns []string
	// Right marks the numeric columns, right-aligned by FormatTable.
	Right []bool
	// Text holds each row's cells as text, "" for NULL.
	Text [][]string
	// JSON holds each row's cells as JSON values, "null" for NULL.
	JSON [][]string
}

// RightAligned reports the numeric types psql right-aligns.
func RightAligned(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
		arrow.FLOAT32, arrow.FLOAT64, arrow.DECIMAL128, arrow.DECIMAL256:
		return true
	}
	return false
}

// Write prints the table in format f.
func (t *Table) Write(w io.Writer, f Format) error {
	bw := bufio.NewWriter(w)
	var err error
	switch f {
	case FormatTable:
		err = t.writeTable(bw)
	case FormatCSV:
		err = t.writeCSV(bw)
	case FormatJSON:
		err = t.writeJSON(bw)
	default:
		err = fmt.Errorf("unknown format %v", f)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

func (t *Table) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Columns); err != nil {
		return err
	}
	for _, row := range t.Text {
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func (t *Table) writeJSON(w *bufio.Writer) error {
	keys := make([][]byte, len(t.Columns))
	for i, c := range t.Columns {
		keys[i] = append(AppendJSONString(nil, c), ':')
	}
	w.WriteString("[")
	for i, row := range t.JSON {
		if i > 0 {
			w.WriteString(",")
		}
		w.WriteString("\n{")
		for j, v := range row {
			if j > 0 {
				w.WriteByte(',')
			}
			w.Write(keys[j])
			w.WriteString(v)
		}
		w.WriteString("}")
	}
	if len(t.JSON) > 0 {
		w.WriteString("\n")
	}
	_, err := w.WriteString("]\n")
	return err
}

func (t *Table) writeTable(w *bufio.Writer) error {
	cells := make([][]string, len(t.Text))
	widths := make([]int, len(t.Columns))
	for j, c := range t.Columns {
		widths[j] = utf8.RuneCountInString(c)
	}
	for i, row := range t.Text {
		cells[i] = make([]string, len(row))
		for j, v := range row {
			cells[i][j] = controlEscaper.Replace(v)
			widths[j] = max(widths[j], utf8.RuneCountInString(cells[i][j]))
		}
	}
	var line strings.Builder
	for j, c := range t.Columns {
		pad := widths[j] - utf8.RuneCountInString(c)
		writeCell(&line, j, c, pad/2, pad-pad/2)
	}
	writeLine(w, &line)
	for j := range t.Columns {
		if j > 0 {
			line.WriteString("+")
		}
		line.WriteString(strings.Repeat("-", widths[j]+2))
	}
	writeLine(w, &line)
	for _, row := range cells {
		for j, v := range row {
			pad := widths[j] - utf8.RuneCountInString(v)
			if j < len(t.Right) && t.Right[j] {
				writeCell(&line, j, v, pad, 0)
			} else {
				writeCell(&line, j, v, 0, pad)
			}
		}
		writeLine(w, &line)
	}
	noun := "rows"
	if len(t.Text) == 1 {
		noun = "row"
	}
	_, err := fmt.Fprintf(w, "(%d %s)\n", len(t.Text), noun)
	return err
}

// controlEscaper keeps table rows on one line.
var controlEscaper = strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`)

// writeCell appends "| v " (no bar before the first column) padded left and
// right.
func writeCell(line *strings.Builder, col int, v string, left, right int) {
	if col > 0 {
		line.WriteString("|")
	}
	line.WriteString(" ")
	line.WriteString(strings.Repeat(" ", left))
	line.WriteString(v)
	line.WriteString(strings.Repeat(" ", right))
	line.WriteString(" ")
}

// writeLine writes the line without trailing spaces, as psql does, and
// resets it.
func writeLine(w *bufio.Writer, line *strings.Builder) {
	w.WriteString(strings.TrimRight(line.String(), " "))
	w.WriteString("\n")
	line.Reset()
}
