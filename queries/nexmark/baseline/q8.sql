-- DuckDB batch equivalent of q8 (monitor new users). TUMBLE(10 s) by hand:
-- the window of a row at ms t starts at t - t % 10000.
SELECT P.id, P.name, epoch_ms(P.ws) AS starttime
FROM (SELECT DISTINCT id, name, epoch_ms(date_time) - epoch_ms(date_time) % 10000 AS ws FROM person) P
JOIN (SELECT DISTINCT seller, epoch_ms(date_time) - epoch_ms(date_time) % 10000 AS ws FROM auction) A
  ON P.id = A.seller AND P.ws = A.ws
