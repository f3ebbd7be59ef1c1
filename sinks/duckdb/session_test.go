package duckdb

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

func openSessionStore(t *testing.T) (*Store, *ReadSession) {
	t.Helper()
	st, err := Open(":memory:", Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rs, err := st.OpenReadSession(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rs.Close() })
	return st, rs
}

// count runs a one-value BIGINT query.
func count(t *testing.T, rs *ReadSession, q string) int64 {
	t.Helper()
	rd, err := rs.Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Release()
	if !rd.Next() {
		t.Fatalf("%s: no rows (%v)", q, rd.Err())
	}
	return rd.RecordBatch().Column(0).(*array.Int64).Value(0)
}

// TestReadSessionSnapshot: inside Begin/Commit a session reads one
// snapshot while the store commits; outside it reads the latest commit.
func TestReadSessionSnapshot(t *testing.T) {
	st, rs := openSessionStore(t)
	ctx := context.Background()
	if err := st.exec("CREATE TABLE a (x BIGINT); CREATE TABLE b (x BIGINT); INSERT INTO a VALUES (1); INSERT INTO b VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	if err := rs.Begin(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, rs, "SELECT count(*)::BIGINT FROM a"); n != 1 {
		t.Fatalf("a has %d rows", n)
	}
	if err := st.inTx(func() error { return st.exec("INSERT INTO a VALUES (2); INSERT INTO b VALUES (2)") }); err != nil {
		t.Fatal(err)
	}
	if n := count(t, rs, "SELECT count(*)::BIGINT FROM b"); n != 1 {
		t.Errorf("in the transaction b has %d rows, want the snapshot's 1", n)
	}
	if err := rs.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, rs, "SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b)"); n != 4 {
		t.Errorf("after commit a+b = %d rows, want 4", n)
	}
}

// TestReadSessionDescribe: Describe reports the Arrow types Query returns.
func TestReadSessionDescribe(t *testing.T) {
	st, rs := openSessionStore(t)
	ctx := context.Background()
	cols := "a BOOLEAN, b TINYINT, c SMALLINT, d INTEGER, e BIGINT, f UTINYINT, g USMALLINT, h UINTEGER, i UBIGINT, " +
		"j FLOAT, k DOUBLE, l DECIMAL(18,2), m DECIMAL(38,10), n HUGEINT, o VARCHAR, p BLOB, q DATE, r TIME, " +
		"s TIMESTAMP, u TIMESTAMP_MS, v TIMESTAMP_S, w TIMESTAMP_NS, x INTERVAL, y UUID, z INTEGER[]"
	if err := st.exec("CREATE TABLE t (" + cols + ")"); err != nil {
		t.Fatal(err)
	}
	q := "SELECT * FROM t WHERE e = $1 AND o = $2"
	schema, params, err := rs.Describe(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(params) != 2 || !arrow.TypeEqual(params[0], arrow.PrimitiveTypes.Int64) || !arrow.TypeEqual(params[1], arrow.BinaryTypes.String) {
		t.Errorf("params = %v", params)
	}
	// A parameter sent as text (as JDBC and psql do) is cast to its type.
	if err := st.exec("INSERT INTO t (e, o) VALUES (7, 'x')"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, rs, "SELECT count(*)::BIGINT FROM t WHERE e = 7"); n != 1 {
		t.Fatalf("%d rows", n)
	}
	rd, err := rs.Query(ctx, q, "7", "x")
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Release()
	got := rd.Schema()
	rows := 0
	for rd.Next() {
		rows += int(rd.RecordBatch().NumRows())
	}
	if rows != 1 {
		t.Errorf("text parameter '7' for a BIGINT: %d rows (%v)", rows, rd.Err())
	}
	for i, f := range schema.Fields() {
		want := got.Field(i).Type
		if f.Name == "z" { // a LIST: described as text
			want = arrow.BinaryTypes.String
		}
		if !arrow.TypeEqual(f.Type, want) {
			t.Errorf("column %s: described %s, query returns %s", f.Name, f.Type, got.Field(i).Type)
		}
	}
	if _, _, err := rs.Describe(ctx, "SELECT $1"); err == nil || !strings.Contains(err.Error(), "cast") {
		t.Errorf("untyped parameter: %v", err)
	}
}

// TestReadSessionIsRead: only SELECT statements are reads.
func TestReadSessionIsRead(t *testing.T) {
	_, rs := openSessionStore(t)
	ctx := context.Background()
	for q, want := range map[string]bool{
		"SELECT 1": true, "WITH x AS (SELECT 1) SELECT * FROM x": true, "VALUES (1)": true, "SHOW TABLES": true,
		"INSERT INTO t VALUES (1)": false, "CREATE TABLE z (a INT)": false, "COPY t TO 'x.csv'": false,
		"ATTACH 'x.db'": false, "PRAGMA threads=1": false, "DELETE FROM t": false,
	} {
		got, err := rs.IsRead(ctx, q)
		if err != nil || got != want {
			t.Errorf("IsRead(%q) = %v, %v; want %v", q, got, err, want)
		}
	}
	if _, err := rs.IsRead(ctx, "SELEC 1"); err == nil {
		t.Errorf("IsRead of a syntax error: no error")
	}
}

// TestReadSessionCancel: cancelling a query's context interrupts DuckDB;
// the session stays usable.
func TestReadSessionCancel(t *testing.T) {
	_, rs := openSessionStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(100 * time.Millisecond)
		cancel()
	}()
	rd, err := rs.Query(ctx, "SELECT sum(hash(i)) FROM range(100000000000) t(i)")
	if err == nil {
		for rd.Next() {
		}
		err = rd.Err()
		rd.Release()
	}
	if err == nil || (!errors.Is(err, context.Canceled) && !strings.Contains(err.Error(), "nterrupt")) {
		t.Fatalf("cancelled query: %v", err)
	}
	if n := count(t, rs, "SELECT 42::BIGINT"); n != 42 {
		t.Errorf("after cancel: %d", n)
	}
}
