package benchrun

import (
	"fmt"
	"io"
	"time"
)

// Config is one `sqlstream bench` invocation.
type Config struct {
	// Queries are names: qN (queries/nexmark/qN.sql) or a directory of
	// Dir holding pipeline.sql (retail_dw, trace_join, process_metrics).
	// "nexmark" expands to every queries/nexmark/q*.sql, "bank" to the
	// three bank workloads.
	Queries []string
	// Dir is the queries directory ("queries" when empty).
	Dir string
	// Events is the number of events generated across the pipeline's
	// sources.
	Events int64
	// Cores is GOMAXPROCS for the engine and DuckDB's threads for the
	// baseline.
	Cores int
	// JSON prints one JSON object per query instead of a text line.
	JSON bool
	// Baseline times DuckDB over the same events (throughput mode).
	Baseline bool
	// Latency measures end-to-end latency instead of throughput.
	Latency bool
	// Rate is the total input rate of the latency run, events/s.
	Rate float64
	// Checkpoint overrides the pipeline's checkpoint interval; zero keeps
	// it in throughput mode and means 100ms in latency mode.
	Checkpoint time.Duration
	// CPUProfile, when set, writes a CPU profile of each engine run to
	// this file (FILE.<query> when several queries run).
	CPUProfile string
	// TempDir holds the temporary DuckDB files (os.TempDir() when empty).
	TempDir string
	// Out receives the results; Log (may be nil) one progress line per
	// step.
	Out, Log io.Writer
}

// DefaultRate and DefaultLatencyCheckpoint are the latency run's
// defaults: the target is p99 < 100 ms at 100 k events/s with
// 100 ms checkpoints.
const (
	DefaultRate              = 100_000
	DefaultLatencyCheckpoint = 100 * time.Millisecond
)

func (c *Config) validate() error {
	if len(c.Queries) == 0 {
		return fmt.Errorf("no query given (--query q0,q5,retail_dw,...)")
	}
	if c.Events <= 0 {
		return fmt.Errorf("--events must be positive, got %d", c.Events)
	}
	if c.Cores <= 0 {
		return fmt.Errorf("--cores must be positive, got %d", c.Cores)
	}
	if c.Latency && c.Rate <= 0 {
		return fmt.Errorf("--rate must be positive, got %g", c.Rate)
	}
	if c.Checkpoint < 0 {
		return fmt.Errorf("--checkpoint must be positive, got %s", c.Checkpoint)
	}
	if c.Dir == "" {
		c.Dir = "queries"
	}
	if c.Out == nil {
		c.Out = io.Discard
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	return nil
}
