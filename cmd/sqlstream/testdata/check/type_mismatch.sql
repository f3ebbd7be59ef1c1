-- SUM over a VARCHAR column.
CREATE SOURCE orders (
  order_id BIGINT, customer VARCHAR(32), amount VARCHAR(16), ts TIMESTAMP(3)
) WITH (connector = 'file', path = 'orders.jsonl', format = 'json');

CREATE MATERIALIZED VIEW revenue AS
  SELECT customer, SUM(amount) AS revenue FROM orders GROUP BY customer;
