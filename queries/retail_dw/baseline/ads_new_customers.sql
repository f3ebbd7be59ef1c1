-- DuckDB batch equivalent of ads_new_customers (dwd_customer inlined).
SELECT b.region, CAST(c.created_at AS DATE) AS day, count(*) AS new_customers
FROM customer c
JOIN dim_branch b ON c.branch_id = b.branch_id
WHERE c.risk_level IS NOT NULL
GROUP BY b.region, CAST(c.created_at AS DATE)
