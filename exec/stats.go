package exec

import (
	"fmt"
	"strings"
	"time"

	"github.com/sqlstream/sqlstream/catalog"
)

// Stats is a snapshot of a run's progress, for the CLI's progress line and
// the metrics endpoint.
type Stats struct {
	Sources []SourceStats
	// EventsIn is the total of Sources[i].Events.
	EventsIn   int64
	Roots      []RootStats
	BadRecords int64
	// LateRows is the total of Sources[i].LateRows.
	LateRows int64
	// Operators is the state of every stateful operator as last sampled
	// by the runner (at each checkpoint and at the end of the run), in
	// build order; nil before the first sample.
	Operators []OperatorStats
	// Epochs is the number of committed checkpoint epochs.
	Epochs uint64
	Uptime time.Duration
}

// SourceStats is one source's progress.
type SourceStats struct {
	Name       string
	Events     int64
	BadRecords int64
	// LateRows are the rows that arrived behind the source's watermark.
	LateRows int64
	// Watermark is the source's current watermark, MinWatermark before
	// the first and MaxWatermark once it is exhausted.
	Watermark int64
	// Lag is the number of records behind the input's latest ones (see
	// LagReporter), -1 when the source does not know.
	Lag int64
}

// OperatorStats is the state size of one stateful operator.
type OperatorStats struct {
	// Name says which operator, as in EXPLAIN (see Builder.Track).
	Name string
	// Rows and Bytes are the state it held when sampled (bytes are an
	// estimate of the memory held).
	Rows, Bytes int64
	// PeakRows is the most rows it held at once, for operators that track
	// it (PeakStateReporter); else the largest sampled Rows.
	PeakRows int64
}

// StateTotals sums the Rows and Bytes of every operator.
func (s Stats) StateTotals() (rows, bytes int64) {
	for _, o := range s.Operators {
		rows += o.Rows
		bytes += o.Bytes
	}
	return rows, bytes
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
		ss := SourceStats{Name: s.Def.Name, Events: s.Events(), BadRecords: s.BadRecords(),
			LateRows: s.LateRows(), Watermark: s.CurrentWatermark(), Lag: sourceLag(s.Src)}
		st.Sources = append(st.Sources, ss)
		st.EventsIn += ss.Events
		st.BadRecords += ss.BadRecords
		st.LateRows += ss.LateRows
	}
	if ops := r.state.Load(); ops != nil {
		st.Operators = append([]OperatorStats(nil), (*ops)...)
	}
	for _, root := range g.Roots {
		st.Roots = append(st.Roots, RootStats{Kind: root.Kind, Name: root.Name, Rows: root.Rows()})
	}
	return st
}

// sampleState reads the state size of every stateful operator of g and
// stores the snapshot Stats returns. It runs on the runner's goroutine,
// between batches, since operators are not safe for concurrent use.
func (r *Runner) sampleState(g *Graph) {
	if len(g.Operators) == 0 {
		return
	}
	prev := r.state.Load()
	ops := make([]OperatorStats, len(g.Operators))
	for i, o := range g.Operators {
		rows, bytes := o.Op.StateSize()
		peak := rows
		if p, ok := o.Op.(PeakStateReporter); ok {
			peak = p.PeakStateRows()
		} else if prev != nil && i < len(*prev) {
			peak = max(peak, (*prev)[i].PeakRows)
		}
		ops[i] = OperatorStats{Name: o.Name, Rows: rows, Bytes: bytes, PeakRows: peak}
	}
	r.state.Store(&ops)
}

// columnList renders the columns idx of s as "(a, b)", for operator names.
func columnList(s catalog.Schema, idx []int) string {
	names := make([]string, len(idx))
	for i, c := range idx {
		if c >= 0 && c < s.Len() {
			names[i] = s.Columns[c].Name
		} else {
			names[i] = fmt.Sprintf("#%d", c)
		}
	}
	return "(" + strings.Join(names, ", ") + ")"
}
