-- A securities firm's retail warehouse, layered ODS -> DWD -> DWS -> ADS.
--
-- ODS: CDC changelogs of customers, accounts and transactions (inserts,
-- updates, deletes) from the built-in retail generator, plus a branch
-- dimension that business users edit (a DuckDB table, joined by lookup).
-- Every view follows inserts, updates and deletes upstream: a deleted
-- customer leaves every count and sum it contributed to.

SET 'checkpoint.interval' = '1s';

CREATE SOURCE customer (
  customer_id BIGINT NOT NULL,
  name        VARCHAR(64),
  phone       VARCHAR(20),
  id_card     VARCHAR(18),
  branch_id   INT,
  risk_level  VARCHAR(8),
  created_at  TIMESTAMP(3),
  updated_at  TIMESTAMP(3),
  PRIMARY KEY (customer_id)
) WITH (connector = 'datagen', generator = 'retail', kind = 'customer', rows = '20000');

CREATE SOURCE account (
  account_id  BIGINT NOT NULL,
  customer_id BIGINT,
  product     VARCHAR(16),
  balance     DECIMAL(18, 2),
  status      VARCHAR(8),
  opened_at   TIMESTAMP(3),
  PRIMARY KEY (account_id)
) WITH (connector = 'datagen', generator = 'retail', kind = 'account', rows = '40000');

CREATE SOURCE txn (
  txn_id      BIGINT NOT NULL,
  account_id  BIGINT,
  customer_id BIGINT,
  kind        VARCHAR(16),
  amount      DECIMAL(18, 2),
  channel     VARCHAR(16),
  ts          TIMESTAMP(3),
  PRIMARY KEY (txn_id)
) WITH (connector = 'datagen', generator = 'retail', kind = 'txn', rows = '100000');

-- The branch dimension: a DuckDB table, so joins to it are lookup joins.
CREATE TABLE dim_branch (
  branch_id INT PRIMARY KEY,
  name      VARCHAR(64),
  region    VARCHAR(16)
);
INSERT INTO dim_branch VALUES
  (1, 'Beijing Main', 'north'), (2, 'Tianjin', 'north'), (3, 'Shenyang', 'north'), (4, 'Jinan', 'north'),
  (5, 'Shanghai Pudong', 'east'), (6, 'Hangzhou', 'east'), (7, 'Nanjing', 'east'), (8, 'Suzhou', 'east'),
  (9, 'Shenzhen Futian', 'south'), (10, 'Guangzhou', 'south'), (11, 'Xiamen', 'south'), (12, 'Nanning', 'south'),
  (13, 'Chengdu', 'west'), (14, 'Chongqing', 'west'), (15, 'Xi''an', 'west'), (16, 'Kunming', 'west'),
  (17, 'Wuhan', 'central'), (18, 'Changsha', 'central'), (19, 'Zhengzhou', 'central'), (20, 'Hefei', 'central');

-- ODS mirrors: the current state of each changelog, upserted by key.
CREATE MATERIALIZED VIEW ods_customer AS SELECT * FROM customer;
CREATE MATERIALIZED VIEW ods_account AS SELECT * FROM account;
CREATE MATERIALIZED VIEW ods_txn AS SELECT * FROM txn;

-- DWD: cleansed customers with personal data masked and the branch joined.
CREATE MATERIALIZED VIEW dwd_customer AS
  SELECT c.customer_id,
         MASK(c.phone, 3, 4) AS phone,
         MASK(c.id_card, 6, 4) AS id_card,
         SUBSTRING(SHA2(c.id_card, 256), 1, 16) AS id_card_key,
         c.branch_id,
         b.region,
         c.risk_level,
         c.created_at
  FROM customer c
  JOIN dim_branch b ON c.branch_id = b.branch_id
  WHERE c.risk_level IS NOT NULL;

-- DWD: signed cash flow per transaction.
CREATE VIEW dwd_txn AS
  SELECT txn_id, account_id, customer_id, kind, channel, ts,
         CASE WHEN kind IN ('deposit', 'transfer_in', 'fund_redeem') THEN amount ELSE -amount END AS net_amount
  FROM txn;

-- DWS: customers per branch; C4/C5 are the aggressive investor risk levels.
CREATE MATERIALIZED VIEW dws_branch_customers AS
  SELECT branch_id, region,
         COUNT(*) AS customers,
         COUNT(*) FILTER (WHERE risk_level IN ('C4', 'C5')) AS aggressive_investors
  FROM dwd_customer
  GROUP BY branch_id, region;

-- DWS: holdings per product and branch (join, then aggregate).
CREATE MATERIALIZED VIEW dws_holdings AS
  SELECT a.product, c.branch_id,
         COUNT(*) AS accounts,
         SUM(a.balance) AS holdings,
         MAX(a.balance) AS largest_balance
  FROM account a
  JOIN customer c ON a.customer_id = c.customer_id
  WHERE a.status = 'active'
  GROUP BY a.product, c.branch_id;

-- DWS: cash flow per customer and day.
CREATE MATERIALIZED VIEW dws_customer_day AS
  SELECT customer_id, DATE(ts) AS day,
         COUNT(*) AS txns,
         SUM(net_amount) AS net_inflow,
         MIN(net_amount) AS largest_outflow
  FROM dwd_txn
  GROUP BY customer_id, DATE(ts);

-- ADS: new customers per region and day.
CREATE MATERIALIZED VIEW ads_new_customers AS
  SELECT region, DATE(created_at) AS day, COUNT(*) AS new_customers
  FROM dwd_customer
  GROUP BY region, DATE(created_at);

-- ADS: active accounts per product.
CREATE MATERIALIZED VIEW ads_active_accounts AS
  SELECT product, COUNT(*) AS active_accounts, AVG(balance) AS avg_balance
  FROM account
  WHERE status = 'active'
  GROUP BY product;

-- ADS: net inflow per region (join, lookup join, aggregate).
CREATE MATERIALIZED VIEW ads_net_inflow AS
  SELECT b.region,
         SUM(t.net_amount) AS net_inflow,
         COUNT(DISTINCT t.customer_id) AS active_customers,
         COUNT(*) FILTER (WHERE t.channel = 'app') AS app_txns
  FROM dwd_txn t
  JOIN customer c ON t.customer_id = c.customer_id
  JOIN dim_branch b ON c.branch_id = b.branch_id
  GROUP BY b.region;

-- ADS: branch overview (aggregate, then join two aggregates).
CREATE VIEW branch_accounts AS
  SELECT c.branch_id, COUNT(*) AS accounts
  FROM account a JOIN customer c ON a.customer_id = c.customer_id
  GROUP BY c.branch_id;

CREATE MATERIALIZED VIEW ads_branch_overview AS
  SELECT d.branch_id, d.region, d.customers, a.accounts
  FROM dws_branch_customers d
  LEFT JOIN branch_accounts a ON d.branch_id = a.branch_id;
