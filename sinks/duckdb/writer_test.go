package duckdb

import (
	"strings"
	"testing"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

var (
	opI, opU, opA, opD = exec.Insert, exec.UpdateBefore, exec.UpdateAfter, exec.Delete
	kvSchema           = catalog.Schema{Columns: []catalog.Column{
		{Name: "k", Type: catalog.VarcharType}, {Name: "v", Type: catalog.BigIntType}, {Name: "x", Type: catalog.DoubleType},
	}}
)

func commit(t *testing.T, s *Store, epoch uint64) {
	t.Helper()
	if err := s.Commit(epoch); err != nil {
		t.Fatal(err)
	}
}

func keylessView(t *testing.T, s *Store) exec.Stream {
	t.Helper()
	w, err := s.ViewWriter(&catalog.View{Name: "bag", Schema: kvSchema, Changelog: catalog.Retract})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

const bagQuery = "SELECT k, v, x, count(*) AS n FROM bag GROUP BY ALL ORDER BY ALL NULLS FIRST"

// TestMultisetRetractions: a view without a key is a multiset; each
// commit nets out equal rows and deletes exactly the retracted copies.
func TestMultisetRetractions(t *testing.T) {
	s := openMem(t)
	w := keylessView(t, s)
	push(t, w, batch(t, kvSchema, nil, `[
		{"k": "a", "v": 1, "x": 0.5}, {"k": "a", "v": 1, "x": 0.5}, {"k": "a", "v": 1, "x": 0.5},
		{"k": null, "v": null}, {"k": "b", "v": 2, "x": 1}, {"k": null, "v": 2}]`))
	commit(t, s, 1)
	expect(t, queryString(t, s, bagQuery), "k,v,x,n\n,,,1\n,2,,1\na,1,0.5,3\nb,2,1.0,1\n")

	// Several batches in one commit, an append-only one among them.
	push(t, w, batch(t, kvSchema, []exec.Op{opD, opD, opU, opA, opD, opI}, `[
		{"k": "a", "v": 1, "x": 0.5}, {"k": "a", "v": 1, "x": 0.5},
		{"k": null, "v": null}, {"k": null, "v": 3},
		{"k": "b", "v": 2, "x": 1}, {"k": "b", "v": 2, "x": 1}]`))
	push(t, w, batch(t, kvSchema, nil, `[{"k": "c", "v": 5}, {"k": "d", "v": 1}, {"k": "d", "v": 1}]`))
	push(t, w, batch(t, kvSchema, []exec.Op{opD, opU, opA}, `[
		{"k": "c", "v": 5}, {"k": null, "v": 2}, {"k": null, "v": 2}]`))
	commit(t, s, 2)
	expect(t, queryString(t, s, bagQuery), "k,v,x,n\n,2,,1\n,3,,1\na,1,0.5,1\nb,2,1.0,1\nd,1,,2\n")

	// Retracting what was inserted in the same commit nets to nothing,
	// even when the retraction comes first.
	push(t, w, batch(t, kvSchema, []exec.Op{opD, opI}, `[{"k": "e", "v": 1}, {"k": "e", "v": 1}]`))
	commit(t, s, 3)
	expect(t, queryString(t, s, "SELECT count(*) AS n FROM bag"), "n\n6\n")
}

func TestMultisetRetractionOfMissingRowIsAnError(t *testing.T) {
	for _, tc := range []struct{ name, rows, want string }{
		{"absent", `[{"k": "zz", "v": 9}]`, "{'k': zz, 'v': 9, 'x': NULL} retracted 1 time(s), held 0 time(s)"},
		{"too many", `[{"k": "a", "v": 1, "x": 0.5}, {"k": "a", "v": 1, "x": 0.5}]`, "retracted 2 time(s), held 1 time(s)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openMem(t)
			w := keylessView(t, s)
			push(t, w, batch(t, kvSchema, nil, `[{"k": "a", "v": 1, "x": 0.5}, {"k": "b"}]`))
			commit(t, s, 1)
			ops := []exec.Op{opD, opD}[:strings.Count(tc.rows, "{")]
			push(t, w, batch(t, kvSchema, ops, tc.rows))
			push(t, w, batch(t, kvSchema, nil, `[{"k": "new"}]`))
			err := s.Commit(2)
			if err == nil || !strings.Contains(err.Error(), "view bag: retraction of a row the view does not hold") || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error naming the view and %q", err, tc.want)
			}
			// The failed commit changed nothing.
			expect(t, queryString(t, s, bagQuery), "k,v,x,n\na,1,0.5,1\nb,,,1\n")
		})
	}
}

// TestKeyedChangelogCases re-checks the upsert-by-key path: chains of
// updates of one key within a commit, +I after -D, -D after +I, NULLs in
// composite keys and in values, deletes of absent keys.
func TestKeyedChangelogCases(t *testing.T) {
	s := openMem(t)
	schema := catalog.Schema{Columns: []catalog.Column{
		{Name: "r", Type: catalog.VarcharType}, {Name: "b", Type: catalog.IntType}, {Name: "v", Type: catalog.BigIntType},
	}}
	w, err := s.ViewWriter(&catalog.View{Name: "kv", Schema: schema, Key: []int{0, 1}, Changelog: catalog.Retract})
	if err != nil {
		t.Fatal(err)
	}
	push(t, w, batch(t, schema, nil, `[
		{"r": "eu", "b": 1, "v": 10}, {"r": "eu", "b": null, "v": 5}, {"r": null, "b": null, "v": 1}, {"r": "us", "b": 1, "v": 7}]`))
	commit(t, s, 1)
	push(t, w, batch(t, schema, []exec.Op{opU, opA, opD, opI, opI}, `[
		{"r": "eu", "b": 1, "v": 10}, {"r": "eu", "b": 1, "v": 11},
		{"r": "us", "b": 1, "v": 7}, {"r": "us", "b": 1, "v": 8},
		{"r": "jp", "b": 1, "v": 1}]`))
	push(t, w, batch(t, schema, []exec.Op{opU, opA, opD, opU, opA, opD, opD}, `[
		{"r": "eu", "b": 1, "v": 11}, {"r": "eu", "b": 1, "v": 12},
		{"r": "jp", "b": 1, "v": 1},
		{"r": null, "b": null, "v": 1}, {"r": null, "b": null, "v": null},
		{"r": "eu", "b": null, "v": 5},
		{"r": "xx", "b": 1, "v": 0}]`))
	commit(t, s, 2)
	expect(t, queryString(t, s, "SELECT * FROM kv ORDER BY ALL NULLS FIRST"), "r,b,v\n,,\neu,1,12\nus,1,8\n")
	// A key that was deleted comes back; an update moves a row to a new key.
	push(t, w, batch(t, schema, []exec.Op{opI, opU, opA}, `[
		{"r": "eu", "b": null, "v": 6}, {"r": "us", "b": 1, "v": 8}, {"r": "us", "b": 2, "v": 8}]`))
	commit(t, s, 3)
	expect(t, queryString(t, s, "SELECT * FROM kv ORDER BY ALL NULLS FIRST"), "r,b,v\n,,\neu,,6\neu,1,12\nus,2,8\n")
}

// TestWriterKeepsOps: producers reuse their Ops slice after Push (the
// hash aggregate does), so the writer must copy it. Here the producer
// overwrites the slice between pushes; the view must still apply the ops
// as they were pushed.
func TestWriterKeepsOps(t *testing.T) {
	s := openMem(t)
	schema := catalog.Schema{Columns: []catalog.Column{{Name: "k", Type: catalog.VarcharType}, {Name: "v", Type: catalog.BigIntType}}}
	w, err := s.ViewWriter(&catalog.View{Name: "kv", Schema: schema, Key: []int{0}, Changelog: catalog.Retract})
	if err != nil {
		t.Fatal(err)
	}
	ops := []exec.Op{opI, opI}
	b1 := batch(t, schema, ops, `[{"k": "a", "v": 1}, {"k": "b", "v": 1}]`)
	push(t, w, b1)
	ops[0], ops[1] = opU, opA
	b2 := batch(t, schema, ops, `[{"k": "a", "v": 1}, {"k": "a", "v": 2}]`)
	push(t, w, b2)
	ops[0], ops[1] = opD, opD // what the producer's next batch would hold
	commit(t, s, 1)
	expect(t, queryString(t, s, "SELECT * FROM kv ORDER BY k"), "k,v\na,2\nb,1\n")
}
