package difftest

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

var allTypes = catalog.Schema{Columns: []catalog.Column{
	{Name: "b", Type: catalog.BooleanType}, {Name: "i", Type: catalog.IntType},
	{Name: "bi", Type: catalog.BigIntType}, {Name: "x", Type: catalog.DoubleType},
	{Name: "d", Type: catalog.DecimalType(10, 3)}, {Name: "s", Type: catalog.VarcharType},
	{Name: "dt", Type: catalog.DateType}, {Name: "ts", Type: catalog.TimestampType},
}}

// TestRoundTripThroughDuckDB: rows normalized from Go values, from Arrow
// and from DuckDB after a load are the same strings.
func TestRoundTripThroughDuckDB(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	changes := Gen{Schema: allTypes, NullRate: 0.2}.Changelog(1, 500)
	final, err := Apply(allTypes, changes)
	if err != nil {
		t.Fatal(err)
	}
	final = append(final, Row{true, int32(-1), int64(1) << 62, 1.0 / 3, decimal128.FromI64(-1500), "x y", int32(-1), int64(-1)})
	var fromGo []string
	for _, r := range final {
		fromGo = append(fromGo, FormatRow(allTypes, r))
	}
	ins := make([]Change, len(final))
	for i, r := range final {
		ins[i] = Change{Op: exec.Insert, Row: r}
	}
	b, err := ToBatch(allTypes, ins, mem)
	if err != nil {
		t.Fatal(err)
	}
	c := NewCapture()
	if err := c.Push(b); err != nil {
		t.Fatal(err)
	}
	b.Release()
	if d := Diff(c.Materialized(), fromGo, 5); d != "" {
		t.Fatalf("arrow vs go:\n%s", d)
	}
	db, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Load("t", allTypes, final); err != nil {
		t.Fatal(err)
	}
	got, err := db.Query("SELECT * FROM t")
	if err != nil {
		t.Fatal(err)
	}
	if d := Diff(got, fromGo, 5); d != "" {
		t.Fatalf("duckdb vs go:\n%s", d)
	}
	if !strings.Contains(strings.Join(got, "\n"), "true | -1 | 4611686018427387904 | 0.333333333 | -1.5 | x y | 1969-12-31 | 1969-12-31 23:59:59.999") {
		t.Errorf("normalized row missing from %d rows", len(got))
	}
}

// TestCatchesDifferences: the harness reports what differs and flags
// inconsistent retractions.
func TestCatchesDifferences(t *testing.T) {
	if d := Diff([]string{"a", "a", "b"}, []string{"a", "b", "c"}, 0); !strings.Contains(d, "only in got (operator):\n  a") || !strings.Contains(d, "only in want (DuckDB):\n  c") {
		t.Errorf("diff = %q", d)
	}
	if d := Diff([]string{"b", "a"}, []string{"a", "b"}, 0); d != "" {
		t.Errorf("equal multisets differ: %q", d)
	}
	s := catalog.Schema{Columns: []catalog.Column{{Name: "a", Type: catalog.BigIntType}}}
	if _, err := Apply(s, []Change{{exec.Insert, Row{int64(1)}}, {exec.Delete, Row{int64(2)}}}); err == nil {
		t.Error("Apply accepted a delete of an absent row")
	}
	mem := memory.NewGoAllocator()
	b, err := ToBatch(s, []Change{{exec.Insert, Row{int64(1)}}, {exec.Delete, Row{int64(1)}}, {exec.UpdateBefore, Row{int64(1)}}}, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Release()
	c := NewCapture()
	_ = c.Push(b)
	if c.Err() == nil || c.Ops != [4]int{1, 1, 0, 1} {
		t.Errorf("capture err %v ops %v", c.Err(), c.Ops)
	}
}

// TestChangelogIsConsistent: generated changelogs only retract live rows,
// pair updates, and are deterministic by seed.
func TestChangelogIsConsistent(t *testing.T) {
	g := Gen{Schema: allTypes, Key: []int{2}}
	a, b := g.Changelog(3, 2000), g.Changelog(3, 2000)
	if _, err := Apply(allTypes, a); err != nil {
		t.Fatal(err)
	}
	var ops [4]int
	for i, ch := range a {
		ops[ch.Op]++
		if FormatRow(allTypes, ch.Row) != FormatRow(allTypes, b[i].Row) {
			t.Fatalf("change %d differs between runs with one seed", i)
		}
		if ch.Op == exec.UpdateBefore && (a[i+1].Op != exec.UpdateAfter || a[i+1].Row[2] != ch.Row[2]) {
			t.Fatalf("change %d: -U not followed by a +U of the same key", i)
		}
	}
	for o, n := range ops {
		if n == 0 {
			t.Errorf("no %s change in %v", exec.Op(o), ops)
		}
	}
}
