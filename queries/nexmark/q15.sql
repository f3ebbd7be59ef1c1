-- Nexmark q15: bidding statistics report. Per day, how many bids, bidders
-- and auctions there are in three price ranges: COUNT(*) and
-- COUNT(DISTINCT) with FILTER, grouped by a computed day.
--
-- Source: https://github.com/nexmark/nexmark/blob/master/nexmark-flink/src/main/resources/queries/q15.sql
-- (RisingWave's e2e_test/streaming/nexmark/views/q15.slt.part is the same
-- query with to_char). DATE_FORMAT takes MySQL's specifiers: Flink's
-- 'yyyy-MM-dd' is '%Y-%m-%d'.
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

CREATE MATERIALIZED VIEW q15 AS
  SELECT
    DATE_FORMAT(date_time, '%Y-%m-%d') AS day,
    COUNT(*) AS total_bids,
    COUNT(*) FILTER (WHERE price < 10000) AS rank1_bids,
    COUNT(*) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bids,
    COUNT(*) FILTER (WHERE price >= 1000000) AS rank3_bids,
    COUNT(DISTINCT bidder) AS total_bidders,
    COUNT(DISTINCT bidder) FILTER (WHERE price < 10000) AS rank1_bidders,
    COUNT(DISTINCT bidder) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_bidders,
    COUNT(DISTINCT bidder) FILTER (WHERE price >= 1000000) AS rank3_bidders,
    COUNT(DISTINCT auction) AS total_auctions,
    COUNT(DISTINCT auction) FILTER (WHERE price < 10000) AS rank1_auctions,
    COUNT(DISTINCT auction) FILTER (WHERE price >= 10000 AND price < 1000000) AS rank2_auctions,
    COUNT(DISTINCT auction) FILTER (WHERE price >= 1000000) AS rank3_auctions
  FROM bid
  GROUP BY DATE_FORMAT(date_time, '%Y-%m-%d');
