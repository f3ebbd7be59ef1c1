package pgwire

import (
	"context"
	"errors"
	"fmt"

	"github.com/jeroenrinzema/psql-wire/codes"
	psqlerr "github.com/jeroenrinzema/psql-wire/errors"
)

// SQLSTATEs the server reports besides the backend's errors.
var (
	codeReadOnly      = codes.ReadOnlySQLTransaction // 25006
	codeInFailedTx    = codes.InFailedSQLTransaction // 25P02
	codeCanceled      = codes.QueryCanceled          // 57014
	codeSyntax        = codes.Syntax                 // 42601
	codeUnsupported   = codes.FeatureNotSupported    // 0A000
	codeUndefinedObj  = codes.UndefinedObject        // 42704
	codeIndetermParam = codes.IndeterminateDatatype  // 42P18
)

// sqlError is an error with a SQLSTATE and an optional hint.
func sqlError(code codes.Code, hint string, format string, args ...any) error {
	err := psqlerr.WithCode(fmt.Errorf(format, args...), code)
	if hint != "" {
		err = psqlerr.WithHint(err, hint)
	}
	return err
}

// refuseWrite is the error for a statement that would change the store.
func refuseWrite(stmt string) error {
	return sqlError(codeReadOnly, "sqlstream's PostgreSQL endpoint only reads: the running pipeline owns the store.",
		"cannot execute %s in a read-only transaction", stmt)
}

// queryError maps a backend error of a query run with qctx: a cancelled
// query reports 57014, anything else keeps the backend's message (and
// its SQLSTATE if it carries one).
func queryError(qctx context.Context, err error) error {
	if errors.Is(qctx.Err(), context.Canceled) {
		return sqlError(codeCanceled, "", "canceling statement due to user request")
	}
	return err
}
