package duckdb

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// Reproduce: GOFLAGS=-tags=duckdb_arrow go test ./sinks/duckdb -run '^$' -bench CommitChangelog -benchtime 20x
//
// A view keyed by (auction, channel) holds 100k keys. Every commit is 20k
// changes in 4k-row batches: 2k -D of the oldest keys, 2k +I of new keys,
// and 8k updates (-U/+U pairs), a quarter of them updating a key twice.
// "sql" is the previous set-based path (temp table, window function);
// "netted" nets the changes per key in Go first.

const (
	clKeys    = 100_000
	clChurn   = 2_000 // deletes and inserts per commit
	clUpdates = 8_000 // -U/+U pairs per commit
	clBatch   = 4096
)

func BenchmarkCommitChangelog(b *testing.B) {
	for _, mode := range []string{"sql", "netted"} {
		b.Run(mode, func(b *testing.B) { benchChangelog(b, mode == "sql") })
	}
}

func benchChangelog(b *testing.B, viaSQL bool) {
	s, err := Open("", Options{Threads: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	st, err := s.ViewWriter(&catalog.View{Name: "agg", Schema: benchSchema, Key: []int{0, 1}, Changelog: catalog.Retract})
	if err != nil {
		b.Fatal(err)
	}
	w := st.(*writer)
	if viaSQL {
		w.viaSQL = true
	}
	g := &clGen{}
	for lo := 0; lo < clKeys; lo += clBatch {
		for i := lo; i < min(lo+clBatch, clKeys); i++ {
			g.row(int64(i), 0, exec.Insert)
		}
		g.flush(b, w)
	}
	if err := s.Commit(0); err != nil {
		b.Fatal(err)
	}
	rows := 0
	b.ResetTimer()
	for it := range b.N {
		b.StopTimer()
		rows += g.commitChanges(b, w, it)
		b.StartTimer()
		if err := s.Commit(uint64(it + 1)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	var n int64
	if err := s.conn.QueryRowContext(s.ctx, "SELECT count(*) FROM agg").Scan(&n); err != nil || n != clKeys {
		b.Fatalf("view holds %d rows (%v), want %d", n, err, clKeys)
	}
}

// clGen builds changelog batches of benchSchema.
type clGen struct {
	rb  *array.RecordBuilder
	ops []exec.Op
}

func (g *clGen) row(key, version int64, op exec.Op) {
	if g.rb == nil {
		g.rb = array.NewRecordBuilder(memory.DefaultAllocator, benchSchema.Arrow())
	}
	g.rb.Field(0).(*array.Int64Builder).Append(key)
	g.rb.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("channel-%d", key%7))
	g.rb.Field(2).(*array.Decimal128Builder).Append(decimal128.FromI64(key%1000 + version))
	g.rb.Field(3).(*array.TimestampBuilder).Append(arrow.Timestamp(1704164645120 + version))
	g.ops = append(g.ops, op)
}

// flush pushes the rows built so far as one batch.
func (g *clGen) flush(b *testing.B, w exec.Stream) {
	if len(g.ops) == 0 {
		return
	}
	bt := exec.Batch{Rec: g.rb.NewRecordBatch(), Ops: g.ops}
	if err := w.Push(bt); err != nil {
		b.Fatal(err)
	}
	bt.Release()
	g.ops = g.ops[:0]
}

// commitChanges pushes the changes of commit it; live keys are
// [it*clChurn, it*clChurn+clKeys) before and shift by clChurn after.
func (g *clGen) commitChanges(b *testing.B, w exec.Stream, it int) int {
	lo := int64(it * clChurn)
	v := int64(it + 1)
	n := 0
	emit := func(key, version int64, op exec.Op) {
		g.row(key, version, op)
		n++
		if len(g.ops) == clBatch {
			g.flush(b, w)
		}
	}
	for i := range int64(clChurn) {
		emit(lo+i, v-1, exec.Delete)
		emit(lo+clKeys+i, v, exec.Insert)
	}
	// Updates of surviving keys, spread by a stride; every fourth key is
	// updated twice.
	for i := range int64(clUpdates) {
		key := lo + clChurn + (i*7919)%(clKeys-clChurn)
		if i%4 == 3 {
			key = lo + clChurn + ((i-1)*7919)%(clKeys-clChurn)
		}
		emit(key, v-1, exec.UpdateBefore)
		emit(key, v, exec.UpdateAfter)
	}
	g.flush(b, w)
	return n
}
