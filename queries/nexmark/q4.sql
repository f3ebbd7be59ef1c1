-- Nexmark q4: average price for a category. The winning (highest) bid of
-- each auction among the bids placed while it was open, averaged per
-- category. A join whose time bound is another column (the auction's
-- expires), an aggregate per auction, and an aggregate over that
-- aggregate's changelog.
--
-- Source: https://github.com/risingwavelabs/risingwave/blob/main/e2e_test/streaming/nexmark/views/q4.slt.part
-- (the same as nexmark/nexmark nexmark-flink/src/main/resources/queries/q4.sql).
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

CREATE MATERIALIZED VIEW q4 AS
  SELECT Q.category, AVG(Q.final) AS avg
  FROM (
    SELECT MAX(B.price) AS final, A.category
    FROM auction A, bid B
    WHERE A.id = B.auction AND B.date_time BETWEEN A.date_time AND A.expires
    GROUP BY A.id, A.category
  ) Q
  GROUP BY Q.category;
