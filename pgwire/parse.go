package pgwire

import (
	"context"
	"errors"
	"fmt"
	"strings"

	wire "github.com/jeroenrinzema/psql-wire"
)

// parse turns a query string into prepared statements: the session
// commands the server answers itself, and reads for the backend. In the
// simple protocol a statement that fails to prepare becomes one that fails
// when it runs, so the statements before it still run (as in PostgreSQL).
func (s *Server) parse(ctx context.Context, q wire.Query) (wire.PreparedStatements, error) {
	c, ok := connFrom(ctx)
	if !ok {
		return nil, errors.New("pgwire: no session")
	}
	texts := splitStatements(q.Query)
	if len(texts) == 0 {
		return wire.Prepared(wire.NewStatement(func(_ context.Context, w wire.DataWriter, _ []wire.Parameter) error {
			return w.Empty()
		})), nil
	}
	if !q.SimpleQuery && len(texts) > 1 {
		return nil, c.fail(sqlError(codeSyntax, "", "cannot insert multiple commands into a prepared statement"))
	}
	out := make(wire.PreparedStatements, 0, len(texts))
	for _, text := range texts {
		st, err := c.prepare(ctx, text, q.ParameterOIDs)
		if err != nil {
			if !q.SimpleQuery {
				return nil, c.fail(err)
			}
			st = failing(c, err)
		}
		out = append(out, st)
	}
	return out, nil
}

// emptyResult is a statement returning no rows (of one text column).
func emptyResult() *wire.PreparedStatement {
	cols := wire.Columns{{Name: "?column?", Oid: oidText, Width: -1}}
	return wire.NewStatement(func(_ context.Context, w wire.DataWriter, _ []wire.Parameter) error {
		return w.Complete("SELECT 0")
	}, wire.WithColumns(cols))
}

// failing is a statement that reports err when it runs.
func failing(c *conn, err error) *wire.PreparedStatement {
	return wire.NewStatement(func(context.Context, wire.DataWriter, []wire.Parameter) error {
		return c.fail(err)
	})
}

// prepare prepares one statement.
func (c *conn) prepare(ctx context.Context, text string, clientOIDs []uint32) (*wire.PreparedStatement, error) {
	kw := keywords(text, 4)
	if !endsTx(kw) {
		if err := c.guard(); err != nil {
			return nil, err
		}
	}
	if st, ok, err := c.command(text, kw); ok {
		return st, err
	}
	text = rewriteCatalog(text)
	if answersEmpty(kw, text) {
		return emptyResult(), nil
	}
	return c.prepareRead(ctx, text, kw, clientOIDs)
}

// endsTx reports whether a statement ends a transaction block.
func endsTx(kw []string) bool {
	return len(kw) > 0 && (kw[0] == "COMMIT" || kw[0] == "END" || kw[0] == "ROLLBACK" || kw[0] == "ABORT")
}

// prepareRead checks that the statement only reads, refusing it with
// 25006 otherwise, and describes its result and parameters.
func (c *conn) prepareRead(ctx context.Context, text string, kw []string, clientOIDs []uint32) (*wire.PreparedStatement, error) {
	check := text
	if len(kw) > 0 && kw[0] == "EXPLAIN" {
		check = explained(text, kw)
	}
	read, err := c.sess.IsRead(ctx, check)
	if err != nil {
		return nil, sqlError(codeSyntax, "", "%v", err)
	}
	if !read {
		return nil, refuseWrite(statementName(kw))
	}
	schema, params, err := c.sess.Describe(ctx, text)
	if err != nil {
		return nil, err
	}
	oids := paramOIDs(params, clientOIDs)
	fn := func(ctx context.Context, w wire.DataWriter, ps []wire.Parameter) error {
		if err := c.guard(); err != nil {
			return err
		}
		args, err := decodeParams(ps, oids)
		if err != nil {
			return c.fail(err)
		}
		return c.fail(c.runQuery(ctx, w, text, args))
	}
	return wire.NewStatement(fn, wire.WithColumns(columnsOf(schema)), wire.WithParameters(oids)), nil
}

// explained returns the statement an EXPLAIN [ANALYZE] [VERBOSE] explains.
func explained(text string, kw []string) string {
	n := 1
	for n < len(kw) && (kw[n] == "ANALYZE" || kw[n] == "ANALYSE" || kw[n] == "VERBOSE") {
		n++
	}
	return afterKeywords(text, n)
}

// statementName names a statement by its leading keywords, for errors:
// INSERT, CREATE TABLE, DROP VIEW, CREATE OR REPLACE VIEW.
func statementName(kw []string) string {
	if len(kw) == 0 {
		return "this statement"
	}
	switch kw[0] {
	case "CREATE", "DROP", "ALTER", "COMMENT":
		n := 2
		if len(kw) > 2 && kw[1] == "OR" {
			n = 4
		}
		return strings.Join(kw[:min(n, len(kw))], " ")
	}
	return kw[0]
}

// runQuery runs a read on the backend and writes its rows.
func (c *conn) runQuery(ctx context.Context, w wire.DataWriter, text string, args []any) error {
	qctx, done := c.startQuery(ctx)
	defer done()
	rd, err := c.sess.Query(qctx, text, args)
	if err != nil {
		return queryError(qctx, err)
	}
	defer rd.Release()
	n := 0
	for rd.Next() {
		rows, err := rowsOf(rd.RecordBatch(), w.Columns())
		if err != nil {
			return err
		}
		if err := wire.WriteRows(w, rows); err != nil {
			return err
		}
		n += len(rows)
	}
	if err := rd.Err(); err != nil {
		return queryError(qctx, err)
	}
	if err := qctx.Err(); err != nil {
		return queryError(qctx, err)
	}
	return w.Complete(fmt.Sprintf("SELECT %d", n))
}
