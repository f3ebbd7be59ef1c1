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
//	decode format=json [header=false] [delimiter=;] [null=NA] [batch=2] [key=id]
//	schema: id bigint not null, price decimal(10,2)
//	<one record per line>
//
// Rows of changelog formats print their op ("row: +U 1 a"); a changelog
// decoder's ignored records are counted at the end.
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
	var keyNames []string
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
		case "key":
			keyNames = a.Vals
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
	for _, k := range keyNames {
		opts.Key = append(opts.Key, schema.Index(k))
	}
	dec, err := New(f, schema, opts, alloc)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	defer dec.Release()
	var out strings.Builder
	flush := func() {
		b := FlushBatch(dec)
		if b.Rec == nil {
			return
		}
		for i, r := range srctest.Rows(b.Rec) {
			if b.Ops != nil {
				r = b.Ops[i].String() + " " + r
			}
			fmt.Fprintf(&out, "row: %s\n", r)
		}
		b.Release()
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
	if c, ok := dec.(ChangelogDecoder); ok && c.Ignored() > 0 {
		fmt.Fprintf(&out, "ignored: %d\n", c.Ignored())
	}
	return out.String()
}
