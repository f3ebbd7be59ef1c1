package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/peterh/liner"

	"github.com/sqlstream/sqlstream/cmd/sqlstream/shell"
	"github.com/sqlstream/sqlstream/sinks/render"
)

// cmdShell is the interactive SQL shell: `--db FILE` reads a DuckDB file
// read-only, `--connect ADDR` a running pipeline's pgwire endpoint. On a
// terminal it edits lines and keeps history; otherwise it runs the
// statements of its standard input (see package shell).
func cmdShell(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("shell", flag.ContinueOnError)
	db := fs.String("db", "", "DuckDB file to open read-only")
	connect := fs.String("connect", "", "HOST:PORT (or postgres:// URL) of a pgwire endpoint, e.g. 'sqlstream run --listen'")
	user := fs.String("user", "", "user for --connect (default $PGUSER, else the OS user)")
	password := fs.String("password", "", "password for --connect (default $PGPASSWORD)")
	database := fs.String("database", "", "database for --connect (default $PGDATABASE, else the user name)")
	format := fs.String("format", "table", "initial output format: table, csv or json")
	pos, err := parseFlags(fs, args, stderr)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", pos[0])}
	}
	if (*db == "") == (*connect == "") {
		return usageError{"want exactly one of --db FILE or --connect HOST:PORT"}
	}
	f, err := render.ParseFormat(*format)
	if err != nil {
		return usageError{err.Error()}
	}
	interactive := stdinIsTerminal() && isCharDevice(os.Stdout) && stdout == io.Writer(os.Stdout)
	ctx := context.Background()
	if !interactive { // a script: Ctrl-C cancels the statement and ends it
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(ctx, os.Interrupt)
		defer stop()
	}
	be, err := openBackend(ctx, *db, *connect, *user, *password, *database, stderr)
	if err != nil {
		return err
	}
	defer be.Close()
	err = shell.Run(ctx, shell.Options{
		Backend: be, Interactive: interactive, In: os.Stdin, Out: stdout, Err: stderr,
		History: shell.HistoryFile(), Format: f,
	})
	if errors.Is(err, shell.ErrFailed) {
		return fmt.Errorf("sqlstream shell: %w", err) // each error is printed already
	}
	return err
}

func openBackend(ctx context.Context, db, addr, user, password, database string, notice io.Writer) (shell.Backend, error) {
	if db != "" {
		return shell.OpenDuckDB(ctx, db)
	}
	cfg, err := shell.PGConfig(addr, user, password, database)
	if err != nil {
		return nil, usageError{err.Error()}
	}
	return shell.ConnectPG(ctx, cfg, notice)
}

// stdinIsTerminal reports whether standard input is a terminal (not just a
// character device such as /dev/null).
func stdinIsTerminal() bool {
	_, err := liner.TerminalMode()
	return err == nil
}

// isCharDevice reports whether f is a character device, such as a terminal.
func isCharDevice(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
