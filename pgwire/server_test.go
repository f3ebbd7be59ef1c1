package pgwire

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

func connect(t *testing.T, addr, password string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn(addr, password))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func dsn(addr, password string) string {
	host, port, _ := strings.Cut(addr, ":")
	s := fmt.Sprintf("host=%s port=%s user=alice dbname=x sslmode=prefer", host, port)
	if password != "" {
		s += " password=" + password
	}
	return s
}

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// TestTypes reads every mapped type through the extended protocol
// (binary results) and the simple protocol (text results).
func TestTypes(t *testing.T) {
	_, addr := startServer(t, Config{Backend: newFake()})
	conn := connect(t, addr, "")
	ctx := context.Background()
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeSimpleProtocol} {
		rows, err := conn.Query(ctx, "SELECT types", mode)
		if err != nil {
			t.Fatal(err)
		}
		var got [][]any
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, vals)
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%v: %v", mode, err)
		}
		ts := time.Date(2024, 3, 1, 10, 20, 30, 123e6, time.UTC)
		want := fmt.Sprint([]any{true, int16(-7), int32(123456), int64(1 << 40), 2.5, "-12.50", "héllo", []byte{0, 1, 255},
			time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), ts, ts, pgtype.Interval{Months: 1, Days: 2, Microseconds: 3e6, Valid: true}, "[1,2]"})
		row := got[0]
		row[5] = numericText(t, row[5])
		for i, v := range row {
			if tm, ok := v.(time.Time); ok {
				row[i] = tm.UTC() // pgx returns timestamptz in the local zone
			}
		}
		if s := fmt.Sprint(row); s != want {
			t.Errorf("%v: row\n got %s\nwant %s", mode, s, want)
		}
		for i, v := range got[1] {
			if v != nil {
				t.Errorf("%v: column %d of the NULL row = %v", mode, i, v)
			}
		}
		oids := []uint32{oidBool, oidInt2, oidInt4, oidInt8, oidFloat8, oidNumeric, oidText, oidBytea, oidDate, oidTimestamp, oidTimestamptz, oidInterval, oidText}
		for i, fd := range rows.FieldDescriptions() {
			if fd.DataTypeOID != oids[i] {
				t.Errorf("%v: column %s OID %d, want %d", mode, fd.Name, fd.DataTypeOID, oids[i])
			}
		}
	}
}

func numericText(t *testing.T, v any) string {
	n, ok := v.(pgtype.Numeric)
	if !ok {
		t.Fatalf("numeric column is %T", v)
	}
	b, _ := n.MarshalJSON()
	return string(b)
}

// TestTextEncoding checks the text forms psql shows.
func TestTextEncoding(t *testing.T) {
	_, addr := startServer(t, Config{Backend: newFake()})
	conn := connect(t, addr, "")
	res := conn.PgConn().ExecParams(context.Background(), "SELECT types", nil, nil, nil, []int16{0}).Read()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	var got []string
	for _, v := range res.Rows[0] {
		got = append(got, string(v))
	}
	want := `t|-7|123456|1099511627776|2.5|-12.50|héllo|\x0001ff|2024-03-01|2024-03-01 10:20:30.123|2024-03-01 10:20:30.123Z|1 mon 2 day 00:00:03|[1,2]`
	if s := strings.Join(got, "|"); s != want {
		t.Errorf("text row\n got %s\nwant %s", s, want)
	}
}

// TestParameters binds parameters in the extended protocol: a typed one
// arrives as its Go type, an untyped one as text.
func TestParameters(t *testing.T) {
	_, addr := startServer(t, Config{Backend: newFake()})
	conn := connect(t, addr, "")
	var echo string
	if err := conn.QueryRow(context.Background(), "SELECT echo($1, $2)", 42, "x").Scan(&echo); err != nil {
		t.Fatal(err)
	}
	if echo != "int64:42 string:x" {
		t.Errorf("echo = %q", echo)
	}
	if err := conn.QueryRow(context.Background(), "SELECT echo($1, $2)", nil, "y").Scan(&echo); err != nil {
		t.Fatal(err)
	}
	if echo != "<nil>:<nil> string:y" {
		t.Errorf("echo = %q", echo)
	}
}

// TestReadOnly refuses writes with 25006 naming the statement, reports
// syntax errors as such, and the connection stays usable.
func TestReadOnly(t *testing.T) {
	_, addr := startServer(t, Config{Backend: newFake()})
	conn := connect(t, addr, "")
	ctx := context.Background()
	cases := []struct{ sql, code, msg string }{
		{"INSERT INTO v VALUES (1)", "25006", "cannot execute INSERT in a read-only transaction"},
		{"create or replace view x as select 1", "25006", "cannot execute CREATE OR REPLACE VIEW"},
		{"/* c */ DROP TABLE v", "25006", "cannot execute DROP TABLE"},
		{"EXPLAIN ANALYZE DELETE FROM v", "25006", "cannot execute EXPLAIN"},
		{"SELEC 1", "42601", "syntax error"},
		{"ROLLBACK TO SAVEPOINT a", "0A000", "savepoints"},
	}
	for _, c := range cases {
		for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeSimpleProtocol} {
			_, err := conn.Exec(ctx, c.sql, mode)
			if pgCode(err) != c.code || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("%s (%v): err = %v, want %s %q", c.sql, mode, err, c.code, c.msg)
			}
			var n int64
			if err := conn.QueryRow(ctx, "SELECT counter", mode).Scan(&n); err != nil {
				t.Errorf("after %s: %v", c.sql, err)
			}
		}
	}
}

// TestTransaction: BEGIN ... COMMIT reads one snapshot; an error fails the
// block until ROLLBACK; COMMIT of a failed block rolls back.
func TestTransaction(t *testing.T) {
	fake := newFake()
	_, addr := startServer(t, Config{Backend: fake})
	conn := connect(t, addr, "")
	ctx := context.Background()
	read := func() int64 {
		t.Helper()
		var n int64
		if err := conn.QueryRow(ctx, "SELECT counter").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	fake.version.Store(1)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s := conn.PgConn().TxStatus(); s != 'T' {
		t.Errorf("status in block = %c", s)
	}
	fake.version.Store(2)
	if n := read(); n != 1 {
		t.Errorf("in transaction read %d, want the snapshot 1", n)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := read(); n != 2 {
		t.Errorf("after commit read %d, want 2", n)
	}
	if _, err := conn.Exec(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "INSERT INTO v VALUES (1)"); pgCode(err) != "25006" {
		t.Fatalf("insert in block: %v", err)
	}
	if s := conn.PgConn().TxStatus(); s != 'E' {
		t.Errorf("status after error = %c", s)
	}
	if _, err := conn.Exec(ctx, "SELECT counter"); pgCode(err) != "25P02" {
		t.Errorf("query in failed block: %v", err)
	}
	res, err := conn.PgConn().Exec(ctx, "COMMIT").ReadAll()
	if err != nil || res[0].CommandTag.String() != "ROLLBACK" {
		t.Errorf("commit of failed block: %v %v", res, err)
	}
	if s := conn.PgConn().TxStatus(); s != 'I' {
		t.Errorf("status after rollback = %c", s)
	}
	if n := read(); n != 2 {
		t.Errorf("after rollback read %d", n)
	}
}

// TestCancel: a CancelRequest interrupts the running query with 57014 and
// the connection keeps working.
func TestCancel(t *testing.T) {
	fake := newFake()
	_, addr := startServer(t, Config{Backend: fake})
	conn := connect(t, addr, "")
	ctx := context.Background()
	go func() {
		<-fake.started
		if err := conn.PgConn().CancelRequest(ctx); err != nil {
			t.Errorf("cancel request: %v", err)
		}
	}()
	_, err := conn.Exec(ctx, "SELECT sleep")
	if pgCode(err) != "57014" {
		t.Fatalf("cancelled query: %v", err)
	}
	var n int64
	if err := conn.QueryRow(ctx, "SELECT counter").Scan(&n); err != nil {
		t.Fatalf("after cancel: %v", err)
	}
}

// TestAuth: with a password, MD5 authentication is required.
func TestAuth(t *testing.T) {
	_, addr := startServer(t, Config{Backend: newFake(), Password: "s3cret"})
	ctx := context.Background()
	if _, err := pgx.Connect(ctx, dsn(addr, "wrong")); pgCode(err) != "28P01" {
		t.Errorf("wrong password: %v", err)
	}
	if _, err := pgx.Connect(ctx, dsn(addr, "")); err == nil {
		t.Errorf("no password: connected")
	}
	conn := connect(t, addr, "s3cret")
	if _, err := conn.Exec(ctx, "SELECT counter"); err != nil {
		t.Error(err)
	}
}

// TestChatter covers what clients send to learn about the server.
func TestChatter(t *testing.T) {
	_, addr := startServer(t, Config{Backend: newFake(), ServerVersion: "15.0", Product: "sqlstream test"})
	conn := connect(t, addr, "")
	ctx := context.Background()
	if v := conn.PgConn().ParameterStatus("server_version"); v != "15.0" {
		t.Errorf("server_version = %q", v)
	}
	one := func(sql string) string {
		t.Helper()
		var s *string
		if err := conn.QueryRow(ctx, sql).Scan(&s); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		if s == nil {
			return "NULL"
		}
		return *s
	}
	if _, err := conn.Exec(ctx, "SET application_name = 'psql'; SET extra_float_digits TO 3"); err != nil {
		t.Fatal(err)
	}
	checks := map[string]string{
		"SHOW application_name":                        "psql",
		"show EXTRA_FLOAT_DIGITS":                      "3",
		"SHOW TRANSACTION ISOLATION LEVEL":             "repeatable read",
		"select version()":                             "PostgreSQL 15.0 (sqlstream test)",
		"SELECT current_setting('server_version_num')": "150000",
		"SELECT current_setting('nope', true)":         "NULL",
		"SHOW transaction_read_only":                   "on",
	}
	for sql, want := range checks {
		if got := one(sql); got != want {
			t.Errorf("%s = %q, want %q", sql, got, want)
		}
	}
	if _, err := conn.Exec(ctx, "RESET application_name"); err != nil {
		t.Fatal(err)
	}
	if got := one("SHOW application_name"); got != "" {
		t.Errorf("after RESET: %q", got)
	}
	if _, err := conn.Exec(ctx, "SELECT current_setting('nope')"); pgCode(err) != "42704" {
		t.Errorf("unknown setting: %v", err)
	}
	if _, err := conn.Exec(ctx, " ; -- nothing"); err != nil {
		t.Errorf("empty query: %v", err)
	}
	if _, err := conn.Exec(ctx, "DISCARD ALL"); err != nil {
		t.Errorf("discard: %v", err)
	}
}

// TestCloseEndsSessions: Close ends idle client sessions and returns.
func TestCloseEndsSessions(t *testing.T) {
	fake := newFake()
	srv, addr := startServer(t, Config{Backend: fake})
	conn := connect(t, addr, "")
	if _, err := conn.Exec(context.Background(), "SELECT counter"); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if o, c := fake.opened.Load(), fake.closed.Load(); o != 1 || c != 1 {
		t.Errorf("sessions opened %d, closed %d", o, c)
	}
	if _, err := conn.Exec(context.Background(), "SELECT counter"); err == nil {
		t.Errorf("query after Close succeeded")
	}
}
