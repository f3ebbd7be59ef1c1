-- DuckDB batch equivalent of q19 (top ten bids per auction).
SELECT *
FROM (
  SELECT *, row_number() OVER (
    PARTITION BY auction
    ORDER BY price DESC, date_time, bidder, channel, url, extra
  ) AS rank_number
  FROM bid
)
WHERE rank_number <= 10
