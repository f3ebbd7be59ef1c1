package pgwire

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"

	wire "github.com/jeroenrinzema/psql-wire"
	"github.com/jeroenrinzema/psql-wire/codes"
	psqlerr "github.com/jeroenrinzema/psql-wire/errors"
	"github.com/jeroenrinzema/psql-wire/pkg/buffer"
	"github.com/jeroenrinzema/psql-wire/pkg/types"
)

// Authentication request codes of the protocol.
const (
	authOK  = 0
	authMD5 = 5
)

// authenticate checks the client's password (when one is configured),
// opens its backend session and stores the connection state in the
// returned context.
func (s *Server) authenticate(ctx context.Context, w *buffer.Writer, r *buffer.Reader) (context.Context, error) {
	user := wire.ClientParameters(ctx)[wire.ParamUsername]
	if s.cfg.Password != "" {
		if err := s.checkMD5(w, r, user); err != nil {
			return ctx, err
		}
	}
	c, err := s.newConn(ctx, user)
	if err != nil {
		return ctx, fatal(w, psqlerr.WithCode(fmt.Errorf("cannot open a session: %w", err), codes.ConnectionFailure))
	}
	if err := writeAuth(w, authOK, nil); err != nil {
		_ = c.close()
		return ctx, err
	}
	return context.WithValue(ctx, connKey{}, c), nil
}

// checkMD5 runs MD5 password authentication: the client answers a random
// salt with "md5" + md5(md5(password + user) + salt).
func (s *Server) checkMD5(w *buffer.Writer, r *buffer.Reader, user string) error {
	var salt [4]byte
	if _, err := rand.Read(salt[:]); err != nil {
		return err
	}
	if err := writeAuth(w, authMD5, salt[:]); err != nil {
		return err
	}
	t, _, err := r.ReadTypedMsg()
	if err != nil {
		return err
	}
	if t != types.ClientPassword {
		return fatal(w, psqlerr.WithCode(errors.New("expected a password message"), codes.ProtocolViolation))
	}
	got, err := r.GetString()
	if err != nil {
		return err
	}
	want := md5Password(s.cfg.Password, user, salt[:])
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return fatal(w, psqlerr.WithCode(fmt.Errorf("password authentication failed for user %q", user), codes.InvalidPassword))
	}
	return nil
}

// md5Password is what a client sends for password, user and salt.
func md5Password(password, user string, salt []byte) string {
	inner := md5.Sum([]byte(password + user))
	outer := md5.Sum(append([]byte(hex.EncodeToString(inner[:])), salt...))
	return "md5" + hex.EncodeToString(outer[:])
}

func writeAuth(w *buffer.Writer, code int32, data []byte) error {
	w.Start(types.ServerAuth)
	w.AddInt32(code)
	if len(data) > 0 {
		w.AddBytes(data)
	}
	return w.End()
}

// fatal writes err as a FATAL error response and returns it.
func fatal(w *buffer.Writer, err error) error {
	err = psqlerr.WithSeverity(err, psqlerr.LevelFatal)
	if werr := wire.WriteUnterminatedError(w, err); werr != nil {
		return werr
	}
	return err
}
