-- Nexmark q5: hot items. Per 10-second window sliding every 2 seconds,
-- the auctions with the most bids. A window aggregate joined with the
-- maximum of the same window aggregate per window.
--
-- Source: https://github.com/risingwavelabs/risingwave/blob/main/e2e_test/streaming/nexmark/views/q5.slt.part
-- (Flink's nexmark-flink/src/main/resources/queries/q5.sql is the same
-- query written with the legacy HOP group window).
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

CREATE MATERIALIZED VIEW q5 AS
  SELECT AuctionBids.auction, AuctionBids.num
  FROM (
    SELECT auction, COUNT(*) AS num, window_start AS starttime
    FROM HOP(bid, date_time, INTERVAL 2 SECOND, INTERVAL 10 SECOND)
    GROUP BY window_start, auction
  ) AS AuctionBids
  JOIN (
    SELECT MAX(CountBids.num) AS maxn, CountBids.starttime_c
    FROM (
      SELECT COUNT(*) AS num, window_start AS starttime_c
      FROM HOP(bid, date_time, INTERVAL 2 SECOND, INTERVAL 10 SECOND)
      GROUP BY auction, window_start
    ) AS CountBids
    GROUP BY CountBids.starttime_c
  ) AS MaxBids
  ON AuctionBids.starttime = MaxBids.starttime_c AND AuctionBids.num >= MaxBids.maxn;
