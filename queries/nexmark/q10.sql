-- Nexmark q10: log to a file system. Every bid into Parquet files
-- partitioned by day and minute (Hive-style dt=.../hm=... directories),
-- one file per partition per checkpoint epoch.
--
-- Source: https://github.com/nexmark/nexmark/blob/master/nexmark-flink/src/main/resources/queries/q10.sql
-- with MySQL's DATE_FORMAT patterns for Flink's 'yyyy-MM-dd' and 'HH:mm',
-- and our file sink instead of Flink's filesystem connector (Flink writes
-- CSV and commits a partition a minute after its time; ours commits with
-- every checkpoint). Read it back with DuckDB:
--   SELECT * FROM read_parquet('nexmark_q10/**/*.parquet', hive_partitioning = true, hive_types_autocast = false)
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

CREATE SINK q10 AS
  SELECT auction, bidder, price, date_time, extra,
         DATE_FORMAT(date_time, '%Y-%m-%d') AS dt, DATE_FORMAT(date_time, '%H:%i') AS hm
  FROM bid
  WITH (connector = 'file', path = 'nexmark_q10', format = 'parquet', 'partition.by' = 'dt, hm');
