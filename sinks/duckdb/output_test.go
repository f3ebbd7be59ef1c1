package duckdb

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
)

// TestOutput runs testdata/output: `sql` runs statements on a database
// file through a Store (then closes it); `query format=...` reads the file
// with Query and prints the result with Result.Write.
func TestOutput(t *testing.T) {
	datadriven.Walk(t, "testdata/output", func(t *testing.T, path string) {
		db := filepath.Join(t.TempDir(), "out.duckdb")
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			switch d.Cmd {
			case "sql":
				s, err := Open(db, Options{})
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				for _, stmt := range strings.Split(d.Input, ";\n") {
					if strings.TrimSpace(stmt) == "" {
						continue
					}
					if err := s.exec(stmt); err != nil {
						return "error: " + err.Error()
					}
				}
				return ""
			case "query":
				format := "table"
				if d.HasArg("format") {
					d.ScanArgs(t, "format", &format)
				}
				f, err := ParseFormat(format)
				if err != nil {
					return "error: " + err.Error()
				}
				res, err := Query(context.Background(), db, d.Input)
				if err != nil {
					return "error: " + err.Error()
				}
				var b strings.Builder
				if err := res.Write(&b, f); err != nil {
					return "error: " + err.Error()
				}
				return b.String()
			}
			t.Fatalf("unknown command %q", d.Cmd)
			return ""
		})
	})
}
