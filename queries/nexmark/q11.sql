-- Nexmark q11: user sessions. How many bids each user made in each of
-- their sessions: a session window with a 10-second gap per bidder.
--
-- Source: https://github.com/nexmark/nexmark/blob/master/nexmark-flink/src/main/resources/queries/q11.sql
-- written with the SESSION table function instead of Flink's legacy
-- SESSION group window (SESSION_START/SESSION_END are window_start and
-- window_end). Per DESIGN.md, bids exactly 10 s apart share a session.
CREATE SOURCE bid (
  auction   BIGINT,
  bidder    BIGINT,
  price     BIGINT,
  channel   VARCHAR,
  url       VARCHAR,
  date_time TIMESTAMP(3),
  extra     VARCHAR,
  WATERMARK FOR date_time AS date_time - INTERVAL 4 SECOND
) WITH (connector = 'datagen', generator = 'nexmark', kind = 'bid', rows = '1000000');

CREATE MATERIALIZED VIEW q11 AS
  SELECT bidder, COUNT(*) AS bid_count, window_start AS starttime, window_end AS endtime
  FROM SESSION(bid, date_time, INTERVAL 10 SECOND)
  GROUP BY bidder, window_start, window_end;
