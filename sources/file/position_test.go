package file

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/internal/fakesink"
	"github.com/sqlstream/sqlstream/sources/internal/srctest"
)

// readSome opens def (seeking to pos when not nil), reads up to n batches
// (all when n < 0) and returns their rows, the bad records' lines, the
// position after them and whether the source ended.
func readSome(t *testing.T, def *catalog.Source, pos []byte, n int) (rows, bad []string, after []byte, eof bool) {
	t.Helper()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	errs := &fakesink.Errors{}
	src, err := exec.OpenSource(context.Background(), def, exec.SourceEnv{Alloc: alloc, Errors: errs, BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ps := src.(exec.PositionedSource)
	if pos != nil {
		if err := ps.Seek(pos); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; n < 0 || i < n; i++ {
		b, err := src.Next(context.Background())
		if err == io.EOF {
			eof = true
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if b.Rec == nil {
			break // tailing: nothing more yet
		}
		rows = append(rows, srctest.Rows(b.Rec)...)
		b.Release()
	}
	after, err = ps.Position()
	if err != nil {
		t.Fatal(err)
	}
	return rows, errs.Lines(), after, eof
}

// checkResume reads def whole, then for every cut k reads k batches,
// reopens at the position and reads the rest: rows and bad records must
// be the same.
func checkResume(t *testing.T, def *catalog.Source) {
	t.Helper()
	all, allBad, _, _ := readSome(t, def, nil, -1)
	if len(all) < 3 {
		t.Fatalf("test input too small: %q", all)
	}
	for k := 0; k <= len(all); k++ {
		head, headBad, pos, _ := readSome(t, def, nil, k)
		tail, tailBad, _, eof := readSome(t, def, pos, -1)
		if !eof && def.Options.String("bounded", "true") == "true" {
			t.Fatalf("cut %d: the rest did not end", k)
		}
		got := strings.Join(append(head, tail...), "\n")
		if want := strings.Join(all, "\n"); got != want {
			t.Errorf("cut after %d batches:\n%s\nwant:\n%s", k, got, want)
		}
		if got, want := strings.Join(append(headBad, tailBad...), "\n"), strings.Join(allBad, "\n"); got != want {
			t.Errorf("cut after %d batches: bad records\n%s\nwant:\n%s", k, got, want)
		}
	}
}

func TestFilePositionJSON(t *testing.T) {
	more := "\n" + `{"auction": 8, "price": 1}` + "\n" + `{"auction": 9}` + "\r\n" + `{"auction": 10, "price": "x"}` + "\n" + `{"auction": 11}`
	def := testSource(t, "auction bigint not null, price bigint, ts timestamp, amount decimal(6,2)", badJSON+more,
		catalog.Option{Key: "format", Value: "json"})
	checkResume(t, def)
}

func TestFilePositionCSVHeader(t *testing.T) {
	content := "id;name;note\r\n1;a;\"two\nlines\"\r\n\r\n2;;x\nx;b;y\n3;c;\"last\"\n4;d;e\n5;e;f"
	def := testSource(t, "id int not null, note varchar, name varchar", content,
		catalog.Option{Key: "format", Value: "csv"}, catalog.Option{Key: "csv.delimiter", Value: ";"})
	checkResume(t, def)
}

func TestFilePositionCSVNoHeader(t *testing.T) {
	content := "1,a\n2,b\n3,c\n4,d\n5,e\n"
	def := testSource(t, "id int, name varchar", content,
		catalog.Option{Key: "format", Value: "csv"}, catalog.Option{Key: "csv.header", Value: "false"})
	checkResume(t, def)
}

func TestFilePositionTail(t *testing.T) {
	// A tailed file's unterminated last line is read again after a Seek,
	// once it is complete.
	def := testSource(t, "id int", `{"id": 1}`+"\n"+`{"id": 2}`+"\n"+`{"id": 3`,
		catalog.Option{Key: "format", Value: "json"}, catalog.Option{Key: "bounded", Value: "false"})
	rows, _, pos, _ := readSome(t, def, nil, -1)
	if strings.Join(rows, ",") != "1,2" {
		t.Fatalf("rows %q, want 1 and 2", rows)
	}
	f, err := os.OpenFile(def.Options[0].Value, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("}\n" + `{"id": 4}` + "\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	rows, _, _, _ = readSome(t, def, pos, -1)
	if strings.Join(rows, ",") != "3,4" {
		t.Errorf("rows after seek %q, want 3 and 4", rows)
	}
}

func TestFilePositionErrors(t *testing.T) {
	def := testSource(t, "id int", `{"id": 1}`+"\n", catalog.Option{Key: "format", Value: "json"})
	src, err := exec.OpenSource(context.Background(), def, exec.SourceEnv{Alloc: memory.DefaultAllocator})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ps := src.(exec.PositionedSource)
	far, _ := (&Source{off: 1000, line: 10}).Position()
	if err := ps.Seek(far); err == nil || !strings.Contains(err.Error(), "replaced or truncated") {
		t.Errorf("seek past the end: %v", err)
	}
	if err := ps.Seek([]byte{9, 9}); err == nil || !strings.Contains(err.Error(), "bad position") {
		t.Errorf("seek to garbage: %v", err)
	}
}
