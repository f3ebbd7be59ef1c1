-- DuckDB batch equivalent of ads_branch_overview, recomputed from the
-- tables (dws_branch_customers and branch_accounts inlined).
SELECT d.branch_id, d.region, d.customers, a.accounts
FROM (
  SELECT c.branch_id, b.region, count(*) AS customers
  FROM customer c
  JOIN dim_branch b ON c.branch_id = b.branch_id
  WHERE c.risk_level IS NOT NULL
  GROUP BY c.branch_id, b.region
) d
LEFT JOIN (
  SELECT c.branch_id, count(*) AS accounts
  FROM account a
  JOIN customer c ON a.customer_id = c.customer_id
  GROUP BY c.branch_id
) a ON d.branch_id = a.branch_id
