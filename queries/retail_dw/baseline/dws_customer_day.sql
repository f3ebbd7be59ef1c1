-- DuckDB batch equivalent of dws_customer_day (dwd_txn inlined).
SELECT customer_id, CAST(ts AS DATE) AS day,
       count(*) AS txns,
       sum(CASE WHEN kind IN ('deposit', 'transfer_in', 'fund_redeem') THEN amount ELSE -amount END) AS net_inflow,
       min(CASE WHEN kind IN ('deposit', 'transfer_in', 'fund_redeem') THEN amount ELSE -amount END) AS largest_outflow
FROM txn
GROUP BY customer_id, CAST(ts AS DATE)
