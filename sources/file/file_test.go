package file

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/internal/fakesink"
	"github.com/sqlstream/sqlstream/sources/internal/srctest"
)

func testSource(t *testing.T, schema, content string, opts ...catalog.Option) *catalog.Source {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "in.txt"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	sch, err := srctest.ParseSchema(schema)
	if err != nil {
		t.Fatal(err)
	}
	o := append(catalog.Options{{Key: "path", Value: filepath.Join(dir, "in.txt")}}, opts...)
	return &catalog.Source{Name: "bid", Schema: sch, Connector: "file", Options: o}
}

// drain reads the source to the end and returns the rendered rows.
func drain(t *testing.T, def *catalog.Source, errs exec.ErrorSink, batch int) ([]string, error) {
	t.Helper()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	src, err := exec.OpenSource(context.Background(), def, exec.SourceEnv{Alloc: alloc, Errors: errs, BatchSize: batch})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var rows []string
	for {
		b, err := src.Next(context.Background())
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		if !b.Rec.Schema().Equal(def.Schema.Arrow()) {
			t.Fatalf("batch schema %s, want %s", b.Rec.Schema(), def.Schema.Arrow())
		}
		rows = append(rows, srctest.Rows(b.Rec)...)
		b.Release()
	}
}

const badJSON = `{"auction": 1, "price": 100, "ts": "2024-01-01 00:00:00", "amount": 1.5}

{"auction": 2, "price": 200
{"auction": 3, "price": "cheap", "ts": "2024-01-01 00:00:01"}
{"price": 400, "ts": "2024-01-01 00:00:02"}
{"auction": 5, "price": 500, "ts": "2024-13-01 00:00:00"}
{"auction": 6, "price": 600, "amount": 12345.678}
{"auction": 7, "price": 700, "ts": 1704067200000, "amount": "-3.14"}
`

func TestFileJSONBadRecords(t *testing.T) {
	def := testSource(t, "auction bigint not null, price bigint, ts timestamp, amount decimal(6,2)", badJSON,
		catalog.Option{Key: "format", Value: "json"})
	errs := &fakesink.Errors{}
	rows, err := drain(t, def, errs, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"1 | 100 | 2024-01-01 00:00:00.000 | 1.50",
		"7 | 700 | 2024-01-01 00:00:00.000 | -3.14",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	path := def.Options[0].Value
	wantErrs := []string{
		path + ":3: line is not valid JSON: unexpected end of input at byte 28",
		path + `:4: column price: expected a number, got string "cheap"`,
		path + ":5: column auction is NOT NULL but missing",
		path + `:6: column ts: expected a timestamp 'YYYY-MM-DD HH:MM:SS[.fff]' or RFC 3339, got "2024-13-01 00:00:00"`,
		path + ":7: column amount: 12345.678 overflows DECIMAL(6,2)",
	}
	if got := errs.Lines(); strings.Join(got, "\n") != strings.Join(wantErrs, "\n") {
		t.Errorf("bad records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantErrs, "\n"))
	}
	for _, r := range errs.Recs {
		if r.Source != "bid" || len(r.Raw) == 0 || r.Raw[0] != '{' {
			t.Errorf("bad record %+v: want source bid and the raw line", r)
		}
	}
}

func TestFileOnErrorFail(t *testing.T) {
	def := testSource(t, "auction bigint not null, price bigint", badJSON,
		catalog.Option{Key: "format", Value: "json"}, catalog.Option{Key: "on_error", Value: "fail"})
	_, err := drain(t, def, &fakesink.Errors{}, 0)
	if err == nil || !strings.Contains(err.Error(), ":3: line is not valid JSON") {
		t.Fatalf("err = %v, want the line-3 decode error", err)
	}
}

func TestFileCSV(t *testing.T) {
	content := "id;name;note\r\n1;a;\"two\nlines\"\r\n\r\n2;;x\nx;b;y\n3;c;\"last\""
	def := testSource(t, "id int not null, note varchar, name varchar", content,
		catalog.Option{Key: "format", Value: "csv"}, catalog.Option{Key: "csv.delimiter", Value: ";"})
	errs := &fakesink.Errors{}
	rows, err := drain(t, def, errs, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := `1 | "two\nlines" | "a"` + "\n" + `2 | "x" | NULL` + "\n" + `3 | "last" | "c"`
	if got := strings.Join(rows, "\n"); got != want {
		t.Errorf("rows:\n%s\nwant:\n%s", got, want)
	}
	if got := errs.Lines(); len(got) != 1 || !strings.HasSuffix(got[0], `:6: column id: expected an integer (INT), got "x"`) {
		t.Errorf("bad records %q", got)
	}
}

func TestFileCheck(t *testing.T) {
	sch := catalog.Schema{Columns: []catalog.Column{{Name: "a", Type: catalog.IntType}}}
	for _, tc := range []struct {
		opts catalog.Options
		want string
	}{
		{catalog.Options{{Key: "format", Value: "json"}}, "option 'path' is required"},
		{catalog.Options{{Key: "path", Value: "x"}}, "option 'format' is required"},
		{catalog.Options{{Key: "path", Value: "x"}, {Key: "format", Value: "xml"}}, `unknown format "xml"`},
		{catalog.Options{{Key: "path", Value: "x"}, {Key: "format", Value: "csv"}, {Key: "csv.delim", Value: ";"}}, "unknown option 'csv.delim'"},
		{catalog.Options{{Key: "path", Value: "x"}, {Key: "format", Value: "csv"}, {Key: "csv.header", Value: "yes"}}, "option 'csv.header' = 'yes'"},
		{catalog.Options{{Key: "path", Value: "x"}, {Key: "format", Value: "json"}, {Key: "on_error", Value: "ignore"}}, "option 'on_error'"},
		{catalog.Options{{Key: "path", Value: "x"}, {Key: "format", Value: "json"}}, ""},
	} {
		err := exec.CheckSource(&catalog.Source{Name: "s", Schema: sch, Connector: "file", Options: tc.opts})
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: unexpected error %v", tc.opts, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%v: error %v, want %q", tc.opts, err, tc.want)
		}
	}
}
