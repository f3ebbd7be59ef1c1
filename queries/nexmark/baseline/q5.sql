-- DuckDB batch equivalent of q5 (hot items). HOP(2 s, 10 s) by hand: a bid
-- at ms t is in the five windows starting at floor(t / 2000) * 2000 - k * 2000,
-- k = 0..4 (epoch-aligned, half-open).
WITH hopped AS (
  SELECT auction, t - t % 2000 - k * 2000 AS ws
  FROM (SELECT auction, epoch_ms(date_time) AS t FROM bid), range(0, 5) AS r(k)
), counts AS (
  SELECT auction, ws, count(*) AS num FROM hopped GROUP BY auction, ws
), maxes AS (
  SELECT ws, max(num) AS maxn FROM counts GROUP BY ws
)
SELECT c.auction, c.num
FROM counts c JOIN maxes m ON c.ws = m.ws AND c.num >= m.maxn
