-- Nexmark q7: highest bid. Per 10-second tumbling window, the bids whose
-- price is the window's maximum. The window aggregate is joined back to
-- the bids of its window (an interval join on the window's end).
--
-- Source: https://github.com/risingwavelabs/risingwave/blob/main/e2e_test/streaming/nexmark/views/q7.slt.part
-- (Flink's nexmark-flink/src/main/resources/queries/q7.sql is the same
-- query with TUMBLE_ROWTIME and also selects extra).
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

CREATE MATERIALIZED VIEW q7 AS
  SELECT B.auction, B.price, B.bidder, B.date_time
  FROM bid B
  JOIN (
    SELECT MAX(price) AS maxprice, window_end AS date_time
    FROM TUMBLE(bid, date_time, INTERVAL 10 SECOND)
    GROUP BY window_end
  ) B1 ON B.price = B1.maxprice
  WHERE B.date_time BETWEEN B1.date_time - INTERVAL 10 SECOND AND B1.date_time;
