-- Nexmark q20: expand bid with auction. Every bid on an auction of
-- category 10, with the auction's details: a regular (unwindowed) inner
-- join filtered on the right side.
--
-- Source: https://github.com/nexmark/nexmark/blob/master/nexmark-flink/src/main/resources/queries/q20.sql
-- (RisingWave's e2e_test/streaming/nexmark/views/q20.slt.part is the same
-- query without the extra columns). Columns both sides name are renamed
-- as Flink's sink does (bid_date_time, bid_extra, auction_date_time,
-- auction_extra).
CREATE SOURCE auction (
  id          BIGINT,
  item_name   VARCHAR,
  description VARCHAR,
  initial_bid BIGINT,
  reserve     BIGINT,
  date_time   TIMESTAMP(3),
  expires     TIMESTAMP(3),
  seller      BIGINT,
  category    BIGINT,
  extra       VARCHAR,
  WATERMARK FOR date_time AS date_time - INTERVAL 4 SECOND
) WITH (connector = 'datagen', generator = 'nexmark', kind = 'auction', rows = '1000000');

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

CREATE MATERIALIZED VIEW q20 AS
  SELECT
    auction, bidder, price, channel, url, B.date_time AS bid_date_time, B.extra AS bid_extra,
    item_name, description, initial_bid, reserve, A.date_time AS auction_date_time, expires,
    seller, category, A.extra AS auction_extra
  FROM bid AS B INNER JOIN auction AS A ON B.auction = A.id
  WHERE A.category = 10;
