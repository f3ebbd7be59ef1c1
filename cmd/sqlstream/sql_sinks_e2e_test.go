package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	mysqldrv "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
)

const (
	e2ePGDSN    = "postgres://postgres@127.0.0.1:5432/test"
	e2eMySQLDSN = "root@tcp(127.0.0.1:3306)/test"
)

// sqlSinksPipeline aggregates a debezium changelog of transactions per
// branch and sinks the view into PostgreSQL and MySQL; checkpoints every
// millisecond so the sinks get many epochs of upserts and deletes. It also
// names each transaction's branch by lookup joins to a PostgreSQL table
// (branches 1-25) and a MySQL one (1-20).
const sqlSinksPipeline = `
SET 'checkpoint.interval' = '1ms';
CREATE SOURCE tx (id BIGINT, branch_id INT, amount DECIMAL(12,2), ts TIMESTAMP(3))
  WITH (connector = 'file', path = 'tx.jsonl', format = 'debezium-json');
CREATE MATERIALIZED VIEW branch_metrics AS
  SELECT branch_id, COUNT(*) AS cnt, SUM(amount) AS total, MAX(ts) AS last_ts
  FROM tx GROUP BY branch_id;
CREATE SINK pg_metrics FROM branch_metrics WITH (connector = 'postgres', dsn = '%[1]s',
  table = 'h3e2e_branch_metrics', 'sink.create-table' = 'true', 'sink.epoch-table' = 'h3e2e_epochs');
CREATE SINK my_metrics FROM branch_metrics WITH (connector = 'mysql', dsn = '%[2]s',
  table = 'h3e2e_branch_metrics', 'sink.create-table' = 'true', 'sink.epoch-table' = 'h3e2e_epochs');
CREATE TABLE pg_branch (branch_id INT, name VARCHAR, PRIMARY KEY (branch_id))
  WITH (connector = 'postgres', dsn = '%[1]s', table = 'h3e2e_dim_branch');
CREATE TABLE my_branch (branch_id INT, name VARCHAR, PRIMARY KEY (branch_id))
  WITH (connector = 'mysql', dsn = '%[2]s', table = 'h3e2e_dim_branch');
CREATE MATERIALIZED VIEW tx_named AS
  SELECT tx.id, tx.branch_id, p.name AS pg_name, m.name AS my_name
  FROM tx JOIN pg_branch p ON tx.branch_id = p.branch_id
  LEFT JOIN my_branch m ON tx.branch_id = m.branch_id;
`

// debeziumTx writes n accounts' transactions as debezium-json: creates,
// then updates moving amounts and branches, then deletes, including every
// row of branch 30 (its group must vanish from the sinks).
func debeziumTx(n int) string {
	r := rand.New(rand.NewSource(5))
	type row struct {
		id, branch int
		cents      int64
		ts         int64
	}
	rows := make([]row, n)
	var b strings.Builder
	js := func(x row) string {
		return fmt.Sprintf(`{"id": %d, "branch_id": %d, "amount": %d.%02d, "ts": %d}`, x.id, x.branch, x.cents/100, x.cents%100, x.ts)
	}
	base := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	for i := range rows {
		rows[i] = row{id: i, branch: 1 + r.Intn(30), cents: r.Int63n(1000000), ts: base + r.Int63n(86400000)}
		fmt.Fprintf(&b, `{"before": null, "after": %s, "op": "c"}`+"\n", js(rows[i]))
	}
	for k := 0; k < 2*n; k++ {
		i := r.Intn(n)
		if rows[i].id < 0 {
			continue
		}
		old := rows[i]
		rows[i].cents, rows[i].ts = r.Int63n(1000000), base+r.Int63n(86400000)
		if r.Intn(3) == 0 {
			rows[i].branch = 1 + r.Intn(29)
		}
		fmt.Fprintf(&b, `{"before": %s, "after": %s, "op": "u"}`+"\n", js(old), js(rows[i]))
	}
	for i := range rows {
		if rows[i].branch == 30 || r.Intn(10) == 0 {
			fmt.Fprintf(&b, `{"before": %s, "after": null, "op": "d"}`+"\n", js(rows[i]))
		}
	}
	return b.String()
}

// TestSQLSinksMatchDuckDB runs the binary with a postgres and a mysql sink
// of an aggregate view and compares both tables with the view.
func TestSQLSinksMatchDuckDB(t *testing.T) {
	pg, my := e2eServices(t)
	ctx := context.Background()
	setup := []string{"DROP TABLE IF EXISTS h3e2e_branch_metrics", "DROP TABLE IF EXISTS h3e2e_epochs", "DROP TABLE IF EXISTS h3e2e_dim_branch",
		"CREATE TABLE h3e2e_dim_branch (branch_id INT PRIMARY KEY, name VARCHAR(20))"}
	for _, q := range setup {
		if _, err := pg.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
		if _, err := my.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for b := 1; b <= 25; b++ {
		if _, err := pg.Exec(ctx, fmt.Sprintf("INSERT INTO h3e2e_dim_branch VALUES (%d, 'P%d')", b, b)); err != nil {
			t.Fatal(err)
		}
		if b > 20 {
			continue
		}
		if _, err := my.Exec(fmt.Sprintf("INSERT INTO h3e2e_dim_branch VALUES (%d, 'M%d')", b, b)); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	pipeline := fmt.Sprintf(sqlSinksPipeline, e2ePGDSN, e2eMySQLDSN)
	t.Cleanup(func() {
		pg.Exec(context.Background(), "DROP TABLE IF EXISTS h3e2e_dim_branch")
		my.Exec("DROP TABLE IF EXISTS h3e2e_dim_branch")
	})
	for name, text := range map[string]string{"tx.jsonl": debeziumTx(3000), "sinks.sql": pipeline} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(dir, "sinks.duckdb")
	mustCLI(t, "run", filepath.Join(dir, "sinks.sql"), "--db", db)
	want := strings.Split(strings.TrimSpace(query(t, db,
		`SELECT branch_id, cnt, total, epoch_ms(last_ts) FROM branch_metrics ORDER BY branch_id`)), "\n")[1:]
	if len(want) < 20 || strings.HasPrefix(want[len(want)-1], "30,") {
		t.Fatalf("branch_metrics has %d groups (last %q): the test data should leave 29", len(want), want[len(want)-1])
	}

	var got []string
	rows, err := pg.Query(ctx, `SELECT branch_id, cnt, total::text, (extract(epoch FROM last_ts) * 1000)::bigint
		FROM h3e2e_branch_metrics ORDER BY branch_id`, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var cells []string
		for _, v := range rows.RawValues() {
			cells = append(cells, string(v))
		}
		got = append(got, strings.Join(cells, ","))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	compareRows(t, "postgres h3e2e_branch_metrics", got, want)

	got = got[:0]
	mrows, err := my.Query(`SELECT branch_id, cnt, total, CAST(TIMESTAMPDIFF(MICROSECOND, '1970-01-01', last_ts) / 1000 AS SIGNED)
		FROM h3e2e_branch_metrics ORDER BY branch_id`)
	if err != nil {
		t.Fatal(err)
	}
	for mrows.Next() {
		var a, b, c, d string
		if err := mrows.Scan(&a, &b, &c, &d); err != nil {
			t.Fatal(err)
		}
		got = append(got, strings.Join([]string{a, b, c, d}, ","))
	}
	mrows.Close()
	compareRows(t, "mysql h3e2e_branch_metrics", got, want)

	// Both markers hold the run's last epoch, which is above 1: the sinks
	// were delivered several epochs.
	var pe int64
	if err := pg.QueryRow(ctx, "SELECT epoch FROM h3e2e_epochs WHERE sink = 'pg_metrics'").Scan(&pe); err != nil {
		t.Fatal(err)
	}
	var me int64
	if err := my.QueryRow("SELECT epoch FROM h3e2e_epochs WHERE sink = 'my_metrics'").Scan(&me); err != nil {
		t.Fatal(err)
	}
	if pe < 1 || me != pe {
		t.Errorf("epoch markers: postgres %d, mysql %d; want the same epoch >= 1", pe, me)
	}
	t.Logf("%d groups, %d epochs", len(want), pe)

	// The lookup joins: exactly the transactions of branches 1-25, named
	// by PostgreSQL, and by MySQL up to branch 20.
	got = strings.Split(strings.TrimSpace(query(t, db, `SELECT
		(SELECT count(*) FROM tx_named),
		(SELECT sum(cnt) FROM branch_metrics WHERE branch_id <= 25),
		(SELECT count(*) FROM tx_named WHERE pg_name = 'P' || branch_id AND
			(branch_id <= 20 AND my_name = 'M' || branch_id OR branch_id > 20 AND my_name IS NULL))`)), "\n")
	if len(got) != 2 {
		t.Fatalf("tx_named check: %q", got)
	}
	if c := strings.Split(got[1], ","); len(c) != 3 || c[0] != c[1] || c[0] != c[2] || c[0] == "0" {
		t.Errorf("tx_named: rows, expected rows, correctly named rows = %s; want three equal non-zero counts", got[1])
	}
	t.Logf("tx_named: rows, expected, correctly named = %s", got[1])
}

func compareRows(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s differs from the DuckDB view:\n got:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// e2eServices connects to the local PostgreSQL and MySQL, skipping when
// either is unreachable unless CI=true (then failing).
func e2eServices(t *testing.T) (*pgx.Conn, *sql.DB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	missing := func(what string, err error) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is unreachable and CI=true: %v", what, err)
		}
		t.Skipf("%s is unreachable (set CI=true to fail instead): %v", what, err)
	}
	pg := e2ePostgres(t)
	cfg, err := mysqldrv.ParseDSN(e2eMySQLDSN)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := mysqldrv.NewConnector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	my := sql.OpenDB(conn)
	t.Cleanup(func() { my.Close() })
	if err := my.PingContext(ctx); err != nil {
		missing("MySQL", err)
	}
	return pg, my
}
