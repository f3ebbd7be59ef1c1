package pgwire

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"sync"

	wire "github.com/jeroenrinzema/psql-wire"
	"github.com/jeroenrinzema/psql-wire/pkg/types"
)

// txState is a connection's transaction status.
type txState uint8

const (
	txIdle   txState = iota // autocommit: each statement reads the latest epoch
	txBlock                 // inside BEGIN ... COMMIT: one snapshot
	txFailed                // an error in the block: only COMMIT/ROLLBACK work
)

// conn is the state of one client connection, created when the client
// authenticates and closed with the connection. Its fields are used by
// the connection's goroutine only, except cancel (guarded by mu), which
// cancel requests reach from other goroutines.
type conn struct {
	srv         *Server
	sess        Session
	user        string
	pid, secret int32
	tx          txState
	settings    map[string]string // set by SET in this session

	mu     sync.Mutex
	cancel context.CancelFunc // of the running query, nil when none
	closed bool
}

type connKey struct{}

// connFrom returns the connection state stored in ctx by authenticate.
func connFrom(ctx context.Context) (*conn, bool) {
	c, ok := ctx.Value(connKey{}).(*conn)
	return c, ok
}

// newConn opens a backend session for user and registers the connection
// under a fresh process id and secret key.
func (s *Server) newConn(ctx context.Context, user string) (*conn, error) {
	sess, err := s.cfg.Backend.Open(ctx, user)
	if err != nil {
		return nil, err
	}
	c := &conn{srv: s, sess: sess, user: user, settings: map[string]string{}}
	var key [8]byte
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		_, _ = rand.Read(key[:])
		c.pid = int32(binary.BigEndian.Uint32(key[:4]) & 0x7fffffff)
		c.secret = int32(binary.BigEndian.Uint32(key[4:]))
		if _, used := s.conns[c.pid]; !used && c.pid != 0 {
			break
		}
	}
	s.conns[c.pid] = c
	return c, nil
}

// close ends the backend session and unregisters the connection.
func (c *conn) close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	c.srv.mu.Lock()
	delete(c.srv.conns, c.pid)
	c.srv.mu.Unlock()
	return c.sess.Close()
}

// status is the transaction status byte of ReadyForQuery.
func (c *conn) status() types.ServerStatus {
	if c == nil {
		return types.ServerIdle
	}
	switch c.tx {
	case txBlock:
		return types.ServerTransactionBlock
	case txFailed:
		return types.ServerTransactionFailed
	}
	return types.ServerIdle
}

// fail records err: inside a transaction block the block fails until
// COMMIT or ROLLBACK, as in PostgreSQL. It returns err.
func (c *conn) fail(err error) error {
	if err != nil && c.tx == txBlock && !errors.Is(err, wire.ErrSuspendedHandlerClosed) {
		c.tx = txFailed
	}
	return err
}

// guard refuses a statement in a failed transaction block.
func (c *conn) guard() error {
	if c.tx == txFailed {
		return sqlError(codeInFailedTx, "", "current transaction is aborted, commands ignored until end of transaction block")
	}
	return nil
}

// startQuery returns the context of a query the client may cancel, and
// the function to call when it ends.
func (c *conn) startQuery(ctx context.Context) (context.Context, func()) {
	qctx, cancel := context.WithCancel(ctx)
	c.mu.Lock()
	c.cancel = cancel
	c.mu.Unlock()
	return qctx, func() {
		c.mu.Lock()
		c.cancel = nil
		c.mu.Unlock()
		cancel()
	}
}

// cancelQuery cancels the running query, if any.
func (c *conn) cancelQuery() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cancel != nil {
		c.cancel()
	}
}

// cancelRequest handles a CancelRequest: the query running on the
// connection with that process id and secret key is cancelled. A request
// with a wrong key is ignored, as in PostgreSQL.
func (s *Server) cancelRequest(_ context.Context, pid, secret int32) error {
	s.mu.Lock()
	c := s.conns[pid]
	s.mu.Unlock()
	if c != nil && c.secret == secret {
		c.cancelQuery()
	}
	return nil
}
