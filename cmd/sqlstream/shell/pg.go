package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
)

// cancelGrace is how long a cancelled query may take to stop after the
// server got the cancel request before the connection is dropped (and
// then re-opened).
const cancelGrace = 3 * time.Second

// pgBackend speaks the PostgreSQL protocol to a server (`sqlstream run
// --listen`, or PostgreSQL itself) over one pgx connection. Statements go
// through the simple query protocol, as psql sends them, so results come
// back as the server's text. A connection lost (after a cancel the server
// did not honour, or a server restart) fails its statement and is
// re-opened before the next one, with a message on notice.
type pgBackend struct {
	cfg    *pgx.ConnConfig
	conn   *pgx.Conn
	notice io.Writer
}

// PGConfig builds the connection settings for `--connect addr`: addr is
// HOST:PORT or a postgres:// URL; user, password and database override it
// when not empty; what is still unset comes from the PG* environment
// variables (PGUSER, PGPASSWORD, PGDATABASE, ...) as in psql.
func PGConfig(addr, user, password, database string) (*pgx.ConnConfig, error) {
	u, err := pgURL(addr)
	if err != nil {
		return nil, err
	}
	if user != "" || password != "" {
		name := user
		if name == "" && u.User != nil {
			name = u.User.Username()
		}
		if password != "" {
			u.User = url.UserPassword(name, password)
		} else {
			u.User = url.User(name)
		}
	}
	if database != "" {
		u.Path = "/" + database
	}
	cfg, err := pgx.ParseConfig(u.String())
	if err != nil {
		return nil, fmt.Errorf("--connect %s: %w", addr, err)
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "sqlstream shell"
	}
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: cancelGrace}
	}
	return cfg, nil
}

func pgURL(addr string) (*url.URL, error) {
	if strings.Contains(addr, "://") {
		u, err := url.Parse(addr)
		if err != nil {
			return nil, fmt.Errorf("--connect: %w", err)
		}
		return u, nil
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, fmt.Errorf("--connect %q: want HOST:PORT or a postgres:// URL", addr)
	}
	return &url.URL{Scheme: "postgres", Host: addr}, nil
}

// ConnectPG connects to the server cfg names. Reconnection messages go to
// notice.
func ConnectPG(ctx context.Context, cfg *pgx.ConnConfig, notice io.Writer) (Backend, error) {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("shell: %w", err)
	}
	return &pgBackend{cfg: cfg, conn: conn, notice: notice}, nil
}

func (b *pgBackend) Query(ctx context.Context, stmt string) (*Result, error) {
	if b.conn == nil || b.conn.IsClosed() {
		fmt.Fprintf(b.notice, "The connection to %s was lost; reconnecting.\n", b.address())
		if err := b.reconnect(ctx); err != nil {
			return nil, err
		}
		fmt.Fprintln(b.notice, "Reconnected.")
	}
	return b.query(ctx, stmt)
}

// reconnect replaces a lost connection; on failure the next Query tries
// again.
func (b *pgBackend) reconnect(ctx context.Context) error {
	b.conn = nil
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, b.cfg)
	if err != nil {
		return fmt.Errorf("reconnect to %s: %w", b.address(), err)
	}
	b.conn = conn
	return nil
}

func (b *pgBackend) query(ctx context.Context, stmt string) (*Result, error) {
	rows, err := b.conn.Query(ctx, stmt, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	fields := rows.FieldDescriptions()
	tb := newTextTable(fields)
	for rows.Next() {
		tb.add(rows.RawValues())
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(fields) == 0 {
		return &Result{Tag: rows.CommandTag().String()}, nil
	}
	return &Result{Table: tb.table}, nil
}

func (b *pgBackend) address() string {
	return net.JoinHostPort(b.cfg.Host, fmt.Sprint(b.cfg.Port))
}

func (b *pgBackend) Describe() string {
	d := b.address() + " as " + b.cfg.User
	if b.cfg.Database != "" {
		d += ", database " + b.cfg.Database
	}
	return d
}

func (b *pgBackend) Close() error {
	if b.conn == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return b.conn.Close(ctx)
}

// pgErrorText renders a server error the way psql does: the message, then
// DETAIL and HINT lines when the server sent them.
func pgErrorText(err error) (string, bool) {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return "", false
	}
	var b strings.Builder
	b.WriteString(pe.Message)
	if pe.Detail != "" {
		b.WriteString("\nDETAIL: " + pe.Detail)
	}
	if pe.Hint != "" {
		b.WriteString("\nHINT: " + pe.Hint)
	}
	return b.String(), true
}
