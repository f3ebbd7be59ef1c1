package duckdb

import (
	"context"
	"fmt"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/planner"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// allTypes is a schema with one column of every storable type.
var allTypes = catalog.Schema{Columns: []catalog.Column{
	{Name: "id", Type: catalog.BigIntType, NotNull: true},
	{Name: "flag", Type: catalog.BooleanType},
	{Name: "n", Type: catalog.IntType},
	{Name: "x", Type: catalog.DoubleType},
	{Name: "amount", Type: catalog.DecimalType(10, 2)},
	{Name: "Name With \"Quote\"", Type: catalog.VarcharType},
	{Name: "day", Type: catalog.DateType},
	{Name: "ts", Type: catalog.TimestampType},
}}

func openMem(t *testing.T) *Store {
	t.Helper()
	s, err := Open("", Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// queryString runs q on the store and renders it as CSV.
func queryString(t *testing.T, s *Store, q string) string {
	t.Helper()
	res, err := s.Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := res.Write(&b, FormatCSV); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func expect(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func lit(v any, typ catalog.Type) *scalar.Literal { return &scalar.Literal{Value: v, T: typ} }

func TestInitTableAllTypesAndNulls(t *testing.T) {
	s := openMem(t)
	tab := &catalog.Table{Name: "dim", Schema: allTypes, PrimaryKey: []int{0}}
	cols := allTypes.Columns
	row1 := []*scalar.Literal{
		lit(int64(1), cols[0].Type), lit(true, cols[1].Type), lit(int64(-7), cols[2].Type),
		lit(0.1, cols[3].Type), lit(decimal128.FromI64(-5), cols[4].Type),
		lit("it's", cols[5].Type), lit(int32(19724), cols[6].Type), lit(int64(1704164645120), cols[7].Type),
	}
	row2 := []*scalar.Literal{lit(int64(2), cols[0].Type)}
	for _, c := range cols[1:] {
		row2 = append(row2, lit(nil, c.Type))
	}
	if err := s.InitTable(&planner.TableInit{Table: tab, Rows: [][]*scalar.Literal{row1, row2}}); err != nil {
		t.Fatal(err)
	}
	expect(t, queryString(t, s, "SELECT * FROM dim ORDER BY id"),
		`id,flag,n,x,amount,"Name With ""Quote""",day,ts
1,true,-7,0.1,-0.05,it's,2024-01-02,2024-01-02 03:04:05.12
2,,,,,,,
`)
	expect(t, queryString(t, s, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'dim' ORDER BY ordinal_position"),
		`column_name,data_type
id,BIGINT
flag,BOOLEAN
n,INTEGER
x,DOUBLE
amount,"DECIMAL(10,2)"
"Name With ""Quote""",VARCHAR
day,DATE
ts,TIMESTAMP
`)
	// The primary key is declared.
	dup := [][]*scalar.Literal{row1, row1}
	if err := s.InitTable(&planner.TableInit{Table: tab, Rows: dup}); err == nil {
		t.Fatal("duplicate primary key: want an error")
	}
}

// batch builds a record batch of schema from JSON rows.
func batch(t *testing.T, schema catalog.Schema, ops []exec.Op, rows string) exec.Batch {
	t.Helper()
	rec, _, err := array.RecordFromJSON(memory.DefaultAllocator, schema.Arrow(), strings.NewReader(rows))
	if err != nil {
		t.Fatal(err)
	}
	return exec.Batch{Rec: rec, Ops: ops}
}

// push pushes b and releases the caller's reference, as operators do.
func push(t *testing.T, w exec.Stream, b exec.Batch) {
	t.Helper()
	defer b.Release()
	if err := w.Push(b); err != nil {
		t.Fatal(err)
	}
}

func TestViewWriterCommit(t *testing.T) {
	s := openMem(t)
	w, err := s.ViewWriter(&catalog.View{Name: "mv", Schema: allTypes, Materialized: true})
	if err != nil {
		t.Fatal(err)
	}
	push(t, w, batch(t, allTypes, nil, `[
		{"id": 1, "flag": true, "n": 3, "x": 1.5, "amount": "2.50", "Name With \"Quote\"": "a, b", "day": "2024-01-02", "ts": "2024-01-02T03:04:05.123"},
		{"id": 2}]`))
	push(t, w, batch(t, allTypes, nil, `[{"id": 3, "amount": "-0.01", "ts": "1969-12-31T23:59:59.999"}]`))
	expect(t, queryString(t, s, "SELECT count(*) AS n FROM mv"), "n\n0\n")
	if err := s.Commit(1); err != nil {
		t.Fatal(err)
	}
	expect(t, queryString(t, s, "SELECT * FROM mv ORDER BY id"),
		`id,flag,n,x,amount,"Name With ""Quote""",day,ts
1,true,3,1.5,2.50,"a, b",2024-01-02,2024-01-02 03:04:05.123
2,,,,,,,
3,,,,-0.01,,,1969-12-31 23:59:59.999
`)
	expect(t, queryString(t, s, "SELECT typeof(ts) AS t FROM mv LIMIT 1"), "t\nTIMESTAMP\n")
	// A second commit appends only what was pushed since.
	push(t, w, batch(t, allTypes, nil, `[{"id": 4}]`))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(2); err != nil {
		t.Fatal(err)
	}
	expect(t, queryString(t, s, "SELECT count(*) AS n FROM mv"), "n\n4\n")
	expect(t, queryString(t, s, "SELECT epoch FROM _sqlstream_epochs ORDER BY epoch"), "epoch\n1\n2\n")
	if e, ok, err := s.LastEpoch(); err != nil || !ok || e != 2 {
		t.Errorf("LastEpoch = %d, %v, %v; want 2, true", e, ok, err)
	}
}

func TestViewWriterChangelogByKey(t *testing.T) {
	s := openMem(t)
	schema := catalog.Schema{Columns: []catalog.Column{
		{Name: "k", Type: catalog.VarcharType}, {Name: "v", Type: catalog.BigIntType},
	}}
	w, err := s.ViewWriter(&catalog.View{Name: "agg", Schema: schema, Key: []int{0}, Changelog: catalog.Retract})
	if err != nil {
		t.Fatal(err)
	}
	push(t, w, batch(t, schema, nil, `[{"k": "eu", "v": 10}, {"k": "us", "v": 7}, {"k": null, "v": 1}]`))
	if err := s.Commit(1); err != nil {
		t.Fatal(err)
	}
	U, D, I, A := exec.UpdateBefore, exec.Delete, exec.Insert, exec.UpdateAfter
	push(t, w, batch(t, schema, []exec.Op{U, A, D, I, U, A}, `[
		{"k": "eu", "v": 10}, {"k": "eu", "v": 15}, {"k": "us", "v": 7}, {"k": "jp", "v": 1},
		{"k": null, "v": 1}, {"k": null, "v": 2}]`))
	push(t, w, batch(t, schema, []exec.Op{U, A}, `[{"k": "eu", "v": 15}, {"k": "eu", "v": 16}]`))
	if err := s.Commit(2); err != nil {
		t.Fatal(err)
	}
	expect(t, queryString(t, s, "SELECT * FROM agg ORDER BY k NULLS FIRST"), "k,v\n,2\neu,16\njp,1\n")
}

func TestTableWriterAppends(t *testing.T) {
	s := openMem(t)
	schema := catalog.Schema{Columns: []catalog.Column{{Name: "id", Type: catalog.IntType}, {Name: "s", Type: catalog.VarcharType}}}
	tab := &catalog.Table{Name: "t", Schema: schema}
	row := []*scalar.Literal{lit(int64(1), catalog.IntType), lit("x", catalog.VarcharType)}
	if err := s.InitTable(&planner.TableInit{Table: tab, Rows: [][]*scalar.Literal{row}}); err != nil {
		t.Fatal(err)
	}
	w, err := s.TableWriter(tab)
	if err != nil {
		t.Fatal(err)
	}
	push(t, w, batch(t, schema, nil, `[{"id": 2, "s": "y"}]`))
	if err := s.Commit(1); err != nil {
		t.Fatal(err)
	}
	expect(t, queryString(t, s, "SELECT * FROM t ORDER BY id"), "id,s\n1,x\n2,y\n")
}

func TestErrorsTable(t *testing.T) {
	s := openMem(t)
	if _, err := s.Errors("quiet"); err != nil {
		t.Fatal(err)
	}
	es, err := s.Errors("bids")
	if err != nil {
		t.Fatal(err)
	}
	raw := []byte("{\"a\": \xff}")
	if err := es.BadRecord(exec.BadRecord{Source: "bids", Raw: raw, File: "bids.jsonl", Line: 3, Reason: "invalid JSON"}); err != nil {
		t.Fatal(err)
	}
	raw[0] = 'X' // the sink must have copied it
	expect(t, queryString(t, s, "SELECT count(*) AS n FROM errors_bids"), "n\n0\n")
	if err := s.Commit(1); err != nil {
		t.Fatal(err)
	}
	expect(t, queryString(t, s, "SELECT count(*) AS n FROM errors_quiet"), "n\n0\n")
	expect(t, queryString(t, s, "SELECT source, file, line, reason, raw, received_at IS NOT NULL AS has_time FROM errors_bids"),
		"source,file,line,reason,raw,has_time\nbids,bids.jsonl,3,invalid JSON,\"{\"\"a\"\": \\xFF}\",true\n")
}

func TestQueryReadOnlyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.duckdb")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	schema := catalog.Schema{Columns: []catalog.Column{{Name: "v", Type: catalog.BigIntType}}}
	w, err := s.ViewWriter(&catalog.View{Name: "v", Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	push(t, w, batch(t, schema, nil, `[{"v": 1}, {"v": 2}]`))
	if err := s.Commit(1); err != nil {
		t.Fatal(err)
	}
	// While the store holds the file, a read-only open fails: in the same
	// process (duckdb-go caches the instance with its read-write config)
	// and in another process (DuckDB's file lock).
	_, err = Query(context.Background(), path, "SELECT 1")
	if err == nil || !strings.Contains(err.Error(), "different configuration") {
		t.Errorf("in-process read-only open while writing: got %v", err)
	}
	out, _ := queryInSubprocess(t, path)
	if !strings.Contains(out, "lock") {
		t.Errorf("cross-process read-only open while writing: got %q, want a lock error", out)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	res, err := Query(context.Background(), path, "SELECT sum(v) AS total FROM v")
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Rows[0][0]; got != any(Decimal{Unscaled: decimal128.FromI64(3)}) && got != any(int64(3)) {
		t.Errorf("sum = %#v", got)
	}
	if _, err := Query(context.Background(), path, "CREATE TABLE x (a INT)"); err == nil {
		t.Error("write through Query: want an error")
	}
	if out, err := queryInSubprocess(t, path); err != nil || !strings.Contains(out, "ok") {
		t.Errorf("cross-process read after close: %q, %v", out, err)
	}
}

// queryInSubprocess runs Query on path from another process (this test
// binary re-executed) and returns its output.
func queryInSubprocess(t *testing.T, path string) (string, error) {
	t.Helper()
	cmd := osexec.Command(os.Args[0], "-test.run=^TestHelperQuery$")
	cmd.Env = append(os.Environ(), "SQLSTREAM_HELPER_DB="+path)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestHelperQuery is the subprocess of queryInSubprocess.
func TestHelperQuery(t *testing.T) {
	path := os.Getenv("SQLSTREAM_HELPER_DB")
	if path == "" {
		t.Skip("helper process only")
	}
	if _, err := Query(context.Background(), path, "SELECT 1"); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println("ok")
}
