package duckdb

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/exec"
)

// Columns added to a changelog reader: the op of each row and its position
// in the commit.
const (
	opColumn  = "_op"
	seqColumn = "_seq"
)

// newBatchReader returns a record reader over batches with positional field
// names, zero-copy (the columns are shared). With ops it appends the _op
// (int8) and _seq (int64) columns. The caller releases the reader; the
// batches stay owned by the caller.
func newBatchReader(batches []exec.Batch, ops bool) (array.RecordReader, error) {
	var extra []arrow.Field
	if ops {
		extra = []arrow.Field{
			{Name: opColumn, Type: arrow.PrimitiveTypes.Int8},
			{Name: seqColumn, Type: arrow.PrimitiveTypes.Int64},
		}
	}
	schema := positionalSchema(batches[0].Rec.Schema(), extra...)
	recs := make([]arrow.RecordBatch, 0, len(batches))
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	var seq int64
	for _, b := range batches {
		cols := b.Rec.Columns()
		if ops {
			opArr, seqArr := opsArrays(b, seq)
			seq += int64(b.NumRows())
			cols = append(append([]arrow.Array(nil), cols...), opArr, seqArr)
			defer opArr.Release()
			defer seqArr.Release()
		}
		for i, c := range b.Rec.Columns() {
			if !arrow.TypeEqual(c.DataType(), schema.Field(i).Type) {
				return nil, fmt.Errorf("column %d is %s in one batch and %s in another", i, c.DataType(), schema.Field(i).Type)
			}
		}
		recs = append(recs, array.NewRecordBatch(schema, cols, b.Rec.NumRows()))
	}
	return array.NewRecordReader(schema, recs)
}

// opsArrays builds the _op and _seq columns of b, numbering from seq.
func opsArrays(b exec.Batch, seq int64) (arrow.Array, arrow.Array) {
	n := b.NumRows()
	ob := array.NewInt8Builder(memory.DefaultAllocator)
	defer ob.Release()
	sb := array.NewInt64Builder(memory.DefaultAllocator)
	defer sb.Release()
	ob.Reserve(n)
	sb.Reserve(n)
	for i := range n {
		ob.UnsafeAppend(int8(b.Op(i)))
		sb.UnsafeAppend(seq + int64(i))
	}
	return ob.NewArray(), sb.NewArray()
}
