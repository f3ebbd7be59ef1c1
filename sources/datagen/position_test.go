package datagen

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/internal/srctest"
)

// readPart opens d (seeking to pos when not nil), reads up to n batches
// (all when n < 0) and returns their rows with ops and the position after
// them.
func readPart(t *testing.T, d *catalog.Source, batch int, pos []byte, n int) ([]string, []byte) {
	t.Helper()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	src, err := exec.OpenSource(context.Background(), d, exec.SourceEnv{Alloc: alloc, BatchSize: batch})
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
	var rows []string
	for i := 0; n < 0 || i < n; {
		b, err := src.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if b.Rec == nil {
			continue
		}
		for r, row := range srctest.Rows(b.Rec) {
			rows = append(rows, b.Op(r).String()+" "+row)
		}
		b.Release()
		i++
	}
	after, err := ps.Position()
	if err != nil {
		t.Fatal(err)
	}
	return rows, after
}

func TestDatagenPosition(t *testing.T) {
	for name, d := range map[string]*catalog.Source{
		"sequence": def(t, "seq bigint, ts timestamp", "generator", "sequence", "rows", "1000"),
		"nexmark":  def(t, bidSchema, "generator", "nexmark", "kind", "bid", "rows", "1000", "seed", "7"),
		"banklog":  def(t, bankCommonSchema, "generator", "banklog", "kind", "request", "rows", "300", "seed", "3"),
		"retail":   def(t, retailSchemas["account"], "generator", "retail", "kind", "account", "rows", "500", "seed", "1"),
		"rate":     def(t, "seq bigint", "generator", "sequence", "rows", "300", "rate", "100000"),
	} {
		t.Run(name, func(t *testing.T) {
			all, _ := readPart(t, d, 64, nil, -1)
			if len(all) < 200 {
				t.Fatalf("only %d rows", len(all))
			}
			for _, cut := range []int{0, 1, 3} {
				head, pos := readPart(t, d, 64, nil, cut)
				// The rest is read in other batch sizes: the position
				// does not depend on them.
				tail, _ := readPart(t, d, 37, pos, -1)
				if got, want := strings.Join(append(head, tail...), "\n"), strings.Join(all, "\n"); got != want {
					t.Errorf("cut after %d batches: %d+%d rows differ from the %d of one read", cut, len(head), len(tail), len(all))
				}
			}
			_, end := readPart(t, d, 64, nil, -1)
			if rest, _ := readPart(t, d, 64, end, -1); len(rest) != 0 {
				t.Errorf("seek to the end: %d rows, want none", len(rest))
			}
		})
	}
}

func TestDatagenPositionErrors(t *testing.T) {
	d := def(t, "seq bigint", "generator", "sequence", "rows", "10")
	src, err := exec.OpenSource(context.Background(), d, exec.SourceEnv{Alloc: memory.DefaultAllocator})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ps := src.(exec.PositionedSource)
	if err := ps.Seek([]byte{1, 20}); err == nil || !strings.Contains(err.Error(), "beyond") {
		t.Errorf("seek past the end: %v", err)
	}
	if err := ps.Seek([]byte{7}); err == nil || !strings.Contains(err.Error(), "bad position") {
		t.Errorf("seek to garbage: %v", err)
	}
}
