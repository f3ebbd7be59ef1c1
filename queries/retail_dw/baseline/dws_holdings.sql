-- DuckDB batch equivalent of dws_holdings.
SELECT a.product, c.branch_id,
       count(*) AS accounts,
       sum(a.balance) AS holdings,
       max(a.balance) AS largest_balance
FROM account a
JOIN customer c ON a.customer_id = c.customer_id
WHERE a.status = 'active'
GROUP BY a.product, c.branch_id
