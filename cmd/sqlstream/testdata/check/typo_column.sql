-- A typo in a column name: the planner suggests the nearest column.
CREATE SOURCE bid (
  auction BIGINT, bidder BIGINT, price BIGINT, date_time TIMESTAMP(3),
  WATERMARK FOR date_time AS date_time - INTERVAL 4 SECOND
) WITH (connector = 'datagen', generator = 'nexmark', kind = 'bid', rows = '1000');

CREATE MATERIALIZED VIEW expensive AS
  SELECT auction, bidder, prize FROM bid WHERE price > 1000;
