package shell

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sqlstream/sqlstream/sinks/duckdb"
)

// duckBackend queries a DuckDB file over one read-only connection.
type duckBackend struct {
	path string
	ro   *duckdb.ReadOnly
}

// OpenDuckDB opens the DuckDB file at path read-only for the session. It
// fails while a pipeline holds the file open (DuckDB's file lock); use
// ConnectPG against `sqlstream run --listen` then.
func OpenDuckDB(ctx context.Context, path string) (Backend, error) {
	ro, err := duckdb.OpenReadOnly(ctx, path)
	if err != nil {
		if strings.Contains(err.Error(), "Could not set lock") {
			return nil, fmt.Errorf("shell: %w\n(a running pipeline holds the file: use --connect with its --listen address)", err)
		}
		return nil, fmt.Errorf("shell: %w", err)
	}
	return &duckBackend{path: path, ro: ro}, nil
}

func (b *duckBackend) Query(ctx context.Context, stmt string) (*Result, error) {
	res, err := b.ro.Query(ctx, stmt)
	if err != nil {
		return nil, err
	}
	if isStatus(res) {
		return &Result{Tag: "OK"}, nil
	}
	return &Result{Table: res.Table()}, nil
}

func (b *duckBackend) Describe() string { return b.path + " (DuckDB, read-only)" }

func (b *duckBackend) Close() error { return b.ro.Close() }

// isStatus reports DuckDB's answer to a statement without rows (SET,
// PRAGMA with no output): no columns, or an empty BOOLEAN "Success".
func isStatus(res *duckdb.Result) bool {
	if len(res.Columns) == 0 {
		return true
	}
	return len(res.Columns) == 1 && res.Columns[0] == "Success" && len(res.Rows) == 0 &&
		res.Types[0].ID() == arrow.BOOL
}
