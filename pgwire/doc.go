// Package pgwire serves the PostgreSQL wire protocol (simple and extended
// query protocol) over a Backend that answers read queries with Arrow
// record batches, so psql, pgx, JDBC and other PostgreSQL clients can read
// a running pipeline's store. It is built on
// github.com/jeroenrinzema/psql-wire and imports nothing of sqlstream:
// the CLI adapts the DuckDB store (and the runner's statistics) to a
// Backend.
//
// What the server owns, per client connection:
//
//   - a backend Session, opened after authentication and closed with the
//     connection;
//   - splitting query strings into statements (split.go) and classifying
//     each (parse.go): a session command the server answers itself (SET,
//     SHOW of a PostgreSQL setting, RESET, BEGIN/COMMIT/ROLLBACK, DISCARD,
//     DEALLOCATE, SELECT version(), current_setting; chatter.go,
//     settings.go), a read handed to the backend (whatever Session.IsRead
//     accepts, and EXPLAIN of it), or refused: anything that would change
//     the store fails with SQLSTATE 25006 (read_only_sql_transaction)
//     naming the statement, and the session stays usable;
//   - transactions (tx.go): BEGIN ... COMMIT reads one snapshot through
//     the backend's transaction; an error inside a transaction block fails
//     it until ROLLBACK, as in PostgreSQL;
//   - cancel requests (cancel.go): each connection gets a process id and
//     secret key; a CancelRequest with them cancels the running query's
//     context (SQLSTATE 57014);
//   - authentication (auth.go): none by default; with Config.Password,
//     MD5 password authentication for any user name;
//   - the mapping of Arrow result columns to PostgreSQL types and their
//     text and binary encodings (types.go): bool, int2/4/8, float4/8,
//     numeric with exact digits for DECIMAL, text, bytea, date, time,
//     timestamp, timestamptz, interval; other types as text;
//   - rewrites of the few psql catalog queries DuckDB's pg_catalog
//     emulation cannot run as sent (catalog.go).
//
// SSL probes are answered "no SSL", so psql's default sslmode=prefer
// connects. Lifecycle: New, then Serve(listener) until Close, which stops
// accepting, closes idle connections' sessions as their clients leave,
// and waits at most Config.ShutdownTimeout for running queries.
package pgwire
