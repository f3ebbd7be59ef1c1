-- DWD cleansing of customer records from files: the ODS layer arrives as
-- JSON lines (one customer per line) and a CSV of branches. Phone and ID
-- card numbers are masked, malformed records go to errors_<source>.

CREATE SOURCE ods_customer (
  customer_id BIGINT NOT NULL,
  name        VARCHAR(64),
  phone       VARCHAR(20),
  id_card     VARCHAR(18),
  branch_id   INT,
  balance     DECIMAL(18, 2),
  opened_on   DATE,
  updated_at  TIMESTAMP(3),
  PRIMARY KEY (customer_id)
) WITH (connector = 'file', path = 'data/customer.jsonl', format = 'json');

CREATE SOURCE ods_branch (
  branch_id INT NOT NULL,
  name      VARCHAR(64),
  region    VARCHAR(16)
) WITH (connector = 'file', path = 'data/branch.csv', format = 'csv');

CREATE MATERIALIZED VIEW dwd_customer AS
  SELECT customer_id,
         TRIM(name) AS name,
         MASK(phone, 3, 4) AS phone,
         MASK(id_card, 6, 4) AS id_card,
         MD5(id_card) AS id_card_md5,
         branch_id,
         balance,
         ROUND(balance * 0.0125, 2) AS monthly_interest,
         opened_on,
         DATE_FORMAT(updated_at, '%Y-%m') AS updated_month,
         HOUR(updated_at) AS updated_hour,
         updated_at + INTERVAL 1 DAY AS review_due
  FROM ods_customer
  WHERE branch_id > 0 AND (balance IS NULL OR balance >= 0);

CREATE MATERIALIZED VIEW dwd_branch AS
  SELECT branch_id, UPPER(name) AS name, COALESCE(region, 'unknown') AS region
  FROM ods_branch
  WHERE region IN ('north', 'south', 'east', 'west') OR region IS NULL;

-- The same branch CSV as a dimension table: a DuckDB table loaded from the
-- file (by the file connector, so the same CSV rules apply and its
-- malformed row goes to errors_dim_branch) before the sources start.
-- Joins to it are lookup joins against DuckDB.
CREATE TABLE dim_branch (
  branch_id INT PRIMARY KEY,
  name      VARCHAR(64),
  region    VARCHAR(16)
) WITH (connector = 'file', path = 'data/branch.csv', format = 'csv');

CREATE MATERIALIZED VIEW dwd_customer_branch AS
  SELECT c.customer_id, c.branch_id, b.name AS branch_name,
         COALESCE(b.region, 'unknown') AS region
  FROM ods_customer c LEFT JOIN dim_branch b ON c.branch_id = b.branch_id;
