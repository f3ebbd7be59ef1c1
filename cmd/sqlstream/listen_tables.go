package main

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sinks/duckdb"
)

// introspection is one table of the run's live state that every session
// of the endpoint has as a TEMP table, refreshed before each query naming
// it (so it reads like any table, and psql's \dt lists it).
type introspection struct {
	name string
	cols string // column definitions
	rows func(l *liveStats, st exec.Stats) [][]any
}

var introspections = []introspection{
	{"sqlstream_pipelines", "pipeline VARCHAR, status VARCHAR, started_at TIMESTAMP, uptime_s DOUBLE, epochs BIGINT, " +
		"events BIGINT, events_per_s DOUBLE, bad_records BIGINT, late_rows BIGINT, state_rows BIGINT, state_bytes BIGINT", pipelineRows},
	{"sqlstream_operators", "name VARCHAR, kind VARCHAR, state_rows BIGINT, state_bytes BIGINT, peak_rows BIGINT, " +
		"rows_out BIGINT, rows_out_per_s DOUBLE", operatorRows},
	{"sqlstream_sources", "name VARCHAR, connector VARCHAR, events BIGINT, events_per_s DOUBLE, bad_records BIGINT, " +
		"late_rows BIGINT, watermark TIMESTAMP, lag BIGINT", sourceRows},
}

// checkpointsView lists the committed epochs, read in the session's snapshot.
const checkpointsView = "CREATE OR REPLACE TEMP VIEW sqlstream_checkpoints AS SELECT epoch::BIGINT AS epoch, committed_at FROM " +
	duckdb.EpochsTable + " ORDER BY epoch"

// liveStats samples the runner's statistics once a second, for the rates
// of the introspection tables.
type liveStats struct {
	runner     *exec.Runner
	pipeline   string
	connectors map[string]string // source → connector
	started    time.Time
	quit       chan struct{}
	done       chan struct{}

	mu       sync.Mutex
	prev     exec.Stats // the sample before last, and when
	prevAt   time.Time
	last     exec.Stats
	lastAt   time.Time
	finished string // "" while running; "finished" or "failed" after
}

func newLiveStats(r *exec.Runner, pipeline string, connectors map[string]string) *liveStats {
	now := time.Now()
	l := &liveStats{runner: r, pipeline: pipeline, connectors: connectors, started: now,
		quit: make(chan struct{}), done: make(chan struct{}), prevAt: now, lastAt: now}
	go l.sample()
	return l
}

func (l *liveStats) sample() {
	defer close(l.done)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-l.quit:
			return
		case now := <-t.C:
			st := l.runner.Stats()
			l.mu.Lock()
			l.prev, l.prevAt, l.last, l.lastAt = l.last, l.lastAt, st, now
			l.mu.Unlock()
		}
	}
}

func (l *liveStats) stop() {
	close(l.quit)
	<-l.done
}

// setFinished records how the run ended.
func (l *liveStats) setFinished(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.finished = "finished"
	if err != nil {
		l.finished = "failed"
	}
}

// rate is the per-second change of a counter between the last two samples.
func (l *liveStats) rate(f func(exec.Stats) int64) float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	dt := l.lastAt.Sub(l.prevAt).Seconds()
	if dt <= 0 {
		return 0
	}
	return math.Round(float64(f(l.last)-f(l.prev))/dt*10) / 10
}

// create makes a session's introspection tables and views.
func (l *liveStats) create(ctx context.Context, rs *duckdb.ReadSession) error {
	for _, t := range introspections {
		if err := rs.Exec(ctx, fmt.Sprintf("CREATE OR REPLACE TEMP TABLE %s (%s)", t.name, t.cols)); err != nil {
			return err
		}
	}
	return rs.Exec(ctx, checkpointsView)
}

// refresh fills the introspection tables sql names with the run's current
// state (in the session's transaction, if one is open).
func (l *liveStats) refresh(ctx context.Context, rs *duckdb.ReadSession, sql string) error {
	lower := strings.ToLower(sql)
	if !strings.Contains(lower, "sqlstream_") {
		return nil
	}
	st := l.runner.Stats()
	for _, t := range introspections {
		if !strings.Contains(lower, t.name) {
			continue
		}
		if err := rs.Exec(ctx, "DELETE FROM "+t.name); err != nil {
			return err
		}
		for _, row := range t.rows(l, st) {
			marks := strings.TrimSuffix(strings.Repeat("?, ", len(row)), ", ")
			if err := rs.Exec(ctx, fmt.Sprintf("INSERT INTO %s VALUES (%s)", t.name, marks), row...); err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
		}
	}
	return nil
}

func pipelineRows(l *liveStats, st exec.Stats) [][]any {
	l.mu.Lock()
	status := l.finished
	l.mu.Unlock()
	if status == "" {
		status = "running"
	}
	rows, bytes := st.StateTotals()
	return [][]any{{l.pipeline, status, l.started.UTC(), math.Round(st.Uptime.Seconds()*10) / 10, int64(st.Epochs),
		st.EventsIn, l.rate(func(s exec.Stats) int64 { return s.EventsIn }), st.BadRecords, st.LateRows, rows, bytes}}
}

func operatorRows(l *liveStats, st exec.Stats) [][]any {
	var out [][]any
	for _, o := range st.Operators {
		out = append(out, []any{o.Name, operatorKind(o.Name), o.Rows, o.Bytes, o.PeakRows, nil, nil})
	}
	for i, r := range st.Roots {
		name := rootName(r)
		rate := l.rate(func(s exec.Stats) int64 {
			if i < len(s.Roots) {
				return s.Roots[i].Rows
			}
			return 0
		})
		out = append(out, []any{name, strings.Fields(name)[0], nil, nil, nil, r.Rows, rate})
	}
	return out
}

// rootName names a plan root as EXPLAIN does.
func rootName(r exec.RootStats) string {
	switch r.Kind {
	case exec.RootView:
		return "materialize " + r.Name
	case exec.RootSink:
		return "sink " + r.Name
	}
	return "insert " + r.Name
}

// operatorKind is the kind of a stateful operator, from its name.
func operatorKind(name string) string {
	for _, k := range []string{"unique-key join", "interval join", "lookup join", "join", "normalize", "over", "top-", "window"} {
		if strings.HasPrefix(name, k) {
			return strings.TrimSuffix(k, "-")
		}
	}
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return name
}

func sourceRows(l *liveStats, st exec.Stats) [][]any {
	var out [][]any
	for i, s := range st.Sources {
		rate := l.rate(func(x exec.Stats) int64 {
			if i < len(x.Sources) {
				return x.Sources[i].Events
			}
			return 0
		})
		var wm, lag any
		if s.Watermark != exec.MinWatermark && s.Watermark != exec.MaxWatermark {
			wm = time.UnixMilli(s.Watermark).UTC()
		}
		if s.Lag >= 0 {
			lag = s.Lag
		}
		out = append(out, []any{s.Name, l.connectors[s.Name], s.Events, rate, s.BadRecords, s.LateRows, wm, lag})
	}
	return out
}
