package pgwire

import (
	"bytes"
	"encoding/binary"
	"net"
	"sync"
)

// listener tracks the connections it accepts, so Close can end idle
// sessions, and fixes the server_version the wire library reports.
type listener struct {
	net.Listener
	srv     *Server
	version string
}

func (l *listener) Accept() (net.Conn, error) {
	for {
		nc, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.srv.track(nc) {
			return &trackedConn{Conn: nc, srv: l.srv, version: l.version}, nil
		}
	}
}

// trackedConn is an accepted connection. psql-wire v0.20.0 always reports
// server_version "150000", which libpq reads as major version 150000 (psql
// then warns on every start); Write replaces that ParameterStatus message
// with the configured version.
type trackedConn struct {
	net.Conn
	srv     *Server
	version string
	fixed   bool
	once    sync.Once
}

// serverVersionMsg is the start of the ParameterStatus body to replace.
var serverVersionMsg = []byte("server_version\x00")

func (c *trackedConn) Write(b []byte) (int, error) {
	if !c.fixed && len(b) > 5 && b[0] == 'S' && bytes.HasPrefix(b[5:], serverVersionMsg) {
		n := int(binary.BigEndian.Uint32(b[1:5])) + 1 // the message, with its type byte
		if n <= len(b) {
			c.fixed = true
			body := append(append([]byte(nil), serverVersionMsg...), c.version...)
			body = append(body, 0)
			msg := append([]byte{'S'}, binary.BigEndian.AppendUint32(nil, uint32(len(body)+4))...)
			msg = append(msg, body...)
			msg = append(msg, b[n:]...)
			if _, err := c.Conn.Write(msg); err != nil {
				return 0, err
			}
			return len(b), nil
		}
	}
	return c.Conn.Write(b)
}

func (c *trackedConn) Close() error {
	c.once.Do(func() { c.srv.untrack(c.Conn) })
	return c.Conn.Close()
}
