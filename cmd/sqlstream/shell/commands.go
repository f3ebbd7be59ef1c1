package shell

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// meta runs a backslash command and reports whether the shell should
// quit. Errors are printed; the shell goes on.
func (s *session) meta(ctx context.Context, line string) bool {
	m, err := parseMeta(line)
	if err != nil {
		s.failed = true
		fmt.Fprintf(s.errOut, "ERROR: %v\n", err)
		return false
	}
	switch m.kind {
	case metaQuit:
		return true
	case metaHelp:
		fmt.Fprint(s.out, helpText)
	case metaReset:
		s.pending.Reset()
		fmt.Fprintln(s.out, "Input cleared.")
	case metaTiming:
		s.timing = !s.timing
		if m.setTiming {
			s.timing = m.timing
		}
		fmt.Fprintf(s.out, "Timing is %s.\n", onOff(s.timing))
	case metaFormat:
		if m.setFormat {
			s.format = m.format
		}
		fmt.Fprintf(s.out, "Output format is %s.\n", s.format)
	case metaDescribe:
		s.describe(ctx, m.name)
	case metaWatch:
		s.watch(ctx, m.every)
	}
	return false
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// describe runs \d under a Ctrl-C scope.
func (s *session) describe(ctx context.Context, name string) {
	ctx, done := s.intr.scope(ctx)
	defer done()
	var err error
	if name == "" {
		err = s.listRelations(ctx)
	} else {
		err = s.describeRelation(ctx, name)
	}
	if err != nil {
		s.report(ctx, err)
	}
}

// watch re-runs a statement every interval until Ctrl-C or an error: the
// unfinished statement if one is being typed (psql's `SELECT ... \watch`),
// else the last one run. Each run is headed by the time.
func (s *session) watch(ctx context.Context, every time.Duration) {
	stmt := s.pending.Pending()
	s.pending.Reset()
	if stmt == "" {
		stmt = s.last
	}
	if stmt == "" {
		s.report(ctx, errors.New(`\watch: no statement to re-run; run one first`))
		return
	}
	s.last = stmt
	ctx, done := s.intr.scope(ctx)
	defer done()
	tick := time.NewTimer(0)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			fmt.Fprintln(s.out, "Watch stopped.")
			return
		case <-tick.C:
		}
		fmt.Fprintf(s.out, "%s (every %s)\n\n", s.now().Format("Mon Jan 2 15:04:05 2006"), every)
		if err := s.execute(ctx, stmt); err != nil {
			if ctx.Err() != nil {
				fmt.Fprintln(s.out, "Watch stopped.")
				return
			}
			s.report(ctx, err)
			return
		}
		tick.Reset(every)
	}
}
