-- Several problems in one file: check reports every connector option
-- error and every state finding, not just the first.
CREATE SOURCE orders (
  order_id BIGINT, customer_id BIGINT, amount DECIMAL(18,2), ts TIMESTAMP(3)
) WITH (connector = 'kafka', brokers = '127.0.0.1:9092', topic = 'orders', format = 'json',
        'scan.startup.mode' = 'beginning');

CREATE SOURCE payments (
  order_id BIGINT, paid DECIMAL(18,2), ts TIMESTAMP(3)
) WITH (connector = 'datagen', generator = 'sequence', rate = 'fast');

CREATE MATERIALIZED VIEW paid_orders AS
  SELECT o.order_id, o.customer_id, o.amount, p.paid
  FROM orders o JOIN payments p ON o.order_id = p.order_id;

CREATE MATERIALIZED VIEW orders_per_customer AS
  SELECT customer_id, COUNT(*) AS orders FROM orders GROUP BY customer_id;

CREATE SINK paid_out FROM paid_orders
  WITH (connector = 'file', path = 'out', format = 'parquet', 'sort.by' = 'nope');
