-- DuckDB batch equivalent of q11 (user sessions). SESSION(10 s) by
-- gaps-and-islands: a bid starts a new session of its bidder when it is
-- more than 10 s after the bidder's previous bid (exactly 10 s apart stay
-- in one session); a session ends 10 s after its last bid.
SELECT bidder, count(*) AS bid_count, epoch_ms(min(t)) AS starttime, epoch_ms(max(t) + 10000) AS endtime
FROM (
  SELECT bidder, t, sum(fresh) OVER (PARTITION BY bidder ORDER BY t ROWS UNBOUNDED PRECEDING) AS session
  FROM (
    SELECT bidder, t, CASE WHEN t - lag(t) OVER (PARTITION BY bidder ORDER BY t) <= 10000 THEN 0 ELSE 1 END AS fresh
    FROM (SELECT bidder, epoch_ms(date_time) AS t FROM bid)
  )
)
GROUP BY bidder, session
