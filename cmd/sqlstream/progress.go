package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/sqlstream/sqlstream/exec"
)

// progress prints a one-line status (events, events/s, rows out, bad
// records, late rows, operator state, watermark) to a terminal twice a
// second, and at the end a summary and the state of each stateful
// operator. On a non-terminal or with --quiet it prints nothing.
type progress struct {
	done chan struct{}
	quit chan struct{}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func startProgress(w io.Writer, r *exec.Runner, quiet bool) *progress {
	p := &progress{done: make(chan struct{}), quit: make(chan struct{})}
	if quiet || !isTerminal(w) {
		close(p.done)
		return p
	}
	go p.loop(w, r)
	return p
}

func (p *progress) loop(w io.Writer, r *exec.Runner) {
	defer close(p.done)
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	var lastEvents int64
	last := time.Now()
	for {
		select {
		case <-p.quit:
			s := r.Stats()
			fmt.Fprintf(w, "\r\033[K%s\n", summary(s))
			writeOperatorState(w, s)
			return
		case now := <-t.C:
			s := r.Stats()
			rate := float64(s.EventsIn-lastEvents) / now.Sub(last).Seconds()
			lastEvents, last = s.EventsIn, now
			fmt.Fprintf(w, "\r\033[K%s  %s/s", summary(s), human(rate))
		}
	}
}

func (p *progress) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	close(p.quit)
	<-p.done
}

func summary(s exec.Stats) string {
	var b strings.Builder
	var rowsOut int64
	for _, r := range s.Roots {
		rowsOut += r.Rows
	}
	fmt.Fprintf(&b, "events %s  rows out %s  epochs %d", human(float64(s.EventsIn)), human(float64(rowsOut)), s.Epochs)
	if s.BadRecords > 0 {
		fmt.Fprintf(&b, "  bad records %d", s.BadRecords)
	}
	if s.LateRows > 0 {
		fmt.Fprintf(&b, "  late rows %d", s.LateRows)
	}
	if len(s.Operators) > 0 {
		rows, bytes := s.StateTotals()
		fmt.Fprintf(&b, "  state %s rows %s", human(float64(rows)), humanBytes(bytes))
	}
	if wm, ok := minWatermark(s); ok {
		fmt.Fprintf(&b, "  watermark %s", time.UnixMilli(wm).UTC().Format("2006-01-02 15:04:05"))
	}
	fmt.Fprintf(&b, "  %s", s.Uptime.Round(100*time.Millisecond))
	return b.String()
}

// minWatermark is the lowest watermark among the sources that have one and
// are not yet exhausted.
func minWatermark(s exec.Stats) (int64, bool) {
	wm, ok := exec.MaxWatermark, false
	for _, src := range s.Sources {
		if src.Watermark > exec.MinWatermark && src.Watermark < exec.MaxWatermark && src.Watermark < wm {
			wm, ok = src.Watermark, true
		}
	}
	return wm, ok
}

func human(v float64) string {
	switch {
	case v >= 1e9:
		return fmt.Sprintf("%.2fG", v/1e9)
	case v >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}

// humanBytes renders a byte count with a binary unit.
func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// writeOperatorState prints the state each stateful operator held at the
// last checkpoint, one aligned line each, and nothing when there is none.
func writeOperatorState(w io.Writer, s exec.Stats) {
	if len(s.Operators) == 0 {
		return
	}
	width := len("operator state")
	for _, o := range s.Operators {
		width = max(width, len(o.Name))
	}
	fmt.Fprintf(w, "%-*s  %10s  %10s  %10s\n", width, "operator state", "rows", "peak rows", "bytes")
	for _, o := range s.Operators {
		fmt.Fprintf(w, "%-*s  %10d  %10d  %10s\n", width, o.Name, o.Rows, o.PeakRows, humanBytes(o.Bytes))
	}
}
