package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/pgwire"
	"github.com/sqlstream/sqlstream/planner"
	"github.com/sqlstream/sqlstream/sinks/duckdb"
)

// passwordEnv names the environment variable that turns on password
// authentication of `run --listen` (like --password, without showing the
// password in the process list).
const passwordEnv = "SQLSTREAM_PASSWORD"

// listenPassword returns the endpoint's password: the flag, else the
// environment variable. A non-loopback address requires one.
func listenPassword(addr, flagValue string) (string, error) {
	pw := flagValue
	if pw == "" {
		pw = os.Getenv(passwordEnv)
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", usageError{fmt.Sprintf("--listen %q: %v", addr, err)}
	}
	if pw == "" && !isLoopback(host) {
		return "", usageError{fmt.Sprintf("--listen %s is not a loopback address: set a password with --password or %s", addr, passwordEnv)}
	}
	return pw, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// endpoint is the PostgreSQL wire endpoint of a run: it serves the store's
// views and the run's introspection tables until close.
type endpoint struct {
	srv    *pgwire.Server
	addr   string
	stats  *liveStats
	served chan error
}

// startEndpoint listens on addr and serves store; the listening address
// is logged to stderr.
func startEndpoint(addr, password, pipeline string, store *duckdb.Store, runner *exec.Runner, connectors map[string]string, stderr io.Writer) (*endpoint, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--listen: %w", err)
	}
	stats := newLiveStats(runner, pipeline, connectors)
	srv, err := pgwire.New(pgwire.Config{
		Backend:  &storeBackend{store: store, stats: stats},
		Password: password,
		Product:  "sqlstream on DuckDB",
		Log:      stderr,
	})
	if err != nil {
		l.Close()
		stats.stop()
		return nil, err
	}
	e := &endpoint{srv: srv, addr: l.Addr().String(), stats: stats, served: make(chan error, 1)}
	go func() { e.served <- srv.Serve(l) }()
	fmt.Fprintf(stderr, "listening on %s (PostgreSQL wire protocol)\n", e.addr)
	return e, nil
}

// close stops the server, ending every client session.
func (e *endpoint) close() error {
	err := e.srv.Close()
	e.stats.stop()
	if serr := <-e.served; serr != nil && !errors.Is(serr, net.ErrClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// storeBackend opens read sessions on the run's store.
type storeBackend struct {
	store *duckdb.Store
	stats *liveStats
}

// Open opens a DuckDB read session with the introspection tables.
func (b *storeBackend) Open(ctx context.Context, _ string) (pgwire.Session, error) {
	rs, err := b.store.OpenReadSession(ctx)
	if err != nil {
		return nil, err
	}
	if err := b.stats.create(ctx, rs); err != nil {
		rs.Close()
		return nil, err
	}
	return &storeSession{ReadSession: rs, stats: b.stats}, nil
}

// storeSession is a pgwire session over a DuckDB read session; a query
// that names an introspection table refreshes it first.
type storeSession struct {
	*duckdb.ReadSession
	stats *liveStats
}

func (s *storeSession) Query(ctx context.Context, sql string, args []any) (array.RecordReader, error) {
	if err := s.stats.refresh(ctx, s.ReadSession, sql); err != nil {
		return nil, err
	}
	return s.ReadSession.Query(ctx, sql, args...)
}

// serveUntilDone is called when the run ended (with runErr): a run that
// finished its bounded input keeps serving until ctx is done (SIGINT or
// SIGTERM), so the results stay queryable; then the endpoint closes, before
// the store does.
func (e *endpoint) serveUntilDone(ctx context.Context, runErr error, stderr io.Writer) error {
	e.stats.setFinished(runErr)
	if runErr == nil && ctx.Err() == nil {
		fmt.Fprintf(stderr, "pipeline finished; still serving on %s until interrupted (Ctrl-C or SIGTERM)\n", e.addr)
		<-ctx.Done()
	}
	return e.close()
}

// sourceConnectors maps each source of the plan to its connector.
func sourceConnectors(p *planner.Plan) map[string]string {
	m := map[string]string{}
	for name, s := range p.Catalog.Sources {
		m[name] = s.Connector
	}
	return m
}
