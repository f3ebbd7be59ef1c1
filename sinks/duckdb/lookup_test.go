package duckdb

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/planner"
	"github.com/sqlstream/sqlstream/planner/scalar"
	"github.com/sqlstream/sqlstream/sinks/render"
)

// initTable creates t with rows given as Go values (nil is NULL).
func initTable(t *testing.T, s *Store, tab *catalog.Table, rows ...[]any) {
	t.Helper()
	init := &planner.TableInit{Table: tab}
	for _, r := range rows {
		var lits []*scalar.Literal
		for i, v := range r {
			lits = append(lits, lit(v, tab.Schema.Columns[i].Type))
		}
		init.Rows = append(init.Rows, lits)
	}
	if err := s.InitTable(init); err != nil {
		t.Fatal(err)
	}
}

// keysOf builds a key batch from JSON rows.
func keysOf(t *testing.T, schema catalog.Schema, rows string) arrow.RecordBatch {
	t.Helper()
	rec, _, err := array.RecordFromJSON(memory.DefaultAllocator, schema.Arrow(), strings.NewReader(rows))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// lookupLines runs one lookup and renders "keyRow: v1 v2 ..." lines, sorted.
func lookupLines(t *testing.T, lt exec.LookupTable, keys arrow.RecordBatch, want *arrow.Schema) string {
	t.Helper()
	defer keys.Release()
	rows, keyRow, err := lt.Lookup(context.Background(), keys)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Release()
	if !rows.Schema().Equal(want) {
		t.Errorf("schema %s, want %s", rows.Schema(), want)
	}
	if len(keyRow) != int(rows.NumRows()) {
		t.Fatalf("%d key rows for %d rows", len(keyRow), rows.NumRows())
	}
	cols := render.Columns(rows)
	var lines []string
	for i := range int(rows.NumRows()) {
		var b strings.Builder
		b.WriteString(string(rune('0' + keyRow[i])))
		b.WriteString(":")
		for _, c := range cols {
			txt, ok := c.Text(i)
			if !ok {
				txt = "NULL"
			}
			b.WriteString(" " + txt)
		}
		lines = append(lines, b.String())
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestLookupBigintKeyAllTypes(t *testing.T) {
	s := openMem(t)
	tab := &catalog.Table{Name: "dim", Schema: allTypes, PrimaryKey: []int{0}}
	initTable(t, s, tab,
		[]any{int64(1), true, int64(-7), 0.5, decimal128.FromI64(-5), "it's", int32(19724), int64(1704164645120)},
		[]any{int64(2), nil, nil, nil, nil, nil, nil, nil},
		[]any{int64(3), false, int64(1), 1.0, decimal128.FromI64(1), "x", int32(0), int64(0)},
	)
	lt, err := s.Lookup(tab, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	defer lt.Close()
	keySchema := catalog.Schema{Columns: []catalog.Column{{Name: "k", Type: catalog.BigIntType}}}
	// Duplicates match twice, NULL and unknown keys match nothing.
	got := lookupLines(t, lt, keysOf(t, keySchema, `[{"k": 2}, {"k": 1}, {"k": null}, {"k": 9}, {"k": 1}]`), allTypes.Arrow())
	expect(t, got, strings.Join([]string{
		"0: 2 NULL NULL NULL NULL NULL NULL NULL",
		"1: 1 true -7 0.5 -0.05 it's 2024-01-02 2024-01-02 03:04:05.12",
		"4: 1 true -7 0.5 -0.05 it's 2024-01-02 2024-01-02 03:04:05.12",
	}, "\n"))
	// No key matches: an empty batch of the table's schema.
	expect(t, lookupLines(t, lt, keysOf(t, keySchema, `[{"k": 42}]`), allTypes.Arrow()), "")
	// Zero keys.
	expect(t, lookupLines(t, lt, keysOf(t, keySchema, `[]`), allTypes.Arrow()), "")
	// An INT key column against the BIGINT table key.
	intKeys := catalog.Schema{Columns: []catalog.Column{{Name: "k", Type: catalog.IntType}}}
	expect(t, lookupLines(t, lt, keysOf(t, intKeys, `[{"k": 3}]`), allTypes.Arrow()),
		"0: 3 false 1 1.0 0.01 x 1970-01-01 1970-01-01 00:00:00")
}

func TestLookupVarcharAndCompositeKeys(t *testing.T) {
	s := openMem(t)
	schema := catalog.Schema{Columns: []catalog.Column{
		{Name: "region", Type: catalog.VarcharType},
		{Name: "branch", Type: catalog.IntType},
		{Name: "name", Type: catalog.VarcharType},
	}}
	tab := &catalog.Table{Name: "Branch Dim", Schema: schema}
	initTable(t, s, tab,
		[]any{"eu", int64(1), "paris"}, []any{"eu", int64(2), "berlin"},
		[]any{"us", int64(1), "nyc"}, []any{nil, int64(1), "nowhere"},
	)
	byRegion, err := s.Lookup(tab, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	defer byRegion.Close()
	vk := catalog.Schema{Columns: []catalog.Column{{Name: "r", Type: catalog.VarcharType}}}
	expect(t, lookupLines(t, byRegion, keysOf(t, vk, `[{"r": "eu"}, {"r": null}, {"r": "us"}, {"r": "EU"}]`), schema.Arrow()),
		"0: eu 1 paris\n0: eu 2 berlin\n2: us 1 nyc")

	composite, err := s.Lookup(tab, []int{1, 0})
	if err != nil {
		t.Fatal(err)
	}
	defer composite.Close()
	ck := catalog.Schema{Columns: []catalog.Column{{Name: "b", Type: catalog.BigIntType}, {Name: "r", Type: catalog.VarcharType}}}
	expect(t, lookupLines(t, composite, keysOf(t, ck, `[{"b": 2, "r": "eu"}, {"b": 1, "r": null}, {"b": 1, "r": "us"}, {"b": 2, "r": "us"}]`), schema.Arrow()),
		"0: eu 2 berlin\n2: us 1 nyc")
}

// TestLookupReadsCommitted: a lookup never sees the store's open write
// transaction, and sees what it commits.
func TestLookupReadsCommitted(t *testing.T) {
	s := openMem(t)
	schema := catalog.Schema{Columns: []catalog.Column{{Name: "id", Type: catalog.BigIntType}, {Name: "v", Type: catalog.VarcharType}}}
	tab := &catalog.Table{Name: "t", Schema: schema}
	initTable(t, s, tab, []any{int64(1), "a"})
	lt, err := s.Lookup(tab, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	defer lt.Close()
	ks := catalog.Schema{Columns: []catalog.Column{{Name: "id", Type: catalog.BigIntType}}}
	if err := s.exec("BEGIN TRANSACTION"); err != nil {
		t.Fatal(err)
	}
	if err := s.exec("INSERT INTO t VALUES (2, 'b')"); err != nil {
		t.Fatal(err)
	}
	expect(t, lookupLines(t, lt, keysOf(t, ks, `[{"id": 1}, {"id": 2}]`), schema.Arrow()), "0: 1 a")
	if err := s.exec("COMMIT"); err != nil {
		t.Fatal(err)
	}
	expect(t, lookupLines(t, lt, keysOf(t, ks, `[{"id": 1}, {"id": 2}]`), schema.Arrow()), "0: 1 a\n1: 2 b")

	// Rows appended through a table writer appear after the commit only.
	w, err := s.TableWriter(tab)
	if err != nil {
		t.Fatal(err)
	}
	push(t, w, batch(t, schema, nil, `[{"id": 3, "v": "c"}]`))
	expect(t, lookupLines(t, lt, keysOf(t, ks, `[{"id": 3}]`), schema.Arrow()), "")
	if err := s.Commit(1); err != nil {
		t.Fatal(err)
	}
	expect(t, lookupLines(t, lt, keysOf(t, ks, `[{"id": 3}]`), schema.Arrow()), "0: 3 c")
}

func TestLookupErrors(t *testing.T) {
	s := openMem(t)
	schema := catalog.Schema{Columns: []catalog.Column{{Name: "id", Type: catalog.BigIntType}}}
	tab := &catalog.Table{Name: "t", Schema: schema}
	if _, err := s.Lookup(tab, nil); err == nil {
		t.Error("no key columns: want an error")
	}
	if _, err := s.Lookup(tab, []int{3}); err == nil {
		t.Error("key out of range: want an error")
	}
	lt, err := s.Lookup(tab, []int{0}) // the table does not exist
	if err != nil {
		t.Fatal(err)
	}
	keys := keysOf(t, schema, `[{"id": 1}]`)
	defer keys.Release()
	if _, _, err := lt.Lookup(context.Background(), keys); err == nil || !strings.Contains(err.Error(), "lookup t") {
		t.Errorf("missing table: got %v", err)
	}
	lt.Close()
	if _, _, err := lt.Lookup(context.Background(), keys); err == nil {
		t.Error("lookup after close: want an error")
	}
}
