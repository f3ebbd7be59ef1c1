package pgwire

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Backend opens one Session per client connection.
type Backend interface {
	// Open starts a session for a client that authenticated as user.
	Open(ctx context.Context, user string) (Session, error)
}

// Session is one client's view of the store. The server calls it from
// one goroutine at a time (the connection's), except that ctx of a
// running Query may be cancelled from another goroutine.
type Session interface {
	// IsRead reports whether sql (one statement) only reads. An error
	// means the statement is invalid (it is reported as a syntax error).
	IsRead(ctx context.Context, sql string) (bool, error)
	// Describe returns the result columns sql (one statement) will have
	// and the types of its parameters $1..$n (nil where unknown) without
	// running it.
	Describe(ctx context.Context, sql string) (*arrow.Schema, []arrow.DataType, error)
	// Query runs sql (one read statement) with args bound to $1..$n.
	// Cancelling ctx interrupts it. The server releases the reader
	// before its next call on the session.
	Query(ctx context.Context, sql string, args []any) (array.RecordReader, error)
	// Begin, Commit and Rollback delimit a transaction: the queries in
	// between read one snapshot.
	Begin(ctx context.Context) error
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
	// Close ends the session (rolling back an open transaction).
	Close() error
}
