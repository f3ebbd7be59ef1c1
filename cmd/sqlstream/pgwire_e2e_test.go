package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// pgwPipeline writes transactions (a CDC changelog: appends, amount
// corrections, reversals) unboundedly at a fixed rate, checkpointing every
// 20 ms, into a DWD detail view and two DWS aggregates of it.
const pgwPipeline = `
SET 'checkpoint.interval' = '20ms';
CREATE SOURCE txn (
  txn_id BIGINT NOT NULL, account_id BIGINT, customer_id BIGINT, kind VARCHAR(16),
  amount DECIMAL(18, 2), channel VARCHAR(16), ts TIMESTAMP(3),
  PRIMARY KEY (txn_id)
) WITH (connector = 'datagen', generator = 'retail', kind = 'txn', rate = '20000'%s);
CREATE MATERIALIZED VIEW dwd_txn AS SELECT txn_id, kind, amount, channel, ts FROM txn;
CREATE MATERIALIZED VIEW dws_total AS SELECT COUNT(*) AS n, SUM(amount) AS total FROM txn;
CREATE MATERIALIZED VIEW dws_by_channel AS SELECT channel, COUNT(*) AS n, SUM(amount) AS total FROM txn GROUP BY channel;
`

// pgwRun is a `sqlstream run --listen 127.0.0.1:0` process.
type pgwRun struct {
	cmd  *exec.Cmd
	addr string
	mu   sync.Mutex
	log  strings.Builder // its stderr
	seen chan string     // stderr lines
	done chan error
}

// startPgwRun runs the pipeline text with --listen on a free port and
// waits until it serves.
func startPgwRun(t *testing.T, pipeline string, env ...string) *pgwRun {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "pipeline.sql")
	if err := os.WriteFile(path, []byte(pipeline), 0o644); err != nil {
		t.Fatal(err)
	}
	l := &pgwRun{seen: make(chan string, 100), done: make(chan error, 1)}
	l.cmd = exec.Command(bin, "run", path, "--db", filepath.Join(dir, "w.duckdb"), "--listen", "127.0.0.1:0")
	l.cmd.Env = append(os.Environ(), env...)
	stderr, err := l.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := l.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go l.read(stderr)
	t.Cleanup(func() {
		if l.cmd.ProcessState == nil {
			_ = l.cmd.Process.Kill()
			<-l.done
		}
	})
	line := l.waitFor(t, "listening on ")
	l.addr = strings.Fields(strings.TrimPrefix(line, "listening on "))[0]
	if !strings.HasSuffix(line, "(PostgreSQL wire protocol)") {
		t.Errorf("log line %q", line)
	}
	return l
}

func (l *pgwRun) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		l.mu.Lock()
		l.log.WriteString(sc.Text() + "\n")
		l.mu.Unlock()
		select {
		case l.seen <- sc.Text():
		default:
		}
	}
	l.done <- l.cmd.Wait()
}

// waitFor returns the first stderr line starting with prefix.
func (l *pgwRun) waitFor(t *testing.T, prefix string) string {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case line := <-l.seen:
			if strings.HasPrefix(line, prefix) {
				return line
			}
		case err := <-l.done:
			l.done <- err
			t.Fatalf("run exited (%v) before %q; stderr:\n%s", err, prefix, l.stderr())
		case <-timeout:
			t.Fatalf("no %q after 30s; stderr:\n%s", prefix, l.stderr())
		}
	}
}

func (l *pgwRun) stderr() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.log.String()
}

// interrupt sends SIGINT and waits for a clean exit.
func (l *pgwRun) interrupt(t *testing.T) {
	t.Helper()
	if err := l.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-l.done:
		if err != nil {
			t.Fatalf("run after SIGINT: %v; stderr:\n%s", err, l.stderr())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("run did not exit after SIGINT; stderr:\n%s", l.stderr())
	}
}

func (l *pgwRun) dsn(password string) string {
	host, port, _ := strings.Cut(l.addr, ":")
	s := fmt.Sprintf("host=%s port=%s user=analyst dbname=x", host, port)
	if password != "" {
		s += " password=" + password
	}
	return s
}

func (l *pgwRun) connect(t *testing.T) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), l.dsn(""))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// requirePsql skips the test when psql is missing, unless CI=true (then
// failing).
func requirePsql(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("psql"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("psql is missing and CI=true: %v", err)
		}
		t.Skipf("psql is missing (set CI=true to fail instead): %v", err)
	}
}

// psql runs psql against the endpoint with the commands (each a -c).
func (l *pgwRun) psql(t *testing.T, cmds ...string) (string, error) {
	t.Helper()
	host, port, _ := strings.Cut(l.addr, ":")
	args := []string{"-h", host, "-p", port, "-d", "x", "-U", "analyst", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"}
	for _, c := range cmds {
		args = append(args, "-c", c)
	}
	cmd := exec.Command("psql", args...)
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func pgErrCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// TestPgwireWhileWriting drives psql and pgx against `run --listen` while
// the pipeline writes: inside a transaction the DWS aggregates equal the
// sums of their DWD rows at every read (all views at one epoch), writes
// are refused with 25006 and the session goes on, the introspection
// tables have rows, a cancel request stops a running query, and SIGINT
// stops the run cleanly.
func TestPgwireWhileWriting(t *testing.T) {
	requirePsql(t)
	l := startPgwRun(t, fmt.Sprintf(pgwPipeline, ""))
	conn := l.connect(t)
	ctx := context.Background()
	epoch := func() int64 {
		t.Helper()
		var e int64
		if err := conn.QueryRow(ctx, "SELECT coalesce(max(epoch), 0) FROM sqlstream_checkpoints").Scan(&e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	for deadline := time.Now().Add(20 * time.Second); epoch() < 2; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no checkpoint after 20s; stderr:\n%s", l.stderr())
		}
	}
	first := epoch()
	counts := map[int64]bool{}
	for reads := 0; reads < 100 || len(counts) < 10; reads++ {
		if reads > 2000 {
			t.Fatalf("the views did not change over %d reads", reads)
		}
		counts[consistentRead(t, conn)] = true
	}
	if last := epoch(); last <= first {
		t.Errorf("epochs %d..%d: the pipeline was not writing during the reads", first, last)
	}
	var same bool
	if err := conn.QueryRow(ctx, "SELECT (SELECT n FROM dws_total) = (SELECT count(*) FROM dwd_txn)", pgx.QueryExecModeSimpleProtocol).Scan(&same); err != nil || !same {
		t.Errorf("simple protocol: dws_total.n = count(dwd_txn): %v %v", same, err)
	}
	checkWritesRefused(t, conn)
	checkIntrospection(t, conn)
	checkCancel(t, conn)
	checkPsql(t, l)
	l.interrupt(t)
}

// consistentRead reads the DWS views and the sums of the DWD view in one
// transaction (separate statements, extended protocol with a parameter)
// and fails unless they agree; it returns the number of DWD rows.
func consistentRead(t *testing.T, conn *pgx.Conn) int64 {
	t.Helper()
	ctx := context.Background()
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	var n, dn, cn, bn int64
	var total, dtotal string
	if err := tx.QueryRow(ctx, "SELECT n, coalesce(total, 0)::VARCHAR FROM dws_total").Scan(&n, &total); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond) // let the pipeline commit in between: the snapshot must not move
	if err := tx.QueryRow(ctx, "SELECT count(*), coalesce(sum(amount), 0)::VARCHAR FROM dwd_txn").Scan(&dn, &dtotal); err != nil {
		t.Fatal(err)
	}
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM dwd_txn WHERE channel = $1", "app").Scan(&cn); err != nil {
		t.Fatal(err)
	}
	err = tx.QueryRow(ctx, "SELECT n FROM dws_by_channel WHERE channel = $1", "app").Scan(&bn)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n != dn || total != dtotal || cn != bn {
		t.Fatalf("one transaction saw dws_total (%d, %s) but dwd_txn (%d, %s); app: dws_by_channel %d, dwd_txn %d", n, total, dn, dtotal, bn, cn)
	}
	return dn
}

func checkWritesRefused(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	ctx := context.Background()
	for _, sql := range []string{"INSERT INTO dwd_txn (txn_id) VALUES (1)", "DROP TABLE dws_total", "CREATE TABLE x AS SELECT 1"} {
		_, err := conn.Exec(ctx, sql)
		if pgErrCode(err) != "25006" || !strings.Contains(err.Error(), "read-only") {
			t.Errorf("%s: %v, want SQLSTATE 25006", sql, err)
		}
		var n int64
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM dws_by_channel").Scan(&n); err != nil {
			t.Errorf("after the refused %s: %v", sql, err)
		}
	}
}

func checkIntrospection(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	ctx := context.Background()
	checks := map[string]string{
		"SELECT count(*)::VARCHAR FROM sqlstream_sources WHERE name = 'txn' AND connector = 'datagen' AND events > 0": "1",
		"SELECT count(*)::VARCHAR FROM sqlstream_operators WHERE kind = 'materialize' AND rows_out >= 0":              "3",
		"SELECT (count(*) > 0)::VARCHAR FROM sqlstream_operators WHERE state_rows IS NOT NULL":                        "true",
		"SELECT status || ' ' || (events > 0)::VARCHAR FROM sqlstream_pipelines":                                      "running true",
		"SELECT (count(*) > 1)::VARCHAR FROM sqlstream_checkpoints":                                                   "true",
	}
	for sql, want := range checks {
		var got string
		if err := conn.QueryRow(ctx, sql).Scan(&got); err != nil || got != want {
			t.Errorf("%s = %q (%v), want %q", sql, got, err, want)
		}
	}
}

// checkCancel cancels a long query the way psql's Ctrl-C does.
func checkCancel(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	ctx := context.Background()
	go func() {
		time.Sleep(200 * time.Millisecond)
		_ = conn.PgConn().CancelRequest(ctx)
	}()
	_, err := conn.Exec(ctx, "SELECT sum(hash(i)) FROM range(1000000000000) t(i)")
	if pgErrCode(err) != "57014" {
		t.Errorf("cancelled query: %v, want SQLSTATE 57014", err)
	}
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		t.Errorf("after the cancel: %v", err)
	}
}

func checkPsql(t *testing.T, l *pgwRun) {
	t.Helper()
	out, err := l.psql(t, "BEGIN",
		"SELECT (SELECT coalesce(total, 0) FROM dws_total) = (SELECT coalesce(sum(amount), 0) FROM dwd_txn)",
		"SELECT sum(n) = (SELECT n FROM dws_total) FROM dws_by_channel", "COMMIT")
	if err != nil || out != "t\nt\n" {
		t.Errorf("psql consistency: %q %v", out, err)
	}
	out, err = l.psql(t, `\dt`)
	if err != nil || !strings.Contains(out, "main|dwd_txn|table|") || !strings.Contains(out, "main|dws_total|table|") {
		t.Errorf(`psql \dt: %v\n%s`, err, out)
	}
	out, err = l.psql(t, `\d dws_by_channel`)
	if err != nil || !strings.Contains(out, "channel|varchar") || !strings.Contains(out, "total|numeric(38,2)") {
		t.Errorf(`psql \d dws_by_channel: %v\n%s`, err, out)
	}
	out, err = l.psql(t, "DELETE FROM dwd_txn")
	if err == nil || !strings.Contains(out, "cannot execute DELETE in a read-only transaction") {
		t.Errorf("psql DELETE: %v\n%s", err, out)
	}
	out, err = l.psql(t, "SET application_name = 'report'", "SHOW application_name", "SELECT count(*) > 0 FROM sqlstream_sources")
	if err != nil || out != "report\nt\n" {
		t.Errorf("psql session: %q %v", out, err)
	}
}

// TestPgwireBoundedRunKeepsServing: a run whose input is bounded keeps
// serving its results after it finished, until SIGINT; with
// SQLSTREAM_PASSWORD set, clients must authenticate.
func TestPgwireBoundedRunKeepsServing(t *testing.T) {
	l := startPgwRun(t, strings.Replace(fmt.Sprintf(pgwPipeline, ", rows = '5000'"), "rate = '20000'", "rate = '50000'", 1), "SQLSTREAM_PASSWORD=s3cret")
	l.waitFor(t, "pipeline finished; still serving on "+l.addr)
	ctx := context.Background()
	if _, err := pgx.Connect(ctx, l.dsn("wrong")); pgErrCode(err) != "28P01" {
		t.Errorf("wrong password: %v, want SQLSTATE 28P01", err)
	}
	conn, err := pgx.Connect(ctx, l.dsn("s3cret"))
	if err != nil {
		t.Fatal(err)
	}
	var rows, n int64
	var status string
	if err := conn.QueryRow(ctx, "SELECT (SELECT count(*) FROM dwd_txn), (SELECT n FROM dws_total), (SELECT status FROM sqlstream_pipelines)").Scan(&rows, &n, &status); err != nil {
		t.Fatal(err)
	}
	if rows == 0 || rows != n || status != "finished" {
		t.Errorf("after the run: %d dwd rows, dws_total.n %d, status %q", rows, n, status)
	}
	l.interrupt(t)
	if _, err := conn.Exec(ctx, "SELECT 1"); err == nil {
		t.Errorf("the endpoint still answers after the run exited")
	}
	conn.Close(ctx)
}

// TestListenOffLoopbackNeedsPassword: --listen on a non-loopback address
// without a password is a usage error.
func TestListenOffLoopbackNeedsPassword(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.sql")
	if err := os.WriteFile(path, []byte(fmt.Sprintf(pgwPipeline, ", rows = '10'")), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Unsetenv(passwordEnv)
	_, errOut, code := cli(t, "run", path, "--db", filepath.Join(t.TempDir(), "w.duckdb"), "--listen", "0.0.0.0:0")
	if code != 2 || !strings.Contains(errOut, "--password") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
