package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckSinks: `check` validates each sink's options and that its
// input suits its format, pointing at the option at fault, without
// connecting anywhere (the brokers and databases below do not exist).
func TestCheckSinks(t *testing.T) {
	const src = "CREATE SOURCE s (seq BIGINT, ts TIMESTAMP(3)) WITH (connector = 'datagen', generator = 'sequence', rows = '10');\n" +
		"CREATE MATERIALIZED VIEW agg AS SELECT seq % 3 AS k, COUNT(*) AS n FROM s GROUP BY seq % 3;\n"
	dir := t.TempDir()
	path := filepath.Join(dir, "p.sql")
	for _, c := range []struct{ sink, want string }{
		{"CREATE SINK out FROM agg WITH (connector = 'kafka', brokers = '127.0.0.1:1', topic = 't', format = 'debezium-json');", ""},
		{"CREATE SINK out FROM agg WITH (connector = 'kafka', brokers = '127.0.0.1:1', topic = 't', format = 'json');",
			"p.sql:3:91: error: sink out: format 'json' needs an append-only input"},
		{"CREATE SINK out FROM agg WITH (connector = 'file', path = 'lake', format = 'parquet');",
			"p.sql:3:1: error: sink out: a file sink writes append-only data"},
		{"CREATE SINK out AS SELECT seq, ts FROM s WITH (connector = 'file', path = 'lake', format = 'parquet', 'sort.by' = 'nope');",
			"p.sql:3:103: error: sink out: option 'sort.by': no column nope"},
		{"CREATE SINK out FROM agg WITH (connector = 'postgres', dsn = 'postgres://nobody@127.0.0.1:1/x', table = 'agg');", ""},
		{"CREATE SINK out FROM agg WITH (connector = 'nosuch');", "unknown connector \"nosuch\""},
	} {
		if err := os.WriteFile(path, []byte(src+c.sink+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, errOut, code := cli(t, "check", path)
		switch {
		case c.want == "" && code != 0:
			t.Errorf("check %q: exit %d, stderr:\n%s", c.sink, code, errOut)
		case c.want != "" && (code == 0 || !strings.Contains(errOut, c.want)):
			t.Errorf("check %q: exit %d, stderr:\n%s\nwant a line containing %q", c.sink, code, errOut, c.want)
		}
	}
}
