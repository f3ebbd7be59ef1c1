-- Nexmark q13: bounded side input join. Each bid enriched with the value
-- of its auction's slot in a bounded side input: a lookup join of the
-- stream to a table loaded from a file.
--
-- Source: https://github.com/nexmark/nexmark/blob/master/nexmark-flink/src/main/resources/queries/q13.sql
-- (not in RisingWave's e2e suite). data/side_input.csv is what Flink's
-- SideInputGenerator writes for its benchmark (bin/side_input_gen.sh,
-- --num 10000): the lines "i,i" for i = 0..9999. Flink's
-- FOR SYSTEM_TIME AS OF PROCTIME() is the plain JOIN here: a join to a
-- table is a lookup join at processing time. The table is loaded before
-- the bid source starts, so every bid sees all of it.
CREATE TABLE side_input (
  `key` BIGINT PRIMARY KEY,
  value   VARCHAR
) WITH (connector = 'file', path = 'data/side_input.csv', format = 'csv', 'csv.header' = 'false');

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

CREATE MATERIALIZED VIEW q13 AS
  SELECT B.auction, B.bidder, B.price, B.date_time, S.value
  FROM bid AS B
  JOIN side_input AS S ON MOD(B.auction, 10000) = S.`key`;
