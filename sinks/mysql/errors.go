package mysql

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"regexp"
	"strconv"
	"syscall"

	mysqldrv "github.com/go-sql-driver/mysql"
)

// transient reports whether err may go away by reconnecting and trying
// again: a lost or killed connection, a server shutting down, too many
// connections, a lock wait timeout or a deadlock, a network error.
// Server errors about the data, the SQL or permissions are not; neither
// are the connector's own errors nor a cancelled context.
func transient(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var me *mysqldrv.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1040, // too many connections
			1053,                   // server shutdown in progress
			1158, 1159, 1160, 1161, // network read/write errors
			1205,       // lock wait timeout
			1213,       // deadlock
			1927,       // connection killed (MariaDB)
			2006, 2013, // server gone away, lost connection
			4031: // disconnected by the server (inactivity)
			return true
		}
		return false
	}
	var ne net.Error
	return errors.Is(err, driver.ErrBadConn) || errors.Is(err, mysqldrv.ErrInvalidConn) || errors.As(err, &ne) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed)
}

var atRow = regexp.MustCompile(` at row (\d+)`)

// errorRow returns the 1-based row of a multi-row statement a server
// error names, 0 when it names none.
func errorRow(err error) int {
	var me *mysqldrv.MySQLError
	if !errors.As(err, &me) {
		return 0
	}
	m := atRow.FindStringSubmatch(me.Message)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
