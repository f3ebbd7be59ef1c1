-- DuckDB batch equivalent of q7 (highest bid). TUMBLE(10 s) by hand: the
-- window of a bid at ms t ends at t - t % 10000 + 10000. BETWEEN includes
-- both ends, as in the query.
WITH maxes AS (
  SELECT epoch_ms(date_time) - epoch_ms(date_time) % 10000 + 10000 AS we, max(price) AS maxprice
  FROM bid GROUP BY 1
)
SELECT B.auction, B.price, B.bidder, B.date_time
FROM bid B JOIN maxes M ON B.price = M.maxprice
WHERE epoch_ms(B.date_time) BETWEEN M.we - 10000 AND M.we
