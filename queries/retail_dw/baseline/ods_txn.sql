-- DuckDB batch equivalent of ods_txn over the txn table.
SELECT * FROM txn
