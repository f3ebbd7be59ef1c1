package parser

import (
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pingcap/tidb/pkg/parser/ast"
)

// seedInputs returns the inputs of the golden files.
func seedInputs(t testing.TB) []string {
	paths, err := filepath.Glob("testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, block := range strings.Split(string(b), "\n----\n") {
			// Drop the previous block's expected output and the directive.
			if i := strings.Index(block, "\nparse"); i >= 0 {
				block = block[i:]
			} else if i := strings.Index(block, "\nerror"); i >= 0 {
				block = block[i:]
			}
			if nl := strings.Index(strings.TrimLeft(block, "\n"), "\n"); nl >= 0 {
				out = append(out, strings.TrimLeft(block, "\n")[nl+1:])
			}
		}
	}
	return out
}

var fragments = []string{
	"(", ")", "'", "\"", "`", ";", ",", "=", ".", "--", "/*", "*/", "#", "\n", "\t", " ", "é", "\\",
	"WITH (", "TUMBLE(", "HOP(t, ts, ", "SESSION(", "DESCRIPTOR(", "TABLE ", "FILTER (WHERE ",
	"EMIT ON WINDOW CLOSE", "WATERMARK FOR x AS ", "INTERVAL ", "'5 s'", "PRIMARY KEY", "NOT NULL",
	"SELECT ", "FROM ", "JOIN ", "CREATE ", "SINK ", "AS ", "VALUES (", "INSERT INTO ", "SET ",
}

// mutate applies a few random edits to s.
func mutate(r *rand.Rand, s string) string {
	for n := r.Intn(4) + 1; n > 0; n-- {
		pos := 0
		if len(s) > 0 {
			pos = r.Intn(len(s) + 1)
		}
		switch r.Intn(3) {
		case 0: // delete
			end := pos + r.Intn(8)
			if end > len(s) {
				end = len(s)
			}
			s = s[:pos] + s[end:]
		case 1: // insert
			s = s[:pos] + fragments[r.Intn(len(fragments))] + s[pos:]
		default: // truncate
			s = s[:pos]
		}
	}
	return s
}

// TestParseNeverPanics parses random mutations of the golden inputs and
// checks the invariants of results and errors.
func TestParseNeverPanics(t *testing.T) {
	seeds := seedInputs(t)
	if len(seeds) < 10 {
		t.Fatalf("only %d seed inputs", len(seeds))
	}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 4000; i++ {
		checkParse(t, mutate(r, seeds[r.Intn(len(seeds))]))
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range seedInputs(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkParse(t, s) })
}

func checkParse(t *testing.T, text string) {
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("Parse panicked: %v\ninput:\n%s", r, text)
		}
	}()
	f, err := Parse("fuzz.sql", text)
	if f == nil {
		t.Fatalf("nil File for input:\n%s", text)
	}
	if err != nil {
		checkErrors(t, text, err)
	}
	for _, st := range f.Statements {
		sp := st.Span()
		if sp.Start < 0 || sp.End > len(text) || sp.Start >= sp.End {
			t.Fatalf("bad span %v for input:\n%s", sp, text)
		}
		for _, q := range queries(st) {
			checkQuery(t, text, q)
		}
	}
}

func checkErrors(t *testing.T, text string, err error) {
	var list ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("error %T is not a non-empty ErrorList: %v", err, err)
	}
	for _, e := range list {
		if e.Line < 1 || e.Col < 1 || e.Offset < 0 || e.Offset > len(text) || e.Msg == "" {
			t.Fatalf("bad error %+v for input:\n%s", e, text)
		}
		_ = e.Error()
	}
}

func queries(st Statement) []*Query {
	switch s := st.(type) {
	case *CreateView:
		return []*Query{s.Query}
	case *CreateSink:
		if s.Query != nil {
			return []*Query{s.Query}
		}
	case *Insert:
		if s.Query != nil {
			return []*Query{s.Query}
		}
	}
	return nil
}

// checkQuery: Text is the file text with some bytes blanked, and every
// name node locates inside the query.
func checkQuery(t *testing.T, text string, q *Query) {
	if q.Offset+len(q.Text) > len(text) {
		t.Fatalf("query text overruns the file:\n%s", text)
	}
	for i := 0; i < len(q.Text); i++ {
		if c := q.Text[i]; c != ' ' && c != text[q.Offset+i] {
			t.Fatalf("query text differs from the file at %d:\n%s", q.Offset+i, text)
		}
	}
	v := &nameVisitor{}
	q.Stmt.Accept(v)
	for _, n := range v.nodes {
		if off := q.Locate(n); off < q.Offset || off >= q.Offset+len(q.Text) {
			t.Fatalf("Locate(%T) = %d outside the query [%d, %d):\n%s", n, off, q.Offset, q.Offset+len(q.Text), text)
		}
	}
}

func TestErrorRendering(t *testing.T) {
	f := &File{Name: "pipeline.sql", Text: "CREATE VIEW v AS\n\tSELECT auction, pricee FROM bid\r\nSELECT 1"}
	off := strings.Index(f.Text, "pricee")
	got := f.Errorf(off, "unknown column %q", "pricee").Error()
	want := "pipeline.sql:2:18: unknown column \"pricee\"\n  \tSELECT auction, pricee FROM bid\n  \t                ^"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if line, col := f.Position(len(f.Text)); line != 3 || col != 9 {
		t.Fatalf("Position(end) = %d:%d, want 3:9", line, col)
	}
	if line, col := f.Position(-5); line != 1 || col != 1 {
		t.Fatalf("Position(-5) = %d:%d, want 1:1", line, col)
	}
}

func TestErrorListUnwrap(t *testing.T) {
	_, err := Parse("p.sql", "CREATE VIEW a AS SELECT FROM;\nCREATE VIEW b AS SELECT 1 +;")
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("want 2 errors, got %v", err)
	}
	var first *Error
	if !errors.As(err, &first) || first.Line != 1 {
		t.Fatalf("errors.As(*Error) = %+v", first)
	}
}

// A Query built by hand (no parser-side locator) still locates by
// TiDB positions and falls back to Offset.
func TestLocateWithoutLocator(t *testing.T) {
	f, err := Parse("p.sql", "CREATE VIEW v AS SELECT price FROM bid")
	if err != nil {
		t.Fatal(err)
	}
	q := f.Statements[0].(*CreateView).Query
	hand := &Query{Stmt: q.Stmt, Text: q.Text, Offset: q.Offset}
	sel := q.Stmt.(*ast.SelectStmt)
	if got, want := hand.Locate(sel.Fields.Fields[0].Expr), strings.Index(f.Text, "price"); got != want {
		t.Fatalf("Locate(price) = %d, want %d", got, want)
	}
	if got, want := hand.Locate(sel.From), q.Offset; got != want {
		t.Fatalf("Locate(FROM clause) = %d, want Offset %d", got, want)
	}
}
