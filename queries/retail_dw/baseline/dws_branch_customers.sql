-- DuckDB batch equivalent of dws_branch_customers (dwd_customer inlined).
SELECT c.branch_id, b.region,
       count(*) AS customers,
       count(*) FILTER (WHERE c.risk_level IN ('C4', 'C5')) AS aggressive_investors
FROM customer c
JOIN dim_branch b ON c.branch_id = b.branch_id
WHERE c.risk_level IS NOT NULL
GROUP BY c.branch_id, b.region
