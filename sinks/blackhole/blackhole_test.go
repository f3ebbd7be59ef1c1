package blackhole

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

func TestCounts(t *testing.T) {
	schema := catalog.Schema{Columns: []catalog.Column{{Name: "v", Type: catalog.BigIntType}}}
	sink, err := exec.OpenSink(context.Background(), &catalog.Sink{Name: "out", Connector: "blackhole"}, exec.SinkEnv{Schema: schema.Arrow()})
	if err != nil {
		t.Fatal(err)
	}
	b := array.NewInt64Builder(memory.DefaultAllocator)
	b.AppendValues([]int64{1, 2, 3}, nil)
	col := b.NewArray()
	defer col.Release()
	rec := array.NewRecordBatch(schema.Arrow(), []arrow.Array{col}, 3)
	defer rec.Release()
	before := TotalRows.Load()
	for range 2 {
		if err := sink.Push(exec.Batch{Rec: rec}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sink.Barrier(7); err != nil {
		t.Fatal(err)
	}
	if err := sink.Close(); err != nil {
		t.Fatal(err)
	}
	s := sink.(*Sink)
	if s.Rows.Load() != 6 || s.Batches.Load() != 2 || s.Checkpoint.Load() != 7 || !s.Closed.Load() {
		t.Errorf("rows=%d batches=%d epoch=%d closed=%v", s.Rows.Load(), s.Batches.Load(), s.Checkpoint.Load(), s.Closed.Load())
	}
	if got := TotalRows.Load() - before; got != 6 {
		t.Errorf("TotalRows grew by %d, want 6", got)
	}
}
