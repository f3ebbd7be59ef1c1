package duckdb

import (
	"fmt"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/planner"
)

// Reproduce: GOMAXPROCS=1 GOFLAGS=-tags=duckdb_arrow go test ./sinks/duckdb -run '^$' -bench LookupJoin -benchtime 3x
// 1M input rows (4096 per batch) join a 10k-row DuckDB dimension table by
// a BIGINT key through the lookup cache (default size: every key fits, so
// after the first batches every lookup is a hit), and without the cache
// (one DuckDB query per batch) for comparison.

const (
	benchLJRows  = 1 << 20
	benchLJBatch = 4096
	benchLJDim   = 10000
)

var benchLJDimSchema = catalog.Schema{Columns: []catalog.Column{
	{Name: "branch_id", Type: catalog.BigIntType, NotNull: true},
	{Name: "name", Type: catalog.VarcharType}, {Name: "region", Type: catalog.VarcharType},
}}

// countingStream discards what it is pushed, counting rows.
type countingStream struct{ rows int }

func (c *countingStream) Push(b exec.Batch) error { c.rows += b.NumRows(); return nil }
func (c *countingStream) Watermark(int64) error   { return nil }
func (c *countingStream) Barrier(uint64) error    { return nil }
func (c *countingStream) Close() error            { return nil }

func BenchmarkLookupJoin(b *testing.B) {
	s, err := Open("", Options{Threads: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	tab := &catalog.Table{Name: "dim", Schema: benchLJDimSchema, PrimaryKey: []int{0}}
	if err := s.InitTable(&planner.TableInit{Table: tab}); err != nil {
		b.Fatal(err)
	}
	fill := fmt.Sprintf("INSERT INTO dim SELECT i, 'branch ' || i, 'region ' || (i %% 17) FROM range(%d) t(i)", benchLJDim)
	if err := s.exec(fill); err != nil {
		b.Fatal(err)
	}
	batches := benchLJInput()
	defer func() {
		for _, bt := range batches {
			bt.Release()
		}
	}()
	out := catalog.Schema{Columns: append(append([]catalog.Column(nil), ljInput.Columns...), benchLJDimSchema.Columns...)}
	for _, tc := range []struct {
		name    string
		maxKeys int
	}{{"cached", exec.DefaultLookupCacheMaxRows}, {"uncached", 0}} {
		b.Run(tc.name, func(b *testing.B) {
			var rows int
			for range b.N {
				lt, err := s.Lookup(tab, []int{0})
				if err != nil {
					b.Fatal(err)
				}
				sink := &countingStream{}
				j, err := exec.NewLookupJoin(exec.LookupJoinConfig{
					Table: exec.NewCachedLookup(lt, tc.maxKeys, time.Hour, nil), Name: "dim",
					InputKeys: []int{1}, Schema: out.Arrow(), InputWidth: ljInput.Len(),
				}, sink, memory.DefaultAllocator)
				if err != nil {
					b.Fatal(err)
				}
				for _, bt := range batches {
					if err := j.Push(bt); err != nil {
						b.Fatal(err)
					}
				}
				if err := j.Close(); err != nil {
					b.Fatal(err)
				}
				if sink.rows != benchLJRows {
					b.Fatalf("%d rows out, want %d", sink.rows, benchLJRows)
				}
				rows += benchLJRows
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// benchLJInput is 1M rows (acct, branch, amt) with branch uniform over the
// dimension's keys.
func benchLJInput() []exec.Batch {
	var out []exec.Batch
	rb := array.NewRecordBuilder(memory.DefaultAllocator, ljInput.Arrow())
	defer rb.Release()
	x := uint64(88172645463325252)
	for start := 0; start < benchLJRows; start += benchLJBatch {
		for i := range benchLJBatch {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			rb.Field(0).(*array.Int64Builder).Append(int64(start + i))
			rb.Field(1).(*array.Int64Builder).Append(int64(x % benchLJDim))
			rb.Field(2).(*array.Int64Builder).Append(int64(x % 1000))
		}
		out = append(out, exec.Batch{Rec: rb.NewRecordBatch()})
	}
	return out
}
