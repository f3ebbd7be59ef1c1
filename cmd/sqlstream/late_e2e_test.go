package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lateBids are JSON lines of a bid source with a 2-second watermark delay:
// bids 3, 5 and 7 arrive behind the watermark (after bid 2 it is 00:00:08,
// after bid 6 00:00:28); bid 4 has no time and is on time.
const lateBids = `{"id": 1, "price": 10, "ts": "2024-01-01 00:00:05"}
{"id": 2, "price": 20, "ts": "2024-01-01 00:00:10"}
{"id": 3, "price": 30, "ts": "2024-01-01 00:00:07.999"}
{"id": 4, "price": 40}
{"id": 5, "price": 50, "ts": 1704067201000}
{"id": 6, "price": 60, "ts": "2024-01-01 00:00:30"}
{"id": 7, "price": 70, "ts": "2024-01-01 00:00:27"}
{"id": 8, "price": 80, "ts": "2024-01-01 00:00:28"}
`

const latePipelineSQL = `
CREATE SOURCE bids (id BIGINT, price BIGINT, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL 2 SECOND
) WITH (connector = 'file', path = 'bids.jsonl', format = 'json', 'source.idle_timeout' = '5s');
CREATE SOURCE quiet (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
  WITH (connector = 'file', path = 'quiet.jsonl', format = 'json');
CREATE MATERIALIZED VIEW bid_prices AS SELECT id, price FROM bids;
`

// TestLateRowsEndToEnd runs a file source whose late rows land in
// late_bids and nowhere else: the view over the source lacks exactly them,
// and a source nobody reads still has its (empty) late table.
func TestLateRowsEndToEnd(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"bids.jsonl": lateBids, "quiet.jsonl": "", "late.sql": latePipelineSQL,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(dir, "late.duckdb")
	if out, errOut, code := cli(t, "run", filepath.Join(dir, "late.sql"), "--db", db); code != 0 || out != "" || errOut != "" {
		t.Fatalf("run: exit %d, want 0 and no output on a non-terminal\nstdout: %q\nstderr: %q", code, out, errOut)
	}
	got := query(t, db, `SELECT * FROM late_bids ORDER BY id`)
	want := `id,price,ts,_watermark
3,30,2024-01-01 00:00:07.999,2024-01-01 00:00:08
5,50,2024-01-01 00:00:01,2024-01-01 00:00:08
7,70,2024-01-01 00:00:27,2024-01-01 00:00:28
`
	if got != want {
		t.Errorf("late_bids:\n got:\n%s\nwant:\n%s", got, want)
	}
	got = query(t, db, `SELECT id FROM bid_prices ORDER BY id`)
	if want := "id\n1\n2\n4\n6\n8\n"; got != want {
		t.Errorf("bid_prices ids: got %q, want %q (every bid but the late ones)", got, want)
	}
	got = query(t, db, `SELECT count(*) AS n FROM late_quiet`)
	if got != "n\n0\n" {
		t.Errorf("late_quiet: got %q, want an empty table", got)
	}
	got = query(t, db, `SELECT count(*) AS n FROM errors_bids`)
	if got != "n\n0\n" {
		t.Errorf("errors_bids: got %q, want no errors (late rows are not errors)", got)
	}
}

// TestLatePolicyCheck checks that `check` reports a bad late policy and a
// bad idle timeout at their position.
func TestLatePolicyCheck(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.sql")
	for _, c := range []struct{ sql, want string }{
		{"SET 'late.policy' = 'ignore';\n", "bad.sql:1:5: error: SET 'late.policy' = 'ignore': want 'side-table'"},
		{"CREATE SOURCE s (ts TIMESTAMP(3), WATERMARK FOR ts AS ts)\n  WITH (connector = 'file', path = 's.jsonl', format = 'json', 'source.idle_timeout' = 'soon');\n",
			"bad.sql:2:64: error: source s: option 'source.idle_timeout': bad duration \"soon\""},
	} {
		if err := os.WriteFile(path, []byte(c.sql), 0o644); err != nil {
			t.Fatal(err)
		}
		_, errOut, code := cli(t, "check", path)
		if code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("check %q: exit %d, stderr:\n%s\nwant a line containing %q", c.sql, code, errOut, c.want)
		}
	}
}
