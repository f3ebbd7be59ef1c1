package main

import (
	"bytes"
	"database/sql"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// shellFixture writes a small store shaped like a pipeline's (a view's
// table, dead-letter tables, a bookkeeping table) and returns its path.
func shellFixture(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "shell.duckdb")
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(`
CREATE TABLE dws_sales (region VARCHAR NOT NULL, amount DECIMAL(18,2), orders BIGINT);
INSERT INTO dws_sales VALUES ('eu', 1234.50, 3), ('us', -0.05, 12), ('asia', NULL, 0);
CREATE TABLE errors_orders (raw BLOB, reason VARCHAR);
CREATE TABLE late_orders (region VARCHAR, _watermark TIMESTAMP NOT NULL);
CREATE TABLE _sqlstream_epochs (epoch UBIGINT);`)
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return path
}

// shellPipe runs `sqlstream shell args...` with stdin and returns stdout,
// stderr and the exit code.
func shellPipe(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"shell"}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}

// TestShellPipe: with stdin not a terminal the shell runs a script: no
// prompt, no banner, results on stdout, errors on stderr, exit 1 when a
// statement failed.
func TestShellPipe(t *testing.T) {
	db := shellFixture(t)
	out, errOut, code := shellPipe(t, "SELECT region, orders\nFROM dws_sales ORDER BY region;\n", "--db", db, "--format", "csv")
	if want := "region,orders\nasia,0\neu,3\nus,12\n"; out != want || errOut != "" || code != 0 {
		t.Errorf("csv script: exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", code, out, want, errOut)
	}
	out, errOut, code = shellPipe(t, "SELECT * FROM nope;\nSELECT 1 AS one;\n", "--db", db)
	if want := " one\n-----\n   1\n(1 row)\n\n"; out != want || code != 1 ||
		!strings.HasPrefix(errOut, "ERROR: Catalog Error: Table with name nope does not exist!") ||
		!strings.HasSuffix(errOut, "sqlstream shell: a statement failed\n") {
		t.Errorf("failing script: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if _, err := exec.LookPath("sh"); err == nil {
		sh := exec.Command("sh", "-c", "echo 'select 6 * 7 as x;' | "+bin+" shell --db "+db)
		got, err := sh.CombinedOutput()
		if want := " x\n----\n 42\n(1 row)\n\n"; err != nil || string(got) != want {
			t.Errorf("echo | shell: %v\n%s\nwant:\n%s", err, got, want)
		}
	}
}

func TestShellUsage(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--db", "x.duckdb", "--connect", "127.0.0.1:4566"},
		{"--db", "x.duckdb", "extra"},
		{"--db", "x.duckdb", "--format", "xml"},
		{"--connect", "nohostport"},
	} {
		_, errOut, code := shellPipe(t, "", args...)
		if code != 2 || !strings.HasPrefix(errOut, "sqlstream shell: ") {
			t.Errorf("shell %q: exit %d, stderr %q; want a usage error (exit 2)", args, code, errOut)
		}
	}
	_, errOut, code := shellPipe(t, "", "--db", filepath.Join(t.TempDir(), "missing.duckdb"))
	if code != 1 || !strings.Contains(errOut, "missing.duckdb") {
		t.Errorf("missing file: exit %d, stderr %q", code, errOut)
	}
}
