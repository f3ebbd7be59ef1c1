package pgwire

import (
	"context"

	wire "github.com/jeroenrinzema/psql-wire"
)

// txCommand is a transaction control statement.
type txCommand uint8

const (
	txBegin txCommand = iota
	txCommit
	txRollback
)

// txStatement returns the statement running cmd. As in PostgreSQL, BEGIN
// inside a block and COMMIT/ROLLBACK outside one only complete, and
// COMMIT of a failed block rolls it back.
func (c *conn) txStatement(cmd txCommand) *wire.PreparedStatement {
	return wire.NewStatement(func(ctx context.Context, w wire.DataWriter, _ []wire.Parameter) error {
		tag, err := c.runTx(ctx, cmd)
		if err != nil {
			return err
		}
		return w.Complete(tag)
	})
}

// runTx moves the connection's transaction state and the backend's.
func (c *conn) runTx(ctx context.Context, cmd txCommand) (string, error) {
	switch cmd {
	case txBegin:
		if c.tx != txIdle {
			return "BEGIN", c.guard()
		}
		if err := c.sess.Begin(ctx); err != nil {
			return "", err
		}
		c.tx = txBlock
		return "BEGIN", nil
	case txCommit:
		switch c.tx {
		case txIdle:
			return "COMMIT", nil
		case txFailed:
			return "ROLLBACK", c.endTx(c.sess.Rollback(ctx))
		}
		return "COMMIT", c.endTx(c.sess.Commit(ctx))
	}
	if c.tx == txIdle {
		return "ROLLBACK", nil
	}
	return "ROLLBACK", c.endTx(c.sess.Rollback(ctx))
}

// endTx leaves the transaction block whatever the backend said.
func (c *conn) endTx(err error) error {
	c.tx = txIdle
	return err
}
