package file

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/internal/fakesink"
	"github.com/sqlstream/sqlstream/sources/internal/srctest"
)

const debeziumFile = `{"before": null, "after": {"customer_id": 1, "name": "ann", "updated_at": 1735689600000}, "op": "r"}
{"schema": {}, "payload": {"before": null, "after": {"customer_id": 2, "name": "bob", "updated_at": "2025-01-01 00:00:01"}, "op": "c"}}
null
{"before": {"customer_id": 1, "name": "ann", "updated_at": 1735689600000}, "after": {"customer_id": 1, "name": "anna", "updated_at": 1735689602000}, "op": "u"}
{"before": null, "after": {"customer_id": 1, "name": "anna"}, "op": "u"}
{"before": {"customer_id": 2, "name": "bob", "updated_at": "2025-01-01 00:00:01"}, "after": null, "op": "d"}
{"before": null, "after": {"customer_id": 3}, "op": "t"}
`

// drainOps reads the source to the end and renders each row with its op.
func drainOps(t *testing.T, def *catalog.Source, errs exec.ErrorSink, batch int) []string {
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
			return rows
		}
		if err != nil {
			t.Fatal(err)
		}
		if b.Ops == nil || len(b.Ops) != b.NumRows() {
			t.Fatalf("batch of %d rows has ops %v", b.NumRows(), b.Ops)
		}
		for i, r := range srctest.Rows(b.Rec) {
			rows = append(rows, b.Ops[i].String()+" "+r)
		}
		b.Release()
	}
}

func TestFileDebeziumOps(t *testing.T) {
	def := testSource(t, "customer_id bigint not null, name varchar, updated_at timestamp", debeziumFile,
		catalog.Option{Key: "format", Value: "debezium-json"})
	def.Format = "debezium-json"
	def.PrimaryKey = []int{0}
	for _, batch := range []int{1, 2, 4096} {
		errs := &fakesink.Errors{}
		rows := drainOps(t, def, errs, batch)
		want := []string{
			`+I 1 | "ann" | 2025-01-01 00:00:00.000`,
			`+I 2 | "bob" | 2025-01-01 00:00:01.000`,
			`-U 1 | "ann" | 2025-01-01 00:00:00.000`,
			`+U 1 | "anna" | 2025-01-01 00:00:02.000`,
			`-D 2 | "bob" | 2025-01-01 00:00:01.000`,
		}
		if got := strings.Join(rows, "\n"); got != strings.Join(want, "\n") {
			t.Errorf("batch %d rows:\n%s\nwant:\n%s", batch, got, strings.Join(want, "\n"))
		}
		path := def.Options[0].Value
		wantErrs := []string{
			path + ":5: debezium update without before image (set REPLICA IDENTITY FULL)",
			path + `:7: debezium op "t" is not one of c, r, u, d`,
		}
		if got := errs.Lines(); strings.Join(got, "\n") != strings.Join(wantErrs, "\n") {
			t.Errorf("batch %d bad records:\n%s\nwant:\n%s", batch, strings.Join(got, "\n"), strings.Join(wantErrs, "\n"))
		}
	}
}

func TestFileUpsertNeedsKey(t *testing.T) {
	def := testSource(t, "id bigint not null", `{"id": 1}`, catalog.Option{Key: "format", Value: "upsert-json"})
	err := exec.CheckSource(def)
	if err == nil || !strings.Contains(err.Error(), "needs a PRIMARY KEY") {
		t.Fatalf("err = %v, want the missing key error", err)
	}
	def.PrimaryKey = []int{0}
	if err := exec.CheckSource(def); err != nil {
		t.Fatal(err)
	}
}
