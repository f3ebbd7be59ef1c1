-- Nexmark q14: calculation. Bids in a price band, in euros, with the part
-- of the day they were placed in and how many 'c's their extra holds:
-- repeated expressions and a user-defined function over a stateless
-- stream.
--
-- Source: https://github.com/nexmark/nexmark/blob/master/nexmark-flink/src/main/resources/queries/q14.sql
-- (RisingWave's e2e_test/streaming/nexmark/views/q14.slt.part is the same
-- query without extra, with count_char as a JavaScript UDF). Flink's
-- count_char UDF is the built-in COUNT_CHAR here; 0.908 * price is an
-- exact DECIMAL.
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

CREATE MATERIALIZED VIEW q14 AS
  SELECT
    auction,
    bidder,
    0.908 * price AS price,
    CASE
      WHEN HOUR(date_time) >= 8 AND HOUR(date_time) <= 18 THEN 'dayTime'
      WHEN HOUR(date_time) <= 6 OR HOUR(date_time) >= 20 THEN 'nightTime'
      ELSE 'otherTime'
    END AS bidTimeType,
    date_time,
    extra,
    COUNT_CHAR(extra, 'c') AS c_counts
  FROM bid
  WHERE 0.908 * price > 1000000 AND 0.908 * price < 50000000;
