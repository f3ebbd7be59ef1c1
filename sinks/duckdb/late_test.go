package duckdb

import (
	"strings"
	"testing"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

func lateSource(name string, mode catalog.ChangelogMode) *catalog.Source {
	return &catalog.Source{
		Name: name, Changelog: mode,
		Schema: catalog.Schema{Columns: []catalog.Column{
			{Name: "id", Type: catalog.BigIntType, NotNull: true},
			{Name: "ts", Type: catalog.TimestampType},
		}},
		Watermark: &catalog.Watermark{Column: 1, DelayMs: 1000},
	}
}

func TestLateTable(t *testing.T) {
	s := openMem(t)
	quiet, err := s.Late(lateSource("quiet", catalog.AppendOnly))
	if err != nil {
		t.Fatal(err)
	}
	bids := lateSource("bids", catalog.AppendOnly)
	w, err := s.Late(bids)
	if err != nil {
		t.Fatal(err)
	}
	// Tables exist, empty, before any commit.
	expect(t, queryString(t, s, "SELECT count(*) AS n FROM late_quiet"), "n\n0\n")
	push(t, w, batch(t, exec.LateSchema(bids), nil,
		`[{"id": 1, "ts": "2024-01-01T00:00:01", "_watermark": "2024-01-01T00:00:04"}]`))
	expect(t, queryString(t, s, "SELECT count(*) AS n FROM late_bids"), "n\n0\n")
	if err := s.Commit(1); err != nil {
		t.Fatal(err)
	}
	expect(t, queryString(t, s, "SELECT * FROM late_bids"), "id,ts,_watermark\n1,2024-01-01 00:00:01,2024-01-01 00:00:04\n")
	expect(t, queryString(t, s, "SELECT count(*) AS n FROM late_quiet"), "n\n0\n")
	for _, st := range []exec.Stream{w, quiet} {
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
	}

	// A changelog source's late table has the op too.
	cdc := lateSource("cdc", catalog.Retract)
	w, err = s.Late(cdc)
	if err != nil {
		t.Fatal(err)
	}
	push(t, w, batch(t, exec.LateSchema(cdc), nil,
		`[{"id": 2, "ts": null, "_op": "-D", "_watermark": "2024-01-01T00:00:00"}]`))
	if err := s.Commit(2); err != nil {
		t.Fatal(err)
	}
	expect(t, queryString(t, s, "SELECT * FROM late_cdc"), "id,ts,_op,_watermark\n2,,-D,2024-01-01 00:00:00\n")

	// Re-creating the table (a new run) replaces it.
	if _, err := s.Late(bids); err != nil {
		t.Fatal(err)
	}
	expect(t, queryString(t, s, "SELECT count(*) AS n FROM late_bids"), "n\n0\n")
}

func TestLateTableColumnClash(t *testing.T) {
	s := openMem(t)
	src := lateSource("x", catalog.AppendOnly)
	src.Schema.Columns[0].Name = "_Watermark"
	if _, err := s.Late(src); err == nil || !strings.Contains(err.Error(), "late_x: source column _Watermark clashes") {
		t.Fatalf("err = %v", err)
	}
}
