package duckdb

import (
	"io"

	"github.com/sqlstream/sqlstream/sinks/render"
)

// Format is an output format of Result.Write; see render.Format.
type Format = render.Format

// The output formats of Result.Write (render's, under the names
// `sqlstream query` has always used).
const (
	FormatTable = render.FormatTable
	FormatCSV   = render.FormatCSV
	FormatJSON  = render.FormatJSON
)

// ParseFormat parses "table", "csv" or "json".
func ParseFormat(s string) (Format, error) { return render.ParseFormat(s) }

// Write prints the result in format f.
func (r *Result) Write(w io.Writer, f Format) error { return r.Table().Write(w, f) }

// Table returns the result's rendered cells as a render.Table, which shares
// them with r.
func (r *Result) Table() *render.Table {
	right := make([]bool, len(r.Types))
	for i, t := range r.Types {
		right[i] = render.RightAligned(t)
	}
	return &render.Table{Columns: r.Columns, Right: right, Text: r.text, JSON: r.jsons}
}
