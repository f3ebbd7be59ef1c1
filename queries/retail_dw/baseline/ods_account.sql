-- DuckDB batch equivalent of ods_account over the account table.
SELECT * FROM account
