package benchrun

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// header explains the columns of the text output once per run.
func header(w io.Writer, cfg *Config) {
	if cfg.Latency {
		fmt.Fprintf(w, "# latency: %d core(s); wall clock minus the largest event time visible in the view, polled every %s;\n"+
			"# sources paced at the rate in total, event time = when the generator made the row due\n", cfg.Cores, pollEvery)
		return
	}
	fmt.Fprintf(w, "# %d core(s) (GOMAXPROCS=%d), generator -> engine -> views discarded; events/s over the whole run;\n", cfg.Cores, cfg.Cores)
	if cfg.Baseline {
		fmt.Fprintf(w, "# duckdb = DuckDB (threads=%d) recomputing the views from scratch over the same events in tables (best of %d);\n"+
			"# (N×) = duckdb seconds / engine seconds: above 1 the engine processed the events faster than DuckDB recomputes the answer\n",
			cfg.Cores, baselineRuns)
	}
}

// writeResult prints one query's result as a text line or a JSON object.
func writeResult(w io.Writer, asJSON bool, r *Result) error {
	if asJSON {
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	_, err := fmt.Fprintln(w, textLine(r))
	return err
}

func textLine(r *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-16s events=%d  %.2f s", r.Query, r.Events, r.Seconds)
	if l := r.Latency; l != nil {
		fmt.Fprintf(&b, "  latency of %s.%s at %s events/s (achieved %s), checkpoint %gms: p50 %.0f ms  p99 %.0f ms  max %.0f ms  (%d observations)",
			l.View, l.Column, si(l.Rate), si(l.AchievedRate), l.CheckpointMs, l.P50Ms, l.P99Ms, l.MaxMs, l.Observations)
		return b.String()
	}
	fmt.Fprintf(&b, "  %s events/s  %s/core  peak-mem %s", si(r.EventsPerSec), si(r.EventsPerSecPerCore), mb(int64(r.PeakHeapBytes)))
	if r.PeakRSSBytes > 0 {
		fmt.Fprintf(&b, " (rss %s)", mb(r.PeakRSSBytes))
	}
	fmt.Fprintf(&b, "  peak-state %s rows (%s)", si(float64(r.PeakStateRows)), mb(r.PeakStateBytes))
	if d := r.DuckDB; d != nil {
		fmt.Fprintf(&b, "  duckdb %.2f s (%.2f×)", d.Seconds, d.Ratio)
	} else {
		b.WriteString("  duckdb -")
	}
	return b.String()
}

// si renders n with three significant digits and a k/M/G suffix.
func si(n float64) string {
	switch {
	case n >= 1e9:
		return trim(n/1e9) + "G"
	case n >= 1e6:
		return trim(n/1e6) + "M"
	case n >= 1e3:
		return trim(n/1e3) + "k"
	}
	return fmt.Sprintf("%.0f", n)
}

func trim(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

func mb(b int64) string {
	return fmt.Sprintf("%.0f MB", float64(b)/(1<<20))
}
