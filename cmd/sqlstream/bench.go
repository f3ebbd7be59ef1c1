package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/sqlstream/sqlstream/cmd/sqlstream/benchrun"
)

// cmdBench runs queries from the queries directory over generated events
// and reports the engine's throughput (or, with --latency, its end-to-end
// latency) with DuckDB's time to recompute the same views from scratch
// (issue 7). The work is in package benchrun; this parses the flags.
func cmdBench(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	queries := fs.String("query", "", "comma-separated queries: qN (queries/nexmark/qN.sql), retail_dw, trace_join, process_metrics; 'nexmark' and 'bank' name the groups")
	dir := fs.String("queries", "queries", "the queries directory")
	events := fs.Int64("events", 1_000_000, "events generated across each pipeline's sources")
	cores := fs.Int("cores", 1, "GOMAXPROCS for the engine and DuckDB threads for the baseline")
	format := fs.String("format", "text", "output: text or json (one object per query)")
	baseline := fs.Bool("baseline", true, "time DuckDB over the same events in tables")
	latency := fs.Bool("latency", false, "measure end-to-end latency at --rate instead of throughput")
	rate := fs.Float64("rate", benchrun.DefaultRate, "input rate of the latency run, events/s in total")
	checkpoint := fs.Duration("checkpoint", 0, "checkpoint interval (default: the pipeline's for throughput, 100ms for --latency)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of each engine run to this file (FILE.<query> for several)")
	pos, err := parseFlags(fs, args, stderr)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usageError{fmt.Sprintf("unexpected argument %q (queries go in --query)", pos[0])}
	}
	if *format != "text" && *format != "json" {
		return usageError{fmt.Sprintf("--format %q: want text or json", *format)}
	}
	if strings.TrimSpace(*queries) == "" {
		return usageError{"--query is required (e.g. --query q0,q5,retail_dw)"}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	_, err = benchrun.Run(ctx, benchrun.Config{
		Queries: strings.Split(*queries, ","), Dir: *dir, Events: *events, Cores: *cores,
		JSON: *format == "json", Baseline: *baseline, Latency: *latency, Rate: *rate,
		Checkpoint: *checkpoint, CPUProfile: *cpuprofile, Out: stdout, Log: stderr,
	})
	if err != nil {
		return fmt.Errorf("sqlstream bench: %w", err)
	}
	return nil
}
