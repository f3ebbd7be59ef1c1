package shell

import (
	"context"

	"github.com/sqlstream/sqlstream/sinks/render"
)

// Backend runs the shell's statements: a DuckDB file opened read-only
// (OpenDuckDB) or a PostgreSQL-protocol server such as `sqlstream run
// --listen` (ConnectPG). The shell runs one statement at a time and owns
// the Backend until it closes it.
type Backend interface {
	// Query runs one statement and returns its whole result. Cancelling
	// ctx cancels the statement; the Backend stays usable afterwards.
	Query(ctx context.Context, stmt string) (*Result, error)
	// Describe names what the shell is connected to, for its banner.
	Describe() string
	Close() error
}

// Result is the outcome of one statement.
type Result struct {
	// Table holds the rows; nil when the statement returns none.
	Table *render.Table
	// Tag is the command tag of a statement without rows ("SET").
	Tag string
}
