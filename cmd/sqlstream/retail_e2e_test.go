package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sameRows fails unless the two queries return the same multiset of rows:
// EXCEPT ALL in both directions is empty. On failure it shows a sample of
// each side's extra rows.
func sameRows(t *testing.T, db, name, ours, duck string) {
	t.Helper()
	for _, dir := range []struct{ label, a, b string }{
		{"only in the view", ours, duck},
		{"only in DuckDB's answer", duck, ours},
	} {
		extra := query(t, db, "SELECT * FROM (("+dir.a+") EXCEPT ALL ("+dir.b+")) LIMIT 5")
		if strings.Count(extra, "\n") > 1 {
			t.Errorf("%s: rows %s:\n%s", name, dir.label, extra)
		}
	}
}

// TestRetailWarehouseMatchesDuckDB runs the layered warehouse over CDC
// changelogs (inserts, updates, deletes) and checks every DWS and ADS view
// against DuckDB's batch answer over the final state of the ODS mirrors.
func TestRetailWarehouseMatchesDuckDB(t *testing.T) {
	src, err := os.ReadFile("../../queries/retail_dw/pipeline.sql")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "retail.sql")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "retail.duckdb")
	mustCLI(t, "run", path, "--db", db, "--quiet")

	if got := query(t, db, "SELECT count(*) > 1000 AS ok FROM ods_customer"); got != "ok\ntrue\n" {
		t.Fatalf("ods_customer is nearly empty: %q", got)
	}
	const netAmount = "CASE WHEN kind IN ('deposit', 'transfer_in', 'fund_redeem') THEN amount ELSE -amount END"
	const dwdCustomer = `SELECT c.customer_id, c.branch_id, b.region, c.risk_level, c.created_at
		FROM ods_customer c JOIN dim_branch b ON c.branch_id = b.branch_id WHERE c.risk_level IS NOT NULL`
	checks := []struct{ name, ours, duck string }{
		{"dwd_customer",
			"SELECT customer_id, branch_id, region, risk_level, created_at FROM dwd_customer", dwdCustomer},
		{"dws_branch_customers", "SELECT * FROM dws_branch_customers",
			`SELECT branch_id, region, count(*), count(*) FILTER (WHERE risk_level IN ('C4', 'C5'))
			 FROM (` + dwdCustomer + `) GROUP BY branch_id, region`},
		{"dws_holdings", "SELECT * FROM dws_holdings",
			`SELECT a.product, c.branch_id, count(*), sum(a.balance), max(a.balance)
			 FROM ods_account a JOIN ods_customer c ON a.customer_id = c.customer_id
			 WHERE a.status = 'active' GROUP BY a.product, c.branch_id`},
		{"dws_customer_day", "SELECT * FROM dws_customer_day",
			`SELECT customer_id, CAST(ts AS DATE), count(*), sum(` + netAmount + `), min(` + netAmount + `)
			 FROM ods_txn GROUP BY customer_id, CAST(ts AS DATE)`},
		{"ads_new_customers", "SELECT * FROM ads_new_customers",
			`SELECT region, CAST(created_at AS DATE), count(*) FROM (` + dwdCustomer + `)
			 GROUP BY region, CAST(created_at AS DATE)`},
		{"ads_active_accounts", "SELECT product, active_accounts, round(avg_balance, 4) FROM ads_active_accounts",
			`SELECT product, count(*), round(avg(balance)::DECIMAL(38,6), 4) FROM ods_account
			 WHERE status = 'active' GROUP BY product`},
		{"ads_net_inflow", "SELECT * FROM ads_net_inflow",
			`SELECT b.region, sum(` + strings.ReplaceAll(strings.ReplaceAll(netAmount, "kind", "t.kind"), "amount", "t.amount") + `),
			 count(DISTINCT t.customer_id), count(*) FILTER (WHERE t.channel = 'app')
			 FROM ods_txn t JOIN ods_customer c ON t.customer_id = c.customer_id
			 JOIN dim_branch b ON c.branch_id = b.branch_id GROUP BY b.region`},
		{"ads_branch_overview", "SELECT * FROM ads_branch_overview",
			`SELECT d.branch_id, d.region, d.customers, a.accounts
			 FROM (SELECT branch_id, region, count(*) AS customers FROM (` + dwdCustomer + `) GROUP BY branch_id, region) d
			 LEFT JOIN (SELECT c.branch_id, count(*) AS accounts FROM ods_account a
			            JOIN ods_customer c ON a.customer_id = c.customer_id GROUP BY c.branch_id) a
			 ON d.branch_id = a.branch_id`},
	}
	for _, c := range checks {
		sameRows(t, db, c.name, c.ours, c.duck)
	}
}
