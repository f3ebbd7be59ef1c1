package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sqlstream/sqlstream/sinks/render"
)

const (
	prompt       = "sqlstream> "
	continuation = "       -> "
)

// Options configure Run.
type Options struct {
	// Backend runs the statements; Run does not close it.
	Backend Backend
	// Interactive reads the terminal (os.Stdin and os.Stdout) with line
	// editing, prompts and history, and turns Ctrl-C into cancelling the
	// running statement. Otherwise Run reads statements from In with no
	// prompts, for scripts.
	Interactive bool
	// In is the script input when not Interactive.
	In io.Reader
	// Out receives results, Err errors and notices.
	Out, Err io.Writer
	// History is the history file of an interactive session ("" for none).
	History string
	// Format is the initial output format.
	Format render.Format
}

// ErrFailed is returned by Run when a statement of a script failed (each
// error was already printed); an interactive session never fails this way.
var ErrFailed = errors.New("a statement failed")

// session is one run of the shell: its settings and the statement being typed.
type session struct {
	be          Backend
	interactive bool
	out         io.Writer
	errOut      io.Writer
	format      render.Format
	timing      bool
	last        string // last statement run, for \watch
	failed      bool
	pending     splitter
	entry       []string // lines of the current history entry
	intr        *interrupts
	now         func() time.Time
}

// Run runs the shell until the input ends, \q, or (interactive) Ctrl-D.
// Cancelling ctx stops it between statements and cancels a running one.
func Run(ctx context.Context, o Options) error {
	s := newSession(o)
	if !o.Interactive {
		err := s.loop(ctx, newScript(o.In))
		if err == nil && s.failed {
			err = ErrFailed
		}
		return err
	}
	s.intr = catchInterrupts()
	defer s.intr.stop()
	term := newTerminal(o.History, o.Err)
	fmt.Fprintf(s.out, "sqlstream shell: %s. Type \\? for help, \\q to quit.\n", s.be.Describe())
	err := s.loop(ctx, term)
	return errors.Join(err, term.Close())
}

func newSession(o Options) *session {
	return &session{be: o.Backend, interactive: o.Interactive, out: o.Out, errOut: o.Err, format: o.Format, now: time.Now}
}

// loop reads and runs input until it ends.
func (s *session) loop(ctx context.Context, in lineReader) error {
	for ctx.Err() == nil {
		p := prompt
		if !s.pending.Empty() {
			p = continuation
		}
		line, err := in.ReadLine(p)
		switch {
		case errors.Is(err, errAborted):
			s.pending.Reset()
			s.entry = nil
			continue
		case err == io.EOF:
			return s.finish(ctx)
		case err != nil:
			return err
		}
		if s.handleLine(ctx, line, in) {
			return nil
		}
	}
	return ctx.Err()
}

// finish runs what is left at the end of the input: a script's last
// statement may omit its `;`; an interactive Ctrl-D just ends the line.
func (s *session) finish(ctx context.Context) error {
	if s.interactive {
		fmt.Fprintln(s.out)
		return nil
	}
	if stmt := s.pending.Pending(); stmt != "" {
		s.pending.Reset()
		s.run(ctx, stmt)
	}
	return nil
}

// handleLine runs one input line: SQL text that may complete statements,
// then the meta command that may end the line (`SELECT ... \watch 1`).
// It reports whether the shell should quit.
func (s *session) handleLine(ctx context.Context, line string, in lineReader) bool {
	s.entry = append(s.entry, strings.TrimSpace(line))
	sql, meta, isMeta := s.pending.CutMeta(line)
	if strings.TrimSpace(sql) != "" || !isMeta {
		for _, stmt := range s.pending.Feed(sql + "\n") {
			s.run(ctx, stmt)
		}
	}
	if !isMeta && !s.pending.Empty() {
		return false // the statement goes on on the next line
	}
	in.Remember(strings.Join(s.entry, " "))
	s.entry = nil
	return isMeta && s.meta(ctx, meta)
}

// run executes one statement under a Ctrl-C scope and prints its outcome.
func (s *session) run(ctx context.Context, stmt string) {
	s.last = stmt
	ctx, done := s.intr.scope(ctx)
	defer done()
	if err := s.execute(ctx, stmt); err != nil {
		s.report(ctx, err)
	}
}

// execute runs stmt and prints its result, with the time when \timing is
// on.
func (s *session) execute(ctx context.Context, stmt string) error {
	start := time.Now()
	res, err := s.be.Query(ctx, stmt)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	if err := s.print(res); err != nil {
		return err
	}
	if s.timing {
		fmt.Fprintf(s.out, "Time: %.3f ms\n", float64(elapsed.Microseconds())/1000)
	}
	return nil
}

func (s *session) print(res *Result) error {
	if res.Table == nil {
		_, err := fmt.Fprintln(s.out, res.Tag)
		return err
	}
	return s.printTable(res.Table)
}

// printTable prints t in the current format; the table format ends with
// "(N rows)" and a blank line, as psql does.
func (s *session) printTable(t *render.Table) error {
	if err := t.Write(s.out, s.format); err != nil {
		return err
	}
	if s.format == render.FormatTable {
		_, err := fmt.Fprintln(s.out)
		return err
	}
	return nil
}

// report prints a failed statement's error: "Query cancelled." after
// Ctrl-C, otherwise ERROR: and the message.
func (s *session) report(ctx context.Context, err error) {
	s.failed = true
	if ctx.Err() != nil {
		fmt.Fprintln(s.errOut, "Query cancelled.")
		return
	}
	msg, ok := pgErrorText(err)
	if !ok {
		msg = err.Error()
	}
	fmt.Fprintf(s.errOut, "ERROR: %s\n", strings.TrimSpace(msg))
}
