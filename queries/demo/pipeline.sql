-- The README demo: two built-in generators, no external service.
--
-- 1. Nexmark bids converted to euros (exact DECIMAL) for a sample of auctions.
-- 2. The DWD layer of the process-operations case: bank request logs cleansed,
--    with the customer id masked and hashed, and bucketed by hour.

SET 'checkpoint.interval' = '500ms';

CREATE SOURCE bid (
  auction   BIGINT,
  bidder    BIGINT,
  price     BIGINT,
  channel   VARCHAR,
  date_time TIMESTAMP(3),
  WATERMARK FOR date_time AS date_time - INTERVAL 4 SECOND
) WITH (connector = 'datagen', generator = 'nexmark', kind = 'bid', rows = '2000000');

CREATE SOURCE request (
  trace_id    VARCHAR,
  step        VARCHAR,
  customer_id BIGINT,
  channel     VARCHAR,
  branch_id   INT,
  product     VARCHAR,
  amount      DECIMAL(18, 2),
  ts          TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL 5 SECOND
) WITH (connector = 'datagen', generator = 'banklog', kind = 'request', rows = '200000');

-- A plain view is not stored: it is inlined where it is used.
CREATE VIEW dwd_request AS
  SELECT trace_id,
         LOWER(step) AS step,
         MASK(CAST(customer_id AS CHAR), 2, 2) AS customer_masked,
         SUBSTRING(SHA2(CAST(customer_id AS CHAR), 256), 1, 16) AS customer_key,
         UPPER(channel) AS channel,
         branch_id,
         product,
         amount,
         DATE_FORMAT(ts, '%Y-%m-%d %H:00') AS hour,
         ts
  FROM request
  WHERE branch_id > 0 AND step IS NOT NULL;

CREATE MATERIALIZED VIEW dwd_loan_request AS
  SELECT trace_id, step, customer_masked, customer_key, channel, branch_id, amount, hour, ts
  FROM dwd_request
  WHERE product = 'loan' AND amount BETWEEN 1000 AND 500000;

CREATE MATERIALIZED VIEW bid_eur AS
  SELECT auction, bidder, price * 0.908 AS price_eur,
         CASE WHEN price >= 10000000 THEN 'high' WHEN price >= 1000000 THEN 'mid' ELSE 'low' END AS band,
         channel, date_time
  FROM bid
  WHERE MOD(auction, 123) = 0;
