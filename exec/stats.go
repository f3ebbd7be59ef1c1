package exec

import "time"

// Stats is a snapshot of a run's progress, for the CLI's progress line and
// the metrics endpoint.
type Stats struct {
	Sources []SourceStats
	// EventsIn is the total of Sources[i].Events.
	EventsIn   int64
	Roots      []RootStats
	BadRecords int64
	// Epochs is the number of committed checkpoint epochs.
	Epochs uint64
	Uptime time.Duration
}

// SourceStats is one source's progress.
type SourceStats struct {
	Name       string
	Events     int64
	BadRecords int64
	// Watermark is the source's current watermark, MinWatermark before
	// the first and MaxWatermark once it is exhausted.
	Watermark int64
}

// RootStats is one root's output.
type RootStats struct {
	Kind RootKind
	Name string
	Rows int64
}

// Stats returns the run's progress so far. It is safe to call from any
// goroutine while Run is going; before Run has built the plan it reports
// only the uptime.
func (r *Runner) Stats() Stats {
	var st Stats
	if start := r.started.Load(); start != 0 {
		st.Uptime = time.Since(time.Unix(0, start))
	}
	st.Epochs = r.epochs.Load()
	g := r.graph.Load()
	if g == nil {
		return st
	}
	for _, s := range g.Sources {
		ss := SourceStats{Name: s.Def.Name, Events: s.Events(), BadRecords: s.BadRecords(), Watermark: s.CurrentWatermark()}
		st.Sources = append(st.Sources, ss)
		st.EventsIn += ss.Events
		st.BadRecords += ss.BadRecords
	}
	for _, root := range g.Roots {
		st.Roots = append(st.Roots, RootStats{Kind: root.Kind, Name: root.Name, Rows: root.Rows()})
	}
	return st
}
