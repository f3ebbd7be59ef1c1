package pgwire

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	wire "github.com/jeroenrinzema/psql-wire"
	"github.com/jeroenrinzema/psql-wire/pkg/types"
)

// Config configures a Server.
type Config struct {
	// Backend opens a session per client connection. Required.
	Backend Backend
	// Password, when set, turns on MD5 password authentication: every
	// client must send it (under any user name). Empty: no authentication.
	Password string
	// ServerVersion is the PostgreSQL version reported to clients
	// (server_version, SHOW, version()); default "15.0".
	ServerVersion string
	// Product names the engine in version(), e.g. "sqlstream (DuckDB v1.5.5)".
	Product string
	// ShutdownTimeout bounds how long Close waits for running queries
	// before it cancels them; default 2s.
	ShutdownTimeout time.Duration
	// Log receives the server's warnings and errors (one line each);
	// nil discards them.
	Log io.Writer
}

// Server is a PostgreSQL wire protocol endpoint over a Backend. Serve runs
// until Close.
type Server struct {
	cfg  Config
	wire *wire.Server

	mu      sync.Mutex
	conns   map[int32]*conn   // by process id, for cancel requests
	netConn map[net.Conn]bool // accepted connections, closed by Close
	closed  bool
	serving sync.WaitGroup
}

// New returns a server over cfg.Backend.
func New(cfg Config) (*Server, error) {
	if cfg.Backend == nil {
		return nil, errors.New("pgwire: a backend is required")
	}
	if cfg.ServerVersion == "" {
		cfg.ServerVersion = "15.0"
	}
	if cfg.Product == "" {
		cfg.Product = "sqlstream"
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = 2 * time.Second
	}
	out := cfg.Log
	if out == nil {
		out = io.Discard
	}
	s := &Server{cfg: cfg, conns: map[int32]*conn{}, netConn: map[net.Conn]bool{}}
	logger := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ws, err := wire.NewServer(s.parse,
		wire.Logger(logger),
		wire.SessionAuthStrategy(s.authenticate),
		wire.BackendKeyData(func(ctx context.Context) (int32, int32) {
			c, _ := connFrom(ctx)
			return c.pid, c.secret
		}),
		wire.CancelRequest(s.cancelRequest),
		wire.CloseConn(func(ctx context.Context) error {
			if c, ok := connFrom(ctx); ok {
				return c.close()
			}
			return nil
		}),
		wire.TxStatus(func(ctx context.Context) types.ServerStatus {
			c, _ := connFrom(ctx)
			return c.status()
		}),
		wire.WithShutdownTimeout(cfg.ShutdownTimeout),
		wire.GlobalParameters(wire.Parameters{
			"standard_conforming_strings": "on",
			"DateStyle":                   "ISO, MDY",
			"IntervalStyle":               "postgres",
			"TimeZone":                    "UTC",
			"integer_datetimes":           "on",
			"application_name":            "",
		}),
	)
	if err != nil {
		return nil, err
	}
	s.wire = ws
	return s, nil
}

// Serve accepts connections on l until Close; it closes l.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return l.Close()
	}
	s.serving.Add(1)
	s.mu.Unlock()
	defer s.serving.Done()
	return s.wire.Serve(&listener{Listener: l, srv: s, version: s.cfg.ServerVersion})
}

// Close stops accepting connections, waits up to the shutdown timeout for
// running queries, cancels the rest, closes every client connection and
// waits until every session is closed.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := s.wire.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = nil // running queries are cancelled below
	}
	s.mu.Lock()
	for _, c := range s.conns {
		c.cancelQuery()
	}
	for nc := range s.netConn {
		_ = nc.Close()
	}
	s.mu.Unlock()
	s.wire.Wait()
	s.serving.Wait()
	return err
}

// track records an accepted connection, or closes it when the server is
// closing.
func (s *Server) track(nc net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		_ = nc.Close()
		return false
	}
	s.netConn[nc] = true
	return true
}

func (s *Server) untrack(nc net.Conn) {
	s.mu.Lock()
	delete(s.netConn, nc)
	s.mu.Unlock()
}
