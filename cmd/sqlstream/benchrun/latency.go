package benchrun

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/planner"
	"github.com/sqlstream/sqlstream/sinks/duckdb"
)

// pollEvery is the latency reader's period.
const pollEvery = 5 * time.Millisecond

// Latency is the end-to-end latency of one view at a fixed input rate:
// each observation is the wall clock minus the largest event time
// visible in the view (the event time of a row is the wall clock when
// the generator made it due, 'event_time' = 'wall').
type Latency struct {
	View   string `json:"view"`
	Column string `json:"column"`
	// Rate is the input rate asked for; AchievedRate the events over
	// the run's seconds (below Rate when the engine fell behind).
	Rate         float64 `json:"rate"`
	AchievedRate float64 `json:"achieved_rate"`
	CheckpointMs float64 `json:"checkpoint_ms"`
	Observations int     `json:"observations"`
	P50Ms        float64 `json:"p50_ms"`
	P99Ms        float64 `json:"p99_ms"`
	MaxMs        float64 `json:"max_ms"`
}

// runLatency runs q paced at cfg.Rate into a real DuckDB store and polls
// its view from a reader on the store's database.
func runLatency(ctx context.Context, cfg *Config, q query) (*Result, error) {
	p, events, err := planSized(q.Pipeline, sizing{events: cfg.Events, rate: cfg.Rate})
	if err != nil {
		return nil, err
	}
	view, col, err := latencyTarget(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", q.Name, err)
	}
	dir, err := os.MkdirTemp(cfg.TempDir, "sqlstream-latency-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	store, err := duckdb.Open(filepath.Join(dir, "latency.duckdb"), duckdb.Options{Threads: cfg.Cores})
	if err != nil {
		return nil, err
	}
	defer store.Close()
	interval := cfg.Checkpoint
	if interval == 0 {
		interval = DefaultLatencyCheckpoint
	}
	r, err := exec.NewRunner(p, store, exec.RunOptions{CheckpointInterval: interval, BaseDir: filepath.Dir(q.Pipeline), Now: time.Now()})
	if err != nil {
		return nil, err
	}
	pollCtx, stopPoll := context.WithCancel(ctx)
	var obs []float64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		obs = poll(pollCtx, store, fmt.Sprintf(`SELECT epoch_ms(max("%s")) AS t FROM "%s"`, col, view))
	}()
	start := time.Now()
	runErr := r.Run(ctx)
	elapsed := time.Since(start)
	stopPoll()
	wg.Wait()
	if runErr != nil {
		return nil, fmt.Errorf("%s: %w", q.Pipeline, runErr)
	}
	if len(obs) == 0 {
		return nil, fmt.Errorf("%s: no observation of %s.%s during the run (run longer: more --events)", q.Name, view, col)
	}
	lat := &Latency{View: view, Column: col, Rate: cfg.Rate, AchievedRate: float64(events) / elapsed.Seconds(),
		CheckpointMs: float64(interval) / float64(time.Millisecond), Observations: len(obs)}
	lat.P50Ms, lat.P99Ms, lat.MaxMs = percentiles(obs)
	res := &Result{Query: q.Name, Events: events, Cores: cfg.Cores, Seconds: elapsed.Seconds(), Latency: lat}
	fillStats(res, r.Stats())
	return res, nil
}

// poll runs query (one BIGINT, the visible event time in epoch ms, NULL
// while the view is empty) every pollEvery until ctx ends and returns
// the latencies observed, in ms. Errors (the view's table is created when
// the run builds its graph) are skipped.
func poll(ctx context.Context, store *duckdb.Store, query string) []float64 {
	var out []float64
	t := time.NewTicker(pollEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return out
		case <-t.C:
		}
		res, err := store.Query(ctx, query)
		now := time.Now().UnixMilli()
		if err != nil || len(res.Rows) != 1 || len(res.Rows[0]) != 1 {
			continue
		}
		if v, ok := res.Rows[0][0].(int64); ok {
			out = append(out, float64(now-v))
		}
	}
}

// latencyTarget picks the view and column to watch: the first
// materialized view with an event-time column (its first), else the
// first TIMESTAMP column of a materialized view.
func latencyTarget(p *planner.Plan) (view, col string, err error) {
	var views []*catalog.View
	for _, root := range p.Roots {
		if m, ok := root.(*planner.MaterializeNode); ok {
			views = append(views, m.View)
		}
	}
	for _, v := range views {
		if len(v.Time) > 0 {
			return v.Name, v.Schema.Columns[v.Time[0]].Name, nil
		}
	}
	for _, v := range views {
		for _, c := range v.Schema.Columns {
			if c.Type.ID == catalog.Timestamp {
				return v.Name, c.Name, nil
			}
		}
	}
	return "", "", fmt.Errorf("no materialized view has a TIMESTAMP column to measure latency on")
}

// percentiles returns the p50, p99 and max of vals (nearest rank).
func percentiles(vals []float64) (p50, p99, mx float64) {
	s := append([]float64(nil), vals...)
	sort.Float64s(s)
	rank := func(q float64) float64 {
		i := int(math.Ceil(q*float64(len(s)))) - 1
		return s[max(0, min(i, len(s)-1))]
	}
	return rank(0.50), rank(0.99), s[len(s)-1]
}
