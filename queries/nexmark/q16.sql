-- Nexmark q16: channel statistics report. q15 per channel and day, with
-- the latest minute of the day seen so far: COUNT(*) and COUNT(DISTINCT)
-- with FILTER and a MAX over strings, grouped by two keys.
--
-- Source: https://github.com/nexmark/nexmark/blob/master/nexmark-flink/src/main/resources/queries/q16.sql
-- (RisingWave's e2e_test/streaming/nexmark/views/q16.slt.part is the same
-- query with to_char). DATE_FORMAT takes MySQL's specifiers: Flink's
-- 'yyyy-MM-dd' and 'HH:mm' are '%Y-%m-%d' and '%H:%i'.
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

CREATE MATERIALIZED VIEW q16 AS
  SELECT
    channel,
    DATE_FORMAT(date_time, '%Y-%m-%d') AS day,
    MAX(DATE_FORMAT(date_time, '%H:%i')) AS minute,
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
  GROUP BY channel, DATE_FORMAT(date_time, '%Y-%m-%d');
