package format

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/cockroachdb/datadriven"

	"github.com/sqlstream/sqlstream/sources/internal/srctest"
)

// TestDecode runs testdata/*: each "decode" command decodes its input lines
// and prints the rows and the bad records with their reasons.
//
//	decode format=json [header=false] [delimiter=;] [null=NA] [batch=2]
//	schema: id bigint not null, price decimal(10,2)
//	<one record per line>
func TestDecode(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			if d.Cmd != "decode" {
				d.Fatalf(t, "unknown command %s", d.Cmd)
			}
			return runDecode(t, d)
		})
	})
}

func runDecode(t *testing.T, d *datadriven.TestData) string {
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	opts := DefaultOptions()
	var f Format
	for _, a := range d.CmdArgs {
		v := strings.Join(a.Vals, ",")
		switch a.Key {
		case "format":
			var err error
			if f, err = ParseFormat(v); err != nil {
				d.Fatalf(t, "%v", err)
			}
		case "header":
			opts.CSVHeader = v == "true"
		case "delimiter":
			opts.CSVDelimiter = v[0]
		case "null":
			opts.CSVNull = v
		case "batch":
			opts.BatchSize, _ = strconv.Atoi(v)
		default:
			d.Fatalf(t, "unknown argument %s", a.Key)
		}
	}
	lines := strings.Split(d.Input, "\n")
	schemaText, ok := strings.CutPrefix(lines[0], "schema:")
	if !ok {
		d.Fatalf(t, "the first input line must be 'schema: ...'")
	}
	schema, err := srctest.ParseSchema(schemaText)
	if err != nil {
		d.Fatalf(t, "%v", err)
	}
	dec, err := New(f, schema, opts, alloc)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	defer dec.Release()
	var out strings.Builder
	flush := func() {
		if rec := dec.Flush(); rec != nil {
			for _, r := range srctest.Rows(rec) {
				fmt.Fprintf(&out, "row: %s\n", r)
			}
			rec.Release()
		}
	}
	for i, line := range lines[1:] {
		if err := dec.Decode([]byte(line)); err != nil {
			fmt.Fprintf(&out, "bad line %d: %s\n", i+1, err)
		}
		if dec.Full() {
			flush()
		}
	}
	flush()
	return out.String()
}
