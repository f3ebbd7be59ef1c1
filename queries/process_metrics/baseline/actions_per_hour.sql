-- DuckDB batch equivalent of actions_per_hour: TUMBLE(1 hour) by hand,
-- windows aligned to the epoch.
SELECT time_bucket(INTERVAL 1 HOUR, ts) AS window_start,
       time_bucket(INTERVAL 1 HOUR, ts) + INTERVAL 1 HOUR AS window_end,
       channel, product, count(*) AS actions,
       count(DISTINCT process_id) AS processes, count(DISTINCT customer_id) AS customers
FROM request
GROUP BY ALL
