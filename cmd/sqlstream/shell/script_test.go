package shell

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/sqlstream/sqlstream/sinks/render"
)

// TestScript runs testdata/script: `script [format=F]` feeds the input to a
// non-interactive shell over the DuckDB fixture (fixture_test.go) and
// prints the transcript, then the error Run returned, if any.
func TestScript(t *testing.T) {
	be := openFixture(t)
	datadriven.RunTest(t, "testdata/script", func(t *testing.T, d *datadriven.TestData) string {
		if d.Cmd != "script" {
			t.Fatalf("unknown command %q", d.Cmd)
		}
		format := "table"
		if d.HasArg("format") {
			d.ScanArgs(t, "format", &format)
		}
		f, err := render.ParseFormat(format)
		if err != nil {
			t.Fatal(err)
		}
		return runScript(t, be, d.Input, f)
	})
}

// runScript runs input as a script and returns the normalized transcript.
func runScript(t *testing.T, be Backend, input string, f render.Format) string {
	t.Helper()
	var out syncBuffer
	err := Run(context.Background(), Options{
		Backend: be, In: strings.NewReader(input), Out: &out, Err: &out, Format: f,
	})
	text := normalize(out.String())
	switch {
	case errors.Is(err, ErrFailed):
		text += "exit: " + err.Error() + "\n"
	case err != nil:
		t.Fatalf("Run: %v", err)
	}
	return text
}
