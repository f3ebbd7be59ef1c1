package benchrun

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sinks/duckdb"
)

// Result is one query's measurements. Rates are per wall-clock second of
// the engine run, from its start (planned, store open) to the end of the
// bounded input (final checkpoint committed).
type Result struct {
	Query   string  `json:"query"`
	Events  int64   `json:"events"`
	RowsIn  int64   `json:"rows_in"`
	RowsOut int64   `json:"rows_out"`
	Cores   int     `json:"cores"`
	Seconds float64 `json:"seconds"`
	// EventsPerSec is Events / Seconds; PerCore divides it by Cores.
	EventsPerSec        float64 `json:"events_per_sec"`
	EventsPerSecPerCore float64 `json:"events_per_sec_per_core"`
	// PeakHeapBytes is the largest Go heap (objects, Arrow buffers
	// included) sampled every 10 ms; PeakRSSBytes the process's VmHWM
	// over the run (0 when unavailable).
	PeakHeapBytes uint64 `json:"peak_heap_bytes"`
	PeakRSSBytes  int64  `json:"peak_rss_bytes"`
	// PeakStateRows sums the stateful operators' peak rows;
	// PeakStateBytes is the largest sampled total of their bytes.
	PeakStateRows  int64  `json:"peak_state_rows"`
	PeakStateBytes int64  `json:"peak_state_bytes"`
	LateRows       int64  `json:"late_rows"`
	Checkpoints    uint64 `json:"checkpoints"`
	// DuckDB is the baseline, nil when not run.
	DuckDB *Baseline `json:"duckdb,omitempty"`
	// Latency is set by a latency run (which then has no rates).
	Latency *Latency `json:"latency,omitempty"`
}

// runEngine runs q's plan over cfg.Events events into a store that
// discards the views, and measures it.
// profile, when not empty, receives a CPU profile of the run.
func runEngine(ctx context.Context, cfg *Config, q query, profile string) (*Result, error) {
	p, events, err := planSized(q.Pipeline, sizing{events: cfg.Events})
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(cfg.TempDir, "sqlstream-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	store, err := duckdb.Open(filepath.Join(dir, "engine.duckdb"), duckdb.Options{Threads: cfg.Cores})
	if err != nil {
		return nil, err
	}
	defer store.Close()
	r, err := exec.NewRunner(p, discardStore{store}, exec.RunOptions{
		CheckpointInterval: cfg.Checkpoint,
		BaseDir:            filepath.Dir(q.Pipeline),
		Now:                time.Now(),
	})
	if err != nil {
		return nil, err
	}
	debug.FreeOSMemory()
	rssOK := resetPeakRSS()
	stopProfile, err := startProfile(profile)
	if err != nil {
		return nil, err
	}
	s := startSampler(r)
	start := time.Now()
	runErr := r.Run(ctx)
	elapsed := time.Since(start)
	s.stop()
	stopProfile()
	if runErr != nil {
		return nil, fmt.Errorf("%s: %w", q.Pipeline, runErr)
	}
	res := &Result{Query: q.Name, Events: events, Cores: cfg.Cores, Seconds: elapsed.Seconds(),
		PeakHeapBytes: s.peakHeap, PeakStateBytes: s.peakStateBytes}
	if rssOK {
		res.PeakRSSBytes = peakRSS()
	}
	fillStats(res, r.Stats())
	res.EventsPerSec = float64(events) / res.Seconds
	res.EventsPerSecPerCore = res.EventsPerSec / float64(cfg.Cores)
	return res, nil
}

// fillStats copies the run's counters into res.
func fillStats(res *Result, st exec.Stats) {
	res.RowsIn, res.LateRows, res.Checkpoints = st.EventsIn, st.LateRows, st.Epochs
	for _, root := range st.Roots {
		res.RowsOut += root.Rows
	}
	for _, o := range st.Operators {
		res.PeakStateRows += o.PeakRows
	}
	_, bytes := st.StateTotals()
	res.PeakStateBytes = max(res.PeakStateBytes, bytes)
}

// startProfile starts a CPU profile into path ("" for none) and returns
// what stops it.
func startProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// profilePath is where query name's profile goes: path itself for a
// single query, path with ".name" before its extension for several.
func profilePath(path, name string, several bool) string {
	if path == "" || !several {
		return path
	}
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "." + name + ext
}

// withCores sets GOMAXPROCS for the bench and returns what restores it.
func withCores(c int) func() {
	prev := runtime.GOMAXPROCS(c)
	return func() { runtime.GOMAXPROCS(prev) }
}
