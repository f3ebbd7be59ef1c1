-- Nexmark q3: local item suggestion. Who is selling in category 10 in
-- Oregon, Idaho or California? A regular (unwindowed) join of auctions and
-- people; both sides are kept.
--
-- Source: https://github.com/nexmark/nexmark/blob/master/nexmark-flink/src/main/resources/queries/q3.sql
-- (RisingWave's e2e_test/streaming/nexmark/views/q3.slt.part is the same
-- query with lower-case state codes for its generator; ours, like
-- Flink's, emits upper-case codes.)
CREATE SOURCE person (
  id            BIGINT,
  name          VARCHAR,
  email_address VARCHAR,
  credit_card   VARCHAR,
  city          VARCHAR,
  state         VARCHAR,
  date_time     TIMESTAMP(3),
  extra         VARCHAR,
  WATERMARK FOR date_time AS date_time - INTERVAL 4 SECOND
) WITH (connector = 'datagen', generator = 'nexmark', kind = 'person', rows = '1000000');

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

CREATE MATERIALIZED VIEW q3 AS
  SELECT P.name, P.city, P.state, A.id
  FROM auction AS A INNER JOIN person AS P ON A.seller = P.id
  WHERE A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA');
