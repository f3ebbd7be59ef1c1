-- DuckDB batch equivalent of q12 (bids per bidder per 10 s). TUMBLE(10 s)
-- by hand: the window of a bid at ms t starts at t - t % 10000.
SELECT bidder, count(*) AS bid_count, epoch_ms(ws) AS starttime, epoch_ms(ws + 10000) AS endtime
FROM (SELECT bidder, epoch_ms(date_time) - epoch_ms(date_time) % 10000 AS ws FROM bid)
GROUP BY bidder, ws
