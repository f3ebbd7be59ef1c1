-- DuckDB batch equivalent of q13 (bounded side input join). The side
-- input is built here as Flink's generator writes it (key i, value 'i'
-- for i = 0..9999), independently of the file the pipeline loads.
SELECT B.auction, B.bidder, B.price, B.date_time, S.value
FROM bid AS B
JOIN (SELECT i AS key, CAST(i AS VARCHAR) AS value FROM range(10000) AS t(i)) AS S
  ON B.auction % 10000 = S.key
