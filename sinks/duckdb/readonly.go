package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"

	duckdrv "github.com/duckdb/duckdb-go/v2"
)

// ReadOnly is a DuckDB file opened read-only for a session of queries (the
// interactive shell): one connection, held from OpenReadOnly until Close,
// so session settings persist between queries. It takes DuckDB's file
// lock, so no pipeline can open the file for writing while it is open (see
// the package doc). Queries run one at a time.
type ReadOnly struct {
	db   *sql.DB
	conn *sql.Conn
}

// OpenReadOnly opens the DuckDB file at path read-only.
func OpenReadOnly(ctx context.Context, path string) (*ReadOnly, error) {
	if path == "" || path == ":memory:" {
		return nil, errors.New("a database file is required (--db)")
	}
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	connector, err := duckdrv.NewConnector(path+"?access_mode=read_only", nil)
	if err != nil {
		return nil, fmt.Errorf("open %s read-only: %w", path, err)
	}
	db := sql.OpenDB(connector)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &ReadOnly{db: db, conn: conn}, nil
}

// Query runs query and returns its whole result. Cancelling ctx interrupts
// DuckDB; the connection stays usable.
func (r *ReadOnly) Query(ctx context.Context, query string) (*Result, error) {
	return queryConn(ctx, r.conn, query)
}

// Close closes the connection and the database.
func (r *ReadOnly) Close() error {
	return errors.Join(r.conn.Close(), r.db.Close())
}
