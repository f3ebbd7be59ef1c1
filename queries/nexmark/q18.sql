-- Nexmark q18: find last bid. Each bidder's latest bid on each auction: a
-- deduplication keeping the last row per key (ROW_NUMBER ... DESC, rn <= 1),
-- revised as newer bids arrive.
--
-- Source: https://github.com/risingwavelabs/risingwave/blob/main/e2e_test/streaming/nexmark/views/q18.slt.part
-- (Flink's nexmark-flink/src/main/resources/queries/q18.sql orders by
-- dateTime DESC only). Bids of one bidder on one auction often share a
-- millisecond (about ten events per ms, most from the hot bidder on the
-- hot auction), so, as RisingWave adds extra, the ORDER BY breaks ties on
-- the remaining columns to make "the last bid" one deterministic row; rows
-- equal in all of them are the same row.
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

CREATE MATERIALIZED VIEW q18 AS
  SELECT auction, bidder, price, channel, url, date_time, extra
  FROM (
    SELECT *,
      ROW_NUMBER() OVER (
        PARTITION BY bidder, auction
        ORDER BY date_time DESC, price DESC, channel, url, extra
      ) AS rank_number
    FROM bid
  ) AS b
  WHERE rank_number <= 1;
