-- DuckDB batch equivalent of ads_active_accounts. The engine's AVG of a
-- DECIMAL(18,2) is DECIMAL(38,6); DuckDB's is a DOUBLE, cast back.
SELECT product, count(*) AS active_accounts, CAST(avg(balance) AS DECIMAL(38, 6)) AS avg_balance
FROM account
WHERE status = 'active'
GROUP BY product
