-- DuckDB batch equivalent of ods_customer over the customer table (the
-- changelog applied: its current rows).
SELECT * FROM customer
