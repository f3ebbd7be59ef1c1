package postgres

import (
	"context"
	"errors"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// isCode reports whether err is a server error with one of the SQLSTATEs.
func isCode(err error, codes ...string) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	for _, c := range codes {
		if pe.Code == c {
			return true
		}
	}
	return false
}

// transient reports whether err may go away by reconnecting and trying
// again: a lost or refused connection, a terminated backend or a server
// shutting down, a serialization failure, a deadlock, too many
// connections, a network error. Server errors about the data
// (constraints, types), the SQL or permissions are not; neither are the
// connector's own errors nor a cancelled context.
func transient(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.HasPrefix(pe.Code, "08"), // connection exception
			pe.Code == "40001",                     // serialization_failure
			pe.Code == "40P01",                     // deadlock_detected
			pe.Code == "55P03",                     // lock_not_available
			pe.Code == "57P01",                     // admin_shutdown (pg_terminate_backend)
			pe.Code == "57P02",                     // crash_shutdown
			pe.Code == "57P03",                     // cannot_connect_now
			pe.Code == "53300",                     // too_many_connections
			pe.Code == "58000", pe.Code == "58030": // system / io error
			return true
		}
		return false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || pgconn.SafeToRetry(err) || pgconn.Timeout(err) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed)
}

var copyLine = regexp.MustCompile(`COPY [^,]+, line (\d+)`)

// describe renders a server error with the details PostgreSQL gives.
func describe(err error) string {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err.Error()
	}
	s := pe.Message + " (SQLSTATE " + pe.Code + ")"
	if pe.Detail != "" {
		s += ": " + pe.Detail
	}
	return s
}

// copyRow returns the 1-based line of a COPY error, 0 when not one.
func copyRow(err error) int {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return 0
	}
	m := copyLine.FindStringSubmatch(pe.Where)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
