-- Nexmark q21: add channel id. Bids from the four big channels get their
-- fixed id; the others the channel_id parameter of their url, and bids
-- with neither are dropped: CASE, LOWER and REGEXP_EXTRACT.
--
-- Source: https://github.com/nexmark/nexmark/blob/master/nexmark-flink/src/main/resources/queries/q21.sql
-- (RisingWave's e2e_test/streaming/nexmark/views/q21.slt.part is the same
-- query with regexp_match(...)[2]). REGEXP_EXTRACT is Flink's: the group
-- of the first match, NULL when the url has no channel_id.
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

CREATE MATERIALIZED VIEW q21 AS
  SELECT
    auction, bidder, price, channel,
    CASE
      WHEN LOWER(channel) = 'apple' THEN '0'
      WHEN LOWER(channel) = 'google' THEN '1'
      WHEN LOWER(channel) = 'facebook' THEN '2'
      WHEN LOWER(channel) = 'baidu' THEN '3'
      ELSE REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2)
    END AS channel_id
  FROM bid
  WHERE REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2) IS NOT NULL
     OR LOWER(channel) IN ('apple', 'google', 'facebook', 'baidu');
