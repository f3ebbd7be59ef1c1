-- Nexmark q9: winning bids. Each auction with its winning bid: the
-- highest bid placed while the auction was open, the earliest of equal
-- ones. A Top-1 per auction over a join bounded by the auction's expires.
--
-- Source: https://github.com/nexmark/nexmark/blob/master/nexmark-flink/src/main/resources/queries/q9.sql
-- (RisingWave's e2e_test/streaming/nexmark/views/q9.slt.part is the same
-- query without the extra columns).
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

CREATE MATERIALIZED VIEW q9 AS
  SELECT id, item_name, description, initial_bid, reserve, date_time, expires, seller, category, extra,
         auction, bidder, price, bid_date_time, bid_extra
  FROM (
    SELECT A.*, B.auction, B.bidder, B.price, B.date_time AS bid_date_time, B.extra AS bid_extra,
           ROW_NUMBER() OVER (PARTITION BY A.id ORDER BY B.price DESC, B.date_time ASC) AS rownum
    FROM auction A, bid B
    WHERE A.id = B.auction AND B.date_time BETWEEN A.date_time AND A.expires
  ) tmp
  WHERE rownum <= 1;
