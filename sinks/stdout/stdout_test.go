package stdout

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/cockroachdb/datadriven"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

var schema = catalog.Schema{Columns: []catalog.Column{
	{Name: "id", Type: catalog.BigIntType},
	{Name: "ok", Type: catalog.BooleanType},
	{Name: "n", Type: catalog.IntType},
	{Name: "x", Type: catalog.DoubleType},
	{Name: "amount", Type: catalog.DecimalType(10, 2)},
	{Name: "name", Type: catalog.VarcharType},
	{Name: "day", Type: catalog.DateType},
	{Name: "ts", Type: catalog.TimestampType},
}}

// TestStdout runs testdata/stdout: `push format=... ops=+I,-D,...` takes a
// JSON array of rows of the schema above and prints what the sink writes
// up to the next barrier.
func TestStdout(t *testing.T) {
	datadriven.RunTest(t, "testdata/stdout", func(t *testing.T, d *datadriven.TestData) string {
		if d.Cmd != "push" {
			t.Fatalf("unknown command %q", d.Cmd)
		}
		format := "changelog"
		if d.HasArg("format") {
			d.ScanArgs(t, "format", &format)
		}
		var out strings.Builder
		Output = &out
		def := &catalog.Sink{Name: "s", Connector: "stdout", Options: catalog.Options{{Key: "format", Value: format}}}
		sink, err := exec.OpenSink(context.Background(), def, exec.SinkEnv{Schema: schema.Arrow()})
		if err != nil {
			return "error: " + err.Error()
		}
		rec, _, err := array.RecordFromJSON(memory.DefaultAllocator, schema.Arrow(), strings.NewReader(d.Input))
		if err != nil {
			t.Fatal(err)
		}
		defer rec.Release()
		b := exec.Batch{Rec: rec}
		for _, arg := range d.CmdArgs {
			if arg.Key != "ops" {
				continue
			}
			for _, o := range arg.Vals {
				op, err := exec.ParseOp(o)
				if err != nil {
					t.Fatal(err)
				}
				b.Ops = append(b.Ops, op)
			}
		}
		if err := sink.Push(b); err != nil {
			t.Fatal(err)
		}
		if out.Len() != 0 {
			t.Errorf("output before the barrier: %q", out.String())
		}
		if err := sink.Barrier(1); err != nil {
			t.Fatal(err)
		}
		return out.String()
	})
}
