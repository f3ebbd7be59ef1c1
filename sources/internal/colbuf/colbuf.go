// Package colbuf builds Arrow record batches column by column straight into
// buffers from a memory.Allocator. It is the write side shared by the
// decoders (sources/format) and the generators (sources/datagen).
//
// Rows are written slot by slot: a writer sets values of the pending row
// (index Len()) in any column order, then Commit makes the row part of the
// batch or Rollback forgets it, leaving no partial row behind. Generators
// that fill whole columns use the typed slices (Int64s, ...) and SetLen.
//
// Lifecycle: Finish hands the filled buffers to a new RecordBatch (owned by
// the caller) and starts fresh buffers, so a Batch is reused for the life of
// a source. Release frees the buffers of an unfinished batch.
package colbuf

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
)

// Batch is a set of column buffers with room for Cap rows.
type Batch struct {
	alloc  memory.Allocator
	schema *arrow.Schema
	Cols   []*Column
	n, cap int
}

// New returns a batch for schema with room for capacity rows.
func New(alloc memory.Allocator, schema catalog.Schema, capacity int) *Batch {
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	if capacity <= 0 {
		capacity = 4096
	}
	b := &Batch{alloc: alloc, schema: schema.Arrow(), cap: capacity}
	for _, c := range schema.Columns {
		col := &Column{Type: c.Type, Name: c.Name, NotNull: c.NotNull, alloc: alloc}
		col.width = byteWidth(c.Type)
		b.Cols = append(b.Cols, col)
	}
	b.reset()
	return b
}

// Schema is the Arrow schema of the batches produced.
func (b *Batch) Schema() *arrow.Schema { return b.schema }

// Len is the number of committed rows.
func (b *Batch) Len() int { return b.n }

// Cap is the number of rows the batch holds before it must be finished.
func (b *Batch) Cap() int { return b.cap }

// Full reports whether no row can be added.
func (b *Batch) Full() bool { return b.n >= b.cap }

// Commit makes the pending row part of the batch. Columns not set in the
// row are NULL. It does not check NOT NULL: see Missing.
func (b *Batch) Commit() {
	for _, c := range b.Cols {
		if !c.set {
			c.putNull(b.n)
		}
		c.set = false
		c.row = b.n + 1
	}
	b.n++
}

// Missing returns the first NOT NULL column that is not set (or set to NULL)
// in the pending row, or nil. Column.PendingNull tells the two apart.
func (b *Batch) Missing() *Column {
	for _, c := range b.Cols {
		if c.NotNull && (!c.set || c.pendingNull) {
			return c
		}
	}
	return nil
}

// Rollback forgets the pending row.
func (b *Batch) Rollback() {
	for _, c := range b.Cols {
		if c.set && c.width == 0 {
			c.dataLen = int(c.offsets[b.n])
		}
		c.set = false
	}
}

// SetLen declares that rows [0, n) of every column were written through the
// typed slices (see Column.Int64s); validity must have been set with
// SetValid for nullable columns that hold NULLs.
func (b *Batch) SetLen(n int) {
	b.n = n
	for _, c := range b.Cols {
		c.row = n
		c.generated = true
	}
}

// Finish returns the committed rows as a record batch owned by the caller
// and starts an empty batch. It returns nil when there are no rows.
func (b *Batch) Finish() arrow.RecordBatch {
	if b.n == 0 {
		return nil
	}
	arrs := make([]arrow.Array, len(b.Cols))
	for i, c := range b.Cols {
		arrs[i] = c.finish(b.n)
	}
	rec := array.NewRecordBatch(b.schema, arrs, int64(b.n))
	for _, a := range arrs {
		a.Release()
	}
	b.reset()
	return rec
}

// Release frees the buffers of the unfinished batch.
func (b *Batch) Release() {
	for _, c := range b.Cols {
		c.release()
	}
	b.n = 0
}

func (b *Batch) reset() {
	b.n = 0
	for _, c := range b.Cols {
		c.alloc = b.alloc
		c.init(b.cap)
	}
}

func byteWidth(t catalog.Type) int {
	switch t.ID {
	case catalog.Boolean:
		return -1 // bitmap
	case catalog.Int, catalog.Date:
		return 4
	case catalog.BigInt, catalog.Double, catalog.Timestamp:
		return 8
	case catalog.Decimal:
		return 16
	case catalog.Varchar:
		return 0 // offsets + data
	}
	panic(fmt.Sprintf("colbuf: unsupported column type %s", t))
}
