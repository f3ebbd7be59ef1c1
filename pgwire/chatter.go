package pgwire

import (
	"context"
	"regexp"
	"strings"

	wire "github.com/jeroenrinzema/psql-wire"
)

// command returns the statement for a session command the server answers
// itself, and false for anything else.
func (c *conn) command(text string, kw []string) (*wire.PreparedStatement, bool, error) {
	if len(kw) == 0 {
		return nil, false, nil
	}
	switch kw[0] {
	case "BEGIN", "START":
		return c.txStatement(txBegin), true, nil
	case "COMMIT", "END":
		return c.txStatement(txCommit), true, nil
	case "ROLLBACK", "ABORT":
		if len(kw) > 1 && kw[1] == "TO" {
			return nil, true, sqlError(codeUnsupported, "", "savepoints are not supported")
		}
		return c.txStatement(txRollback), true, nil
	case "SAVEPOINT", "RELEASE":
		return nil, true, sqlError(codeUnsupported, "", "savepoints are not supported")
	case "SET":
		return c.setStatement(text, kw), true, nil
	case "RESET":
		return c.resetStatement(text), true, nil
	case "SHOW":
		return c.showStatement(text, kw)
	case "DISCARD":
		return complete("DISCARD ALL"), true, nil
	case "DEALLOCATE":
		return deallocate(text), true, nil
	case "SELECT":
		return c.selectChatter(text)
	}
	return nil, false, nil
}

// complete is a statement that only completes with tag.
func complete(tag string) *wire.PreparedStatement {
	return wire.NewStatement(func(_ context.Context, w wire.DataWriter, _ []wire.Parameter) error {
		return w.Complete(tag)
	})
}

// oneValue is a statement returning one text value in a column named
// col: value() when it runs (a prepared statement may run many times), NULL
// when its ok is false.
func oneValue(col string, value func() (string, bool)) *wire.PreparedStatement {
	cols := wire.Columns{{Name: col, Oid: oidText, Width: -1}}
	return wire.NewStatement(func(_ context.Context, w wire.DataWriter, _ []wire.Parameter) error {
		var v any
		if s, ok := value(); ok {
			v = s
		}
		if err := w.Row([]any{v}); err != nil {
			return err
		}
		return w.Complete("SELECT 1")
	}, wire.WithColumns(cols))
}

// deallocate drops a prepared statement of the session (all with ALL).
func deallocate(text string) *wire.PreparedStatement {
	rest := afterKeywords(text, 1)
	if k := keywords(rest, 1); len(k) == 1 && k[0] == "PREPARE" {
		rest = afterKeywords(rest, 1)
	}
	return wire.NewStatement(func(ctx context.Context, w wire.DataWriter, _ []wire.Parameter) error {
		if strings.EqualFold(rest, "ALL") {
			return w.Complete("DEALLOCATE ALL")
		}
		if ws, ok := wire.GetSession(ctx); ok {
			_ = ws.Statements.Delete(ctx, unquote(rest))
		}
		return w.Complete("DEALLOCATE")
	})
}

var (
	versionRE = regexp.MustCompile(`(?is)^select\s+(?:pg_catalog\.)?version\s*\(\s*\)\s*(?:as\s+"?(\w+)"?)?$`)
	settingRE = regexp.MustCompile(`(?is)^select\s+(?:pg_catalog\.)?current_setting\s*\(\s*'([^']+)'\s*(?:,\s*(true|false)\s*)?\)\s*(?:as\s+"?(\w+)"?)?$`)
)

// selectChatter answers SELECT version() and SELECT current_setting('x'),
// which clients send to learn what they are talking to.
func (c *conn) selectChatter(text string) (*wire.PreparedStatement, bool, error) {
	if m := versionRE.FindStringSubmatch(text); m != nil {
		col := "version"
		if m[1] != "" {
			col = m[1]
		}
		return oneValue(col, func() (string, bool) { return c.srv.versionString(), true }), true, nil
	}
	if m := settingRE.FindStringSubmatch(text); m != nil {
		col := "current_setting"
		if m[3] != "" {
			col = m[3]
		}
		if _, _, ok := c.setting(m[1]); !ok && !strings.EqualFold(m[2], "true") {
			return nil, true, sqlError(codeUndefinedObj, "", "unrecognized configuration parameter %q", m[1])
		}
		return oneValue(col, func() (string, bool) {
			_, v, ok := c.setting(m[1])
			return v, ok
		}), true, nil
	}
	return nil, false, nil
}

// versionString is what version() returns.
func (s *Server) versionString() string {
	return "PostgreSQL " + s.cfg.ServerVersion + " (" + s.cfg.Product + ")"
}
