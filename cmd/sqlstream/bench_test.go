package main

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/parser"
	"github.com/sqlstream/sqlstream/planner"
	"github.com/sqlstream/sqlstream/sinks/duckdb"
)

// nexmarkBench are Nexmark q0-q2 written as sinks into the blackhole
// connector, so the benchmark measures the engine, not the store.
var nexmarkBench = map[string]string{
	"q0": "SELECT auction, bidder, price, date_time, extra FROM bid",
	"q1": "SELECT auction, bidder, price * 0.908 AS price, date_time, extra FROM bid",
	"q2": "SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0",
}

const benchEvents = 2_000_000

// benchBids is how many of benchEvents are bids (46 of every 50 events).
const benchBids = benchEvents / 50 * 46

const benchBidSource = `CREATE SOURCE bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR,
	url VARCHAR, date_time TIMESTAMP(3), extra VARCHAR,
	WATERMARK FOR date_time AS date_time - INTERVAL 4 SECOND)
	WITH (connector = 'datagen', generator = 'nexmark', kind = 'bid', rows = '%d');`

// BenchmarkNexmarkGenerator drains the bid generator with no engine at all:
// the baseline that BenchmarkNexmark's figures are compared with in the
// same run.
func BenchmarkNexmarkGenerator(b *testing.B) {
	f, err := parser.Parse("gen.sql", fmt.Sprintf(benchBidSource, benchEvents)+
		"CREATE SINK out AS SELECT * FROM bid WITH (connector = 'blackhole');")
	if err != nil {
		b.Fatal(err)
	}
	p, err := planner.PlanFile(f)
	if err != nil {
		b.Fatal(err)
	}
	def := p.Catalog.Sources["bid"]
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		src, err := exec.OpenSource(context.Background(), def, exec.SourceEnv{BatchSize: 4096})
		if err != nil {
			b.Fatal(err)
		}
		for {
			batch, err := src.Next(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			batch.Release()
		}
		src.Close()
		elapsed += time.Since(start)
	}
	reportRates(b, elapsed)
}

func reportRates(b *testing.B, elapsed time.Duration) {
	b.ReportMetric(float64(benchEvents)*float64(b.N)/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(benchBids)*float64(b.N)/elapsed.Seconds(), "bids/s")
}

// BenchmarkNexmark runs each query over benchEvents generated events per
// iteration and reports events/s. Run with GOMAXPROCS=1 for per-core
// figures (make bench).
func BenchmarkNexmark(b *testing.B) {
	for _, q := range []string{"q0", "q1", "q2"} {
		b.Run(q, func(b *testing.B) {
			src := fmt.Sprintf(benchBidSource, benchEvents) +
				fmt.Sprintf("CREATE SINK out AS %s WITH (connector = 'blackhole');", nexmarkBench[q])
			f, err := parser.Parse(q+".sql", src)
			if err != nil {
				b.Fatal(err)
			}
			p, err := planner.PlanFile(f)
			if err != nil {
				b.Fatal(err)
			}
			var elapsed time.Duration
			for i := 0; i < b.N; i++ {
				store, err := duckdb.Open("", duckdb.Options{})
				if err != nil {
					b.Fatal(err)
				}
				r, err := exec.NewRunner(p, store, exec.RunOptions{CheckpointInterval: time.Second, Now: time.Now()})
				if err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				if err := r.Run(context.Background()); err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
				store.Close()
			}
			reportRates(b, elapsed)
		})
	}
}
