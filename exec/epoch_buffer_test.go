package exec

import (
	"errors"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestEpochBuffer(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil)
	batch := func(vals ...int64) Batch {
		b := array.NewInt64Builder(mem)
		defer b.Release()
		b.AppendValues(vals, nil)
		a := b.NewArray()
		defer a.Release()
		return Batch{Rec: array.NewRecordBatch(schema, []arrow.Array{a}, int64(len(vals)))}
	}
	var e EpochBuffer
	if err := e.Flush(func([]Batch) error { t.Fatal("delivered an empty epoch"); return nil }); err != nil {
		t.Fatal(err)
	}
	for _, b := range []Batch{batch(1, 2), batch(), batch(3)} {
		e.Add(b)
		b.Release() // the buffer keeps its own reference
	}
	if n := len(e.Batches()); n != 2 {
		t.Fatalf("kept %d batches, want 2 (the empty one dropped)", n)
	}
	boom := errors.New("boom")
	rows := 0
	err := e.Flush(func(bs []Batch) error {
		for _, b := range bs {
			rows += b.NumRows()
		}
		return boom
	})
	if !errors.Is(err, boom) || rows != 3 {
		t.Fatalf("Flush = %v with %d rows, want boom with 3", err, rows)
	}
	if n := len(e.Batches()); n != 0 {
		t.Fatalf("%d batches kept after a failed Flush, want 0", n)
	}
	b := batch(4)
	e.Add(b)
	b.Release()
	e.Discard()
	if n := len(e.Batches()); n != 0 {
		t.Fatalf("%d batches kept after Discard, want 0", n)
	}
}
