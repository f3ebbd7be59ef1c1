package benchrun

import (
	"context"
	"fmt"
	"time"

	// The pipelines run here name connectors by string.
	_ "github.com/sqlstream/sqlstream/sinks/all"
	_ "github.com/sqlstream/sqlstream/sources/all"
)

// Run runs every query of cfg, printing each result to cfg.Out as soon as
// it is measured, and returns the results.
func Run(ctx context.Context, cfg Config) ([]*Result, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	queries, err := resolve(cfg.Dir, cfg.Queries)
	if err != nil {
		return nil, err
	}
	defer withCores(cfg.Cores)()
	if !cfg.JSON {
		header(cfg.Out, &cfg)
	}
	var out []*Result
	for _, q := range queries {
		r, err := runQuery(ctx, &cfg, q, len(queries) > 1)
		if err != nil {
			return out, err
		}
		out = append(out, r)
		if err := writeResult(cfg.Out, cfg.JSON, r); err != nil {
			return out, err
		}
	}
	return out, nil
}

// runQuery measures one query: its latency, or its throughput and then
// (same run) its DuckDB baseline.
func runQuery(ctx context.Context, cfg *Config, q query, several bool) (*Result, error) {
	if cfg.Latency {
		fmt.Fprintf(cfg.Log, "%s: latency run at %g events/s\n", q.Name, cfg.Rate)
		return runLatency(ctx, cfg, q)
	}
	fmt.Fprintf(cfg.Log, "%s: engine run over %d events\n", q.Name, cfg.Events)
	r, err := runEngine(ctx, cfg, q, profilePath(cfg.CPUProfile, q.Name, several))
	if err != nil {
		return nil, err
	}
	if !cfg.Baseline || len(q.Baselines) == 0 {
		return r, nil
	}
	fmt.Fprintf(cfg.Log, "%s: DuckDB baseline (%d queries)\n", q.Name, len(q.Baselines))
	start := time.Now()
	b, err := runBaseline(ctx, cfg, q)
	if err != nil {
		return nil, err
	}
	b.Ratio = b.Seconds / r.Seconds
	fmt.Fprintf(cfg.Log, "%s: baseline done in %.1f s (materializing included)\n", q.Name, time.Since(start).Seconds())
	r.DuckDB = b
	return r, nil
}
