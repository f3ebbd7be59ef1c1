package file

import (
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// parquetWriter writes one sorted record per file as Parquet: row groups of
// at most RowGroupRows rows, column statistics (min/max, null count) in
// every row group so readers skip the row groups a filter on the sort key
// excludes, and the sort order in the row groups' sorting_columns.
type parquetWriter struct {
	props   *parquet.WriterProperties
	arrowPr pqarrow.ArrowWriterProperties
}

// newParquetWriter prepares the writer properties of cfg; sortBy are the
// sort columns' indexes in the files' schema.
func newParquetWriter(cfg Config, sortBy []int, mem memory.Allocator) *parquetWriter {
	sorting := make([]parquet.SortingColumn, len(sortBy))
	for k, c := range sortBy {
		sorting[k] = parquet.SortingColumn{ColumnIdx: int32(c), NullsFirst: true}
	}
	opts := []parquet.WriterProperty{
		parquet.WithAllocator(mem),
		parquet.WithCompression(cfg.Compression),
		parquet.WithMaxRowGroupLength(cfg.RowGroupRows),
		parquet.WithStats(true),
		parquet.WithCreatedBy("sqlstream"),
	}
	if len(sorting) > 0 {
		opts = append(opts, parquet.WithSortingColumns(sorting))
	}
	return &parquetWriter{
		props:   parquet.NewWriterProperties(opts...),
		arrowPr: pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(mem), pqarrow.WithStoreSchema()),
	}
}

// write writes rec as a whole Parquet file to w.
func (p *parquetWriter) write(w io.Writer, rec arrow.RecordBatch) error {
	fw, err := pqarrow.NewFileWriter(rec.Schema(), w, p.props, p.arrowPr)
	if err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return fmt.Errorf("parquet: %w", err)
	}
	if err := fw.Close(); err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	return nil
}
