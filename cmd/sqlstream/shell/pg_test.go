package shell

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"
	"github.com/jackc/pgx/v5"

	"github.com/sqlstream/sqlstream/sinks/render"
)

// pgFixtureSQL is the PostgreSQL twin of fixtureSQL, in its own schema.
const pgFixtureSQL = `
DROP SCHEMA IF EXISTS shell_test CASCADE;
CREATE SCHEMA shell_test;
CREATE TABLE shell_test.dws_sales (region TEXT NOT NULL, amount NUMERIC(18,2), orders BIGINT, updated TIMESTAMP);
INSERT INTO shell_test.dws_sales VALUES
  ('eu', 1234.50, 3, '2024-05-02 09:15:00.25'), ('us', -0.05, 12, '2024-05-02 10:00:00'), ('asia', NULL, 0, NULL);
CREATE VIEW shell_test.big_sales AS SELECT region, amount FROM shell_test.dws_sales WHERE amount > 100;
CREATE TABLE shell_test.errors_orders (raw BYTEA, reason TEXT);
CREATE TABLE shell_test.late_orders (region TEXT, _watermark TIMESTAMP NOT NULL);
`

// pgShellBackend connects the shell's PostgreSQL backend to the local
// PostgreSQL (db test), with the fixture loaded; it skips when PostgreSQL
// is unreachable unless CI=true (then failing).
func pgShellBackend(t *testing.T, notice io.Writer) *pgBackend {
	t.Helper()
	cfg, err := PGConfig("127.0.0.1:5432", "postgres", "", "test")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	be, err := ConnectPG(ctx, cfg, notice)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL is unreachable and CI=true: %v", err)
		}
		t.Skipf("PostgreSQL is unreachable (set CI=true to fail instead): %v", err)
	}
	t.Cleanup(func() { be.Close() })
	if _, err := be.Query(ctx, pgFixtureSQL); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return be.(*pgBackend)
}

// TestPGScript runs testdata/postgres like TestScript, against PostgreSQL.
func TestPGScript(t *testing.T) {
	be := pgShellBackend(t, io.Discard)
	datadriven.RunTest(t, "testdata/postgres", func(t *testing.T, d *datadriven.TestData) string {
		if d.Cmd != "script" {
			t.Fatalf("unknown command %q", d.Cmd)
		}
		return runScript(t, be, d.Input, render.FormatTable)
	})
}

// TestPGListRelations: \d over PostgreSQL's information_schema (other
// tests' tables share the database, so only the fixture's rows are
// checked).
func TestPGListRelations(t *testing.T) {
	got := runScript(t, pgShellBackend(t, io.Discard), `\d`, render.FormatTable)
	for _, want := range []string{
		" shell_test | big_sales ", "| view\n", " shell_test | dws_sales ", " shell_test | errors_orders ", "| errors\n",
		" shell_test | late_orders ", "| late rows\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("\\d lacks %q:\n%s", want, got)
		}
	}
}

// TestPGCtrlCCancelsQuery: Ctrl-C sends a cancel request; PostgreSQL
// honours it, so the same connection runs the next statement.
func TestPGCtrlCCancelsQuery(t *testing.T) {
	var notice syncBuffer
	be := pgShellBackend(t, &notice)
	pid := be.conn.PgConn().PID()
	testCtrlCCancelsQuery(t, be, "SELECT pg_sleep(60)")
	if be.conn.PgConn().PID() != pid || notice.String() != "" {
		t.Errorf("the connection was replaced (pid %d -> %d): %s", pid, be.conn.PgConn().PID(), notice.String())
	}
}

// TestPGReconnect: a connection the server dropped fails its next
// statement, is re-opened with a message, and the session goes on.
func TestPGReconnect(t *testing.T) {
	var out syncBuffer
	be := pgShellBackend(t, &out)
	pid := be.conn.PgConn().PID()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, "postgres://postgres@127.0.0.1:5432/test")
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "SELECT pg_terminate_backend($1)", pid); err != nil {
		t.Fatal(err)
	}
	s := newSession(Options{Backend: be, Out: &out, Err: &out})
	if err := s.loop(ctx, newScript(strings.NewReader("SELECT 1 AS a;\nSELECT 2 AS b;\n"))); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	want := "ERROR: terminating connection due to administrator command\n" +
		"The connection to 127.0.0.1:5432 was lost; reconnecting.\nReconnected.\n b\n---\n 2\n(1 row)\n\n"
	if got != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
	if be.conn.PgConn().PID() == pid {
		t.Error("still on the terminated backend")
	}
}
