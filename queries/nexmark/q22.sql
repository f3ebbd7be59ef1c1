-- Nexmark q22: get URL directories. The first three path segments of each
-- bid's url: SPLIT_INDEX over a stateless stream.
--
-- Source: https://github.com/nexmark/nexmark/blob/master/nexmark-flink/src/main/resources/queries/q22.sql
-- (RisingWave's e2e_test/streaming/nexmark/views/q22.slt.part is the same
-- query with PostgreSQL's 1-based split_part). SPLIT_INDEX is Flink's:
-- 0-based, NULL past the last part. Parts 0-2 of 'https://host/a/b/c/...'
-- are 'https:', '' and the host.
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

CREATE MATERIALIZED VIEW q22 AS
  SELECT
    auction, bidder, price, channel,
    SPLIT_INDEX(url, '/', 3) AS dir1,
    SPLIT_INDEX(url, '/', 4) AS dir2,
    SPLIT_INDEX(url, '/', 5) AS dir3
  FROM bid;
