// Package benchrun is the work behind `sqlstream bench`: it runs named
// pipelines from queries/ (Nexmark qN, the bank workloads) over a given
// number of generated events, measures the engine, and in the same run
// times DuckDB recomputing the same answer from scratch over the same
// events materialized in tables.
//
// Throughput (Run without Config.Latency), per query:
//
//  1. The pipeline is parsed and every datagen source gets 'rows' from
//     Config.Events (pipeline.go). Nexmark sources get rows = Events (the
//     generator counts persons, auctions and bids together); other
//     generators' rows are scaled so that they add up to Events, keeping
//     the pipeline's proportions.
//  2. The engine runs the unchanged plan over a DuckDB store whose view
//     writers discard their rows (discardStore, store.go): every operator,
//     including the checkpoints of operator state and positions, runs as
//     in `sqlstream run`, but no view is written, so the figure is the
//     engine's, not the store's. GOMAXPROCS is Config.Cores for the run.
//     Peak memory is sampled every 10 ms from runtime/metrics (Go heap
//     objects, which include every Arrow buffer: the default allocator is
//     Go memory) and read as the process's VmHWM (peak RSS, DuckDB's C
//     memory included); peak state is the sum of the stateful operators'
//     PeakRows and the largest sampled total of their Bytes (memory.go).
//  3. The baseline (baseline.go): the same sources, with the same options,
//     are materialized into a temporary DuckDB file, one table per source
//     named like the source (holding what the engine's views see: late
//     rows excluded, changelogs applied), with the pipeline's own tables;
//     then each baseline/<view>.sql next to the pipeline (for Nexmark
//     baseline/qN.sql) is timed as CREATE TEMP TABLE ... AS <query> with
//     DuckDB threads = Cores, best of two. A query without a baseline file
//     is reported without one.
//
// Latency (Config.Latency, latency.go): the pipeline runs into a real
// DuckDB store with every datagen source paced to Config.Rate events per
// second in total and 'event_time' = 'wall' (a row's event time is the
// wall clock when it was due), and checkpoints every Config.Checkpoint;
// a reader on the store's own database polls the largest event time
// visible in the view, and now minus that is one observation of the
// end-to-end latency.
//
// Ownership: Run owns every store, temporary directory and profile it
// opens and removes or closes them before returning. It changes
// GOMAXPROCS for the duration of a run and restores it.
package benchrun
