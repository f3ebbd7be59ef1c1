package exec_test

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
)

// recorder keeps references to what it is pushed, to check identity.
type recorder struct {
	exectest.Capture
	recs []arrow.RecordBatch
	cols [][]arrow.Array // columns as pushed (not retained: compare only)
}

func (r *recorder) Push(b exec.Batch) error {
	r.recs = append(r.recs, b.Rec)
	r.cols = append(r.cols, append([]arrow.Array(nil), b.Rec.Columns()...))
	return r.Capture.Push(b)
}

// constBool evaluates to a fixed boolean column.
type constBool struct{ vals []bool }

func (c constBool) Eval(rec arrow.RecordBatch, mem memory.Allocator) (arrow.Array, error) {
	b := array.NewBooleanBuilder(mem)
	defer b.Release()
	b.AppendValues(c.vals, nil)
	return b.NewArray(), nil
}

func parse(t *testing.T, mem memory.Allocator, schema []string, rows string) exec.Batch {
	t.Helper()
	b, err := exectest.ParseBatch(mustSchema(t, schema...), rows, mem)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFilterForwardsWithoutCopy(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := parse(t, mem, []string{"a:bigint"}, "+I 1\n-D 2")
	defer b.Release()
	out := &recorder{}
	f := exec.NewFilter(exec.BoolSelector(constBool{[]bool{true, true}}), out, mem)
	if err := f.Push(b); err != nil {
		t.Fatal(err)
	}
	if len(out.recs) != 1 || out.recs[0] != b.Rec {
		t.Fatalf("an all-pass batch must be forwarded as is")
	}
	f = exec.NewFilter(exec.BoolSelector(constBool{[]bool{false, true}}), out, mem)
	if err := f.Push(b); err != nil {
		t.Fatal(err)
	}
	if got := out.Take(); got != "+I 1\n-D 2\n-D 2\n" {
		t.Fatalf("got %q", got)
	}
	f = exec.NewFilter(exec.BoolSelector(constBool{[]bool{true}}), out, mem)
	if err := f.Push(b); err == nil || !strings.Contains(err.Error(), "1 values for 2 rows") {
		t.Fatalf("a short predicate result must be an error, got %v", err)
	}
}

func TestProjectReusesColumns(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := parse(t, mem, []string{"a:bigint", "s:varchar"}, "+I 1 x\n+U 2 y")
	defer b.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String}, {Name: "a", Type: arrow.PrimitiveTypes.Int64}}, nil)
	out := &recorder{}
	p, err := exec.NewProject(schema, []exec.ProjectColumn{exec.PassColumn(1), exec.PassColumn(0)}, out, mem)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Push(b); err != nil {
		t.Fatal(err)
	}
	if out.cols[0][0] != b.Rec.Column(1) || out.cols[0][1] != b.Rec.Column(0) {
		t.Fatal("column references must share the input arrays")
	}
	if got := out.Take(); got != "+I x 1\n+U y 2\n" {
		t.Fatalf("got %q", got)
	}
	bad, _ := exec.NewProject(schema, []exec.ProjectColumn{exec.PassColumn(0), exec.PassColumn(0)}, out, mem)
	if err := bad.Push(b); err == nil || !strings.Contains(err.Error(), "want 2 of utf8") {
		t.Fatalf("a type mismatch must be an error, got %v", err)
	}
}

func TestFanout(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := parse(t, mem, []string{"a:bigint"}, "+I 1")
	defer b.Release()
	var x, y exectest.Capture
	f := exec.NewFanout(&x, &y)
	for _, err := range []error{f.Push(b), f.Watermark(5), f.Barrier(2), f.Close()} {
		if err != nil {
			t.Fatal(err)
		}
	}
	want := "+I 1\nwatermark '1970-01-01 00:00:00.005'\nbarrier 2\nclose\n"
	if gx, gy := x.Take(), y.Take(); gx != want || gy != want {
		t.Fatalf("got %q and %q, want %q each", gx, gy, want)
	}
}

// TestTakeAllTypes takes rows from sliced arrays of every SQL type.
func TestTakeAllTypes(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	schema := []string{"b:boolean", "i:int", "l:bigint", "d:double", "m:decimal(20,3)", "s:varchar", "dt:date", "ts:timestamp"}
	b := parse(t, mem, schema, `
+I true 1 10 1.5 1.001 one 2024-01-01 '2024-01-01 00:00:00.001'
-U NULL NULL NULL NULL NULL NULL NULL NULL
+U false -2 -20 -2.5 -2.002 'two words' 2024-02-29 '2024-02-29 23:59:59.999'
-D true 3 30 3.5 3.003 '' 1970-01-01 '1970-01-01 00:00:00.000'`)
	defer b.Release()
	sliced := exec.Batch{Rec: b.Rec.NewSlice(1, 4), Ops: b.Ops[1:4]}
	defer sliced.Release()
	got, err := exec.TakeRows(sliced, []int32{2, 0, 1, 2}, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()
	want := `-D true 3 30 3.5 3.003 '' 1970-01-01 '1970-01-01 00:00:00.000'
-U NULL NULL NULL NULL NULL NULL NULL NULL
+U false -2 -20 -2.5 -2.002 'two words' 2024-02-29 '2024-02-29 23:59:59.999'
-D true 3 30 3.5 3.003 '' 1970-01-01 '1970-01-01 00:00:00.000'`
	if s := strings.Join(exectest.FormatBatch(got), "\n"); s != want {
		t.Fatalf("got\n%s\nwant\n%s", s, want)
	}
}

func TestMaxEventTime(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := parse(t, mem, []string{"ts:timestamp"}, "+I 5\n+I NULL\n+I 9\n+I 7")
	defer b.Release()
	if m, ok, err := exec.MaxEventTime(b.Rec.Column(0)); err != nil || !ok || m != 9 {
		t.Fatalf("max = %d, %v, %v", m, ok, err)
	}
	n := parse(t, mem, []string{"ts:timestamp"}, "+I NULL")
	defer n.Release()
	if _, ok, _ := exec.MaxEventTime(n.Rec.Column(0)); ok {
		t.Fatal("an all-NULL column has no event time")
	}
}
