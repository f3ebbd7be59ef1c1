package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// bin is the sqlstream binary built once for the end-to-end tests, so they
// exercise the CLI exactly as a user runs it.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sqlstream-e2e")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "sqlstream")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		os.Stderr.Write(out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cli runs the binary and returns stdout, stderr and the exit code.
func cli(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("sqlstream %v: %v", args, err)
	}
	return stdout.String(), stderr.String(), code
}

// mustCLI runs the binary and fails the test unless it exits 0.
func mustCLI(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := cli(t, args...)
	if code != 0 {
		t.Fatalf("sqlstream %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func query(t *testing.T, db, sql string) string {
	t.Helper()
	return mustCLI(t, "query", "--db", db, "--format", "csv", sql)
}

func TestBankDWDFromFiles(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dwd.duckdb")
	out, errOut, code := cli(t, "run", "../../queries/bank_dwd/pipeline.sql", "--db", db)
	if code != 0 || out != "" || errOut != "" {
		t.Fatalf("run: exit %d, want 0 and no output on a non-terminal\nstdout: %q\nstderr: %q", code, out, errOut)
	}
	got := query(t, db, `SELECT customer_id, name, phone, id_card, branch_id, balance, monthly_interest,
		opened_on, updated_month, updated_hour, review_due FROM dwd_customer ORDER BY customer_id`)
	want := `customer_id,name,phone,id_card,branch_id,balance,monthly_interest,opened_on,updated_month,updated_hour,review_due
1,Wang Fang,138****5678,110101********8515,10,15000.50,187.51,2019-03-01,2024-05,9,2024-05-02 09:15:00.25
2,Li Wei,139****4321,310104********0036,20,820.00,10.25,2021-07-15,2024-05,10,2024-05-02 10:00:00
3,Zhang Min,1390000,,10,,,2020-01-01,2024-05,10,2024-05-02 10:40:00
7,Zhao Lei,135****3333,120102********7777,20,123456789.01,1543209.86,2017-06-06,2024-05,12,2024-05-04 12:30:00.5
10,Zhou Xun,137****5555,330106********9999,40,0.00,0.00,2023-12-31,2024-05,0,2024-05-05 00:00:00
`
	if got != want {
		t.Errorf("dwd_customer:\n got:\n%s\nwant:\n%s", got, want)
	}
	// Exactly the three malformed lines, each with its line number and a reason.
	got = query(t, db, `SELECT line, reason <> '' AS has_reason, raw FROM errors_ods_customer ORDER BY line`)
	lines := strings.Split(strings.TrimSpace(got), "\n")
	if len(lines) != 4 {
		t.Fatalf("errors_ods_customer: want 3 rows, got:\n%s", got)
	}
	for i, prefix := range []string{"5,true,", "8,true,", "9,true,"} {
		if !strings.HasPrefix(lines[i+1], prefix) {
			t.Errorf("errors_ods_customer row %d = %q, want prefix %q", i+1, lines[i+1], prefix)
		}
	}
	got = query(t, db, `SELECT * FROM dwd_branch ORDER BY branch_id`)
	want = `branch_id,name,region
10,BEIJING MAIN,north
20,SHANGHAI PUDONG,east
30,SHENZHEN FUTIAN,south
40,CHENGDU CENTER,west
60,UNASSIGNED,unknown
`
	if got != want {
		t.Errorf("dwd_branch:\n got:\n%s\nwant:\n%s", got, want)
	}
	got = query(t, db, `SELECT line FROM errors_ods_branch`)
	if got != "line\n8\n" {
		t.Errorf("errors_ods_branch: got %q, want the row on line 8", got)
	}
	checkDimBranch(t, db)
}

// checkDimBranch checks the file-loaded dimension table of bank_dwd, its
// errors table and the lookup join to it.
func checkDimBranch(t *testing.T, db string) {
	t.Helper()
	got := query(t, db, `SELECT * FROM dim_branch ORDER BY branch_id`)
	want := `branch_id,name,region
10,Beijing Main,north
20,Shanghai Pudong,east
30,Shenzhen Futian,south
40,Chengdu Center,west
50,Test Branch,lab
60,Unassigned,
`
	if got != want {
		t.Errorf("dim_branch:\n got:\n%s\nwant:\n%s", got, want)
	}
	got = query(t, db, `SELECT source, file, line, reason, raw FROM errors_dim_branch`)
	want = `source,file,line,reason,raw
dim_branch,data/branch.csv,8,"column branch_id: expected an integer (INT), got ""x""","x,Broken Row,north"
`
	if got != want {
		t.Errorf("errors_dim_branch:\n got:\n%s\nwant:\n%s", got, want)
	}
	got = query(t, db, `SELECT * FROM dwd_customer_branch ORDER BY customer_id`)
	want = `customer_id,branch_id,branch_name,region
1,10,Beijing Main,north
2,20,Shanghai Pudong,east
3,10,Beijing Main,north
4,0,,unknown
6,30,Shenzhen Futian,south
7,20,Shanghai Pudong,east
10,40,Chengdu Center,west
`
	if got != want {
		t.Errorf("dwd_customer_branch:\n got:\n%s\nwant:\n%s", got, want)
	}
}

func TestFileTableOnErrorFail(t *testing.T) {
	dir := t.TempDir()
	sql := `CREATE SOURCE s (k INT) WITH (connector = 'file', path = 'k.csv', format = 'csv');
CREATE TABLE dim (k INT PRIMARY KEY, v VARCHAR)
  WITH (connector = 'file', path = 'd.csv', format = 'csv', on_error = 'fail');
CREATE MATERIALIZED VIEW v AS SELECT s.k, d.v FROM s JOIN dim d ON s.k = d.k;
`
	files := map[string]string{"d.csv": "k,v\n1,a\nx,b\n", "k.csv": "k\n1\n", "p.sql": sql}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, errOut, code := cli(t, "run", filepath.Join(dir, "p.sql"), "--db", filepath.Join(dir, "x.duckdb"))
	if code == 0 || !strings.Contains(errOut, "table dim: load:") || !strings.Contains(errOut, "d.csv:3: column k") {
		t.Errorf("run: exit %d, stderr %q; want a failure naming the table and the bad line", code, errOut)
	}
}

func TestNexmarkQueriesMatchDuckDB(t *testing.T) {
	// q0 keeps every bid; q1 and q2 must equal DuckDB's answer over q0's rows.
	dir := t.TempDir()
	for _, q := range []string{"q0", "q1", "q2"} {
		src, err := os.ReadFile("../../queries/nexmark/" + q + ".sql")
		if err != nil {
			t.Fatal(err)
		}
		small := strings.Replace(string(src), "rows = '1000000'", "rows = '50000'", 1)
		path := filepath.Join(dir, q+".sql")
		if err := os.WriteFile(path, []byte(small), 0o644); err != nil {
			t.Fatal(err)
		}
		mustCLI(t, "run", path, "--db", filepath.Join(dir, "nexmark.duckdb"), "--quiet")
	}
	db := filepath.Join(dir, "nexmark.duckdb")
	if got := query(t, db, "SELECT count(*) AS n FROM q0"); got != "n\n46000\n" {
		t.Errorf("q0 holds %q, want the 46000 bids of 50000 events", got)
	}
	// Both directions of EXCEPT ALL: equal as multisets.
	for name, sql := range map[string]string{
		"q1 not in duckdb": `SELECT auction, bidder, price, date_time FROM q1
			EXCEPT ALL SELECT auction, bidder, price * 0.908, date_time FROM q0`,
		"duckdb not in q1": `SELECT auction, bidder, price * 0.908, date_time FROM q0
			EXCEPT ALL SELECT auction, bidder, price, date_time FROM q1`,
		"q2 not in duckdb": `SELECT auction, price FROM q2 EXCEPT ALL SELECT auction, price FROM q0 WHERE auction % 123 = 0`,
		"duckdb not in q2": `SELECT auction, price FROM q0 WHERE auction % 123 = 0 EXCEPT ALL SELECT auction, price FROM q2`,
	} {
		if got := query(t, db, "SELECT count(*) AS n FROM ("+sql+")"); got != "n\n0\n" {
			t.Errorf("%s: %q rows", name, got)
		}
	}
	if got := query(t, db, "SELECT count(*) > 100 AS ok FROM q2"); got != "ok\ntrue\n" {
		t.Errorf("q2 should select a sample of auctions, got %q", got)
	}
}

func TestCheckAllQueries(t *testing.T) {
	files, _ := filepath.Glob("../../queries/*/*.sql")
	if len(files) < 4 {
		t.Fatalf("found only %d pipelines under queries/", len(files))
	}
	mustCLI(t, append([]string{"check"}, files...)...)
}

func TestMalformedPipeline(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.sql")
	src := "CREATE SOURCE bid (auction BIGINT, price BIGINT)\n" +
		"  WITH (connector = 'datagen', generator = 'nexmark', kind = 'bid', rows = '10');\n" +
		"CREATE MATERIALIZED VIEW v AS\n" +
		"  SELECT auction, pricee FROM bid;\n"
	os.WriteFile(path, []byte(src), 0o644)
	for _, args := range [][]string{{"check", path}, {"explain", path}, {"run", path, "--db", filepath.Join(dir, "x.duckdb")}} {
		cmd := args[0]
		_, errOut, code := cli(t, args...)
		if code != 1 {
			t.Errorf("%s: exit %d, want 1", cmd, code)
		}
		wantPos := path + ":4:19:"
		if !strings.Contains(errOut, wantPos) || !strings.Contains(errOut, "pricee") ||
			!strings.Contains(errOut, "price") || !strings.Contains(errOut, "^") {
			t.Errorf("%s: error should point at %s with a caret and suggest price, got:\n%s", cmd, wantPos, errOut)
		}
	}
}

func TestExplain(t *testing.T) {
	out := mustCLI(t, "explain", "../../queries/nexmark/q2.sql")
	for _, want := range []string{"materialize q2", "filter", "source bid", "append-only"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain q2 lacks %q:\n%s", want, out)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	if _, _, code := cli(t, "frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
	if _, _, code := cli(t, "query", "SELECT 1"); code != 2 {
		t.Errorf("query without --db: exit %d, want 2", code)
	}
}

func TestCheckPointsAtBadOption(t *testing.T) {
	path := filepath.Join(t.TempDir(), "opt.sql")
	src := "CREATE SOURCE s (auction BIGINT)\n  WITH (connector = 'datagen', generator = 'nexmark', kind = 'bidd');\n"
	os.WriteFile(path, []byte(src), 0o644)
	_, errOut, code := cli(t, "check", path)
	if code != 1 || !strings.Contains(errOut, path+":2:55: error: source s: option 'kind'") {
		t.Errorf("check: exit %d, want 1 and an error at the kind option (2:55), got:\n%s", code, errOut)
	}
}

func TestCheckPointsAtBadTableOption(t *testing.T) {
	path := filepath.Join(t.TempDir(), "opt.sql")
	src := "CREATE TABLE dim (k INT PRIMARY KEY)\n  WITH (connector = 'file', path = 'd.csv', format = 'csv', csv.header = 'maybe');\n"
	os.WriteFile(path, []byte(src), 0o644)
	_, errOut, code := cli(t, "check", path)
	if code != 1 || !strings.Contains(errOut, path+":2:61: error: table dim: option 'csv.header'") {
		t.Errorf("check: exit %d, want 1 and an error at the csv.header option (2:61), got:\n%s", code, errOut)
	}
}
