-- Nexmark q8: monitor new users. People who opened an account and created
-- an auction in the same 10-second tumbling window: a join of two window
-- aggregates on the person and the window.
--
-- Source: https://github.com/risingwavelabs/risingwave/blob/main/e2e_test/streaming/nexmark/views/q8.slt.part
-- (Flink's nexmark-flink/src/main/resources/queries/q8.sql is the same
-- query written with the legacy TUMBLE group window).
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

CREATE MATERIALIZED VIEW q8 AS
  SELECT P.id, P.name, P.starttime
  FROM (
    SELECT id, name, window_start AS starttime, window_end AS endtime
    FROM TUMBLE(person, date_time, INTERVAL 10 SECOND)
    GROUP BY id, name, window_start, window_end
  ) P
  JOIN (
    SELECT seller, window_start AS starttime, window_end AS endtime
    FROM TUMBLE(auction, date_time, INTERVAL 10 SECOND)
    GROUP BY seller, window_start, window_end
  ) A
  ON P.id = A.seller AND P.starttime = A.starttime AND P.endtime = A.endtime;
