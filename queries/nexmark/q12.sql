-- Nexmark q12: processing-time windows. How many bids does each user make
-- in each 10-second tumbling window?
--
-- Source: https://github.com/nexmark/nexmark/blob/master/nexmark-flink/src/main/resources/queries/q12.sql
-- (not in RisingWave's e2e suite). Flink windows PROCTIME(), the wall
-- clock of the machine running the query. sqlstream has no processing-time
-- windows, so this is the event-time equivalent: TUMBLE over the bid's
-- date_time. It keeps the query's meaning (bids per bidder per fixed
-- 10-second span of the stream, windows closing as time passes) and makes
-- it reproducible; a processing-time count depends on how fast the
-- machine reads the generator and has no batch answer to compare with.
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

CREATE MATERIALIZED VIEW q12 AS
  SELECT bidder, COUNT(*) AS bid_count, window_start AS starttime, window_end AS endtime
  FROM TUMBLE(bid, date_time, INTERVAL 10 SECOND)
  GROUP BY bidder, window_start, window_end;
