-- DuckDB batch equivalent of ads_net_inflow (dwd_txn inlined; the lookup
-- join to dim_branch is a plain join over a table that does not change).
SELECT b.region,
       sum(CASE WHEN t.kind IN ('deposit', 'transfer_in', 'fund_redeem') THEN t.amount ELSE -t.amount END) AS net_inflow,
       count(DISTINCT t.customer_id) AS active_customers,
       count(*) FILTER (WHERE t.channel = 'app') AS app_txns
FROM txn t
JOIN customer c ON t.customer_id = c.customer_id
JOIN dim_branch b ON c.branch_id = b.branch_id
GROUP BY b.region
