package file

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
)

// schema parses "name:type, ..." (exectest syntax).
func schema(t *testing.T, cols string) catalog.Schema {
	t.Helper()
	var parts []string
	depth, start := 0, 0
	for i, c := range cols {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, cols[start:i])
				start = i + 1
			}
		}
	}
	s, err := exectest.ParseSchema(append(parts, cols[start:]))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// batch parses changelog rows (exectest syntax); the test releases it at
// cleanup.
func batch(t *testing.T, mem memory.Allocator, s catalog.Schema, rows string) exec.Batch {
	t.Helper()
	b, err := exectest.ParseBatch(s, rows, mem)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Release)
	return b
}

// sinkDef is a file sink definition over s with options.
func sinkDef(s catalog.Schema, opts ...string) *catalog.Sink {
	def := &catalog.Sink{Name: "lake", Schema: s, Connector: "file"}
	for i := 0; i+1 < len(opts); i += 2 {
		def.Options = append(def.Options, catalog.Option{Key: opts[i], Value: opts[i+1]})
	}
	return def
}

// openSink opens a file sink on def with a checked allocator.
func openSink(t *testing.T, def *catalog.Sink, dir string) (*Sink, *memory.CheckedAllocator) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	cfg, err := ParseConfig(def, dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(cfg, mem)
	if err != nil {
		t.Fatal(err)
	}
	return s, mem
}

// deliver delivers batches as epoch e and fails the test on error.
func deliver(t *testing.T, s *Sink, e uint64, bs ...exec.Batch) {
	t.Helper()
	if err := s.Deliver(context.Background(), e, bs); err != nil {
		t.Fatal(err)
	}
}

// listFiles lists the regular files under dir, relative, slash-separated,
// sorted.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !info.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// readParquet reads a whole Parquet file back as one record and returns
// its rows in exectest syntax, with the file's Arrow schema.
func readParquet(t *testing.T, path string) ([]string, *arrow.Schema) {
	t.Helper()
	mem := memory.NewGoAllocator()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tbl, err := pqarrow.ReadTable(context.Background(), f, nil, pqarrow.ArrowReadProperties{}, mem)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	defer tbl.Release()
	tr := array.NewTableReader(tbl, 1<<20)
	defer tr.Release()
	var rows []string
	for tr.Next() {
		rows = append(rows, exectest.FormatBatch(exec.Batch{Rec: tr.RecordBatch()})...)
	}
	return rows, tbl.Schema()
}

// openParquet opens a Parquet file's reader for its metadata.
func openParquet(t *testing.T, path string) *file.Reader {
	t.Helper()
	r, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// lines splits rows text into trimmed non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func equalLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
