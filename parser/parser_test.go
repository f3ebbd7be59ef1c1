package parser

import (
	"errors"
	"testing"

	"github.com/cockroachdb/datadriven"
)

// TestParse runs the golden files in testdata/. Directives:
//
//	parse [name=file.sql]   dump of the statements, then the error if any
//	error [name=file.sql]   the rendered error only; fails if there is none
func TestParse(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			name := "pipeline.sql"
			if d.HasArg("name") {
				d.ScanArgs(t, "name", &name)
			}
			f, err := Parse(name, d.Input)
			switch d.Cmd {
			case "parse":
				out := dumpFile(f)
				if err != nil {
					out += "error:\n" + err.Error() + "\n"
				}
				return out
			case "error":
				if err == nil {
					t.Fatalf("%s: expected an error, got\n%s", d.Pos, dumpFile(f))
				}
				var pe *Error
				if !errors.As(err, &pe) {
					t.Fatalf("%s: error %T is not a *parser.Error", d.Pos, err)
				}
				return err.Error() + "\n"
			}
			t.Fatalf("%s: unknown directive %q", d.Pos, d.Cmd)
			return ""
		})
	})
}
