-- Nexmark q1: currency conversion. Bid prices in dollars become euros,
-- computed exactly as DECIMAL (never float).
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

CREATE MATERIALIZED VIEW q1 AS
  SELECT auction, bidder, price * 0.908 AS price, date_time, extra FROM bid;
