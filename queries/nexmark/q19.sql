-- Nexmark q19: auction top-10 price. The ten highest bids of each auction,
-- numbered: a Top-N per auction whose output is revised (retracted and
-- renumbered) as higher bids arrive.
--
-- Source: https://github.com/nexmark/nexmark/blob/master/nexmark-flink/src/main/resources/queries/q19.sql
-- (RisingWave's e2e_test/streaming/nexmark/views/q19.slt.part is the
-- same). Equal prices in an auction's top ten would make rank_number
-- depend on arrival, so the ORDER BY breaks ties on the earlier bid and
-- then the remaining columns; rows equal in all of them are the same row.
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

CREATE MATERIALIZED VIEW q19 AS
  SELECT * FROM (
    SELECT *,
      ROW_NUMBER() OVER (
        PARTITION BY auction
        ORDER BY price DESC, date_time, bidder, channel, url, extra
      ) AS rank_number
    FROM bid
  ) AS b
  WHERE rank_number <= 10;
