package file

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

func init() {
	exec.RegisterSink("file", open)
	exec.RegisterSinkChecker("file", check)
}

// open is the registry's factory of file sinks. A changelog input is an
// error here, before any file is written.
func open(_ context.Context, def *catalog.Sink, env exec.SinkEnv) (exec.Sink, error) {
	cfg, err := checkedConfig(def, env)
	if err != nil {
		return nil, err
	}
	return New(cfg, env.Alloc)
}

// check validates def's options and its input's changelog mode without
// touching the file system (exec.SinkChecker).
func check(def *catalog.Sink, env exec.SinkEnv) error {
	_, err := checkedConfig(def, env)
	return err
}

func checkedConfig(def *catalog.Sink, env exec.SinkEnv) (Config, error) {
	if err := CheckAppendOnly(def.Name, env.Changelog); err != nil {
		return Config{}, err
	}
	cfg, err := ParseConfig(def, env.BaseDir)
	if err != nil {
		return Config{}, fmt.Errorf("sink %s: %w", def.Name, err)
	}
	return cfg, nil
}

// Sink writes an append-only stream into files under one directory, one
// delivery per checkpoint epoch (see the package doc). It implements
// exec.EpochSink; used as a plain exec.Sink (no checkpoint store), it
// buffers each epoch's batches and delivers them at the epoch's barrier.
type Sink struct {
	cfg     Config
	mem     memory.Allocator
	dataIdx []int         // input columns written into the files
	schema  *arrow.Schema // the files' schema (dataIdx's fields)
	parts   partitioner
	pq      *parquetWriter

	last uint64 // last epoch delivered (the marker's)

	// Push/Barrier mode, without a checkpoint store.
	base    uint64           // LastDelivered when opened: barrier epochs count from it
	barrier uint64           // last barrier epoch seen
	pending exec.EpochBuffer // batches since the last barrier, kept
	closed  bool
}

var _ exec.EpochSink = (*Sink)(nil)

// New opens a sink on cfg: it creates the directory, removes what an
// interrupted delivery left (temporary files, files of epochs the marker
// does not record) and reads the last delivered epoch. mem allocates the
// sorted copies of the rows (memory.DefaultAllocator when nil).
func New(cfg Config, mem memory.Allocator) (*Sink, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	s := &Sink{cfg: cfg, mem: mem}
	var fields []arrow.Field
	for i, f := range cfg.Schema.Fields() {
		if !slices.Contains(cfg.PartitionBy, i) {
			s.dataIdx = append(s.dataIdx, i)
			fields = append(fields, f)
		}
	}
	for _, c := range cfg.PartitionBy {
		s.parts.cols = append(s.parts.cols, c)
		s.parts.names = append(s.parts.names, cfg.Schema.Field(c).Name)
	}
	s.schema = arrow.NewSchema(fields, nil)
	if cfg.Format == Parquet {
		sortBy := make([]int, len(cfg.SortBy))
		for k, c := range cfg.SortBy {
			sortBy[k] = slices.Index(s.dataIdx, c)
		}
		s.pq = newParquetWriter(cfg, sortBy, mem)
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, s.errorf("create the directory: %w", err)
	}
	last, err := readMarker(cfg.Dir)
	if err != nil {
		return nil, s.errorf("%w", err)
	}
	if _, err := cleanup(cfg.Dir, last); err != nil {
		return nil, s.errorf("%w", err)
	}
	s.last, s.base = last, last
	return s, nil
}

func (s *Sink) errorf(format string, args ...any) error {
	return fmt.Errorf("file sink at %s: %w", s.cfg.Dir, fmt.Errorf(format, args...))
}

// LastDelivered reads the last delivered epoch from the marker (0 when
// none).
func (s *Sink) LastDelivered(context.Context) (uint64, error) {
	e, err := readMarker(s.cfg.Dir)
	if err != nil {
		return 0, s.errorf("%w", err)
	}
	return e, nil
}

// Deliver writes the epoch's rows: per partition directory one file
// part-<epoch>-<n>.<ext>, its rows sorted by 'sort.by', written under a
// temporary name, synced and renamed into place; then the marker records
// the epoch. An epoch with no rows only moves the marker. Deliver borrows
// the batches. A batch with a row other than +I is an error: files cannot
// apply updates or deletes.
func (s *Sink) Deliver(ctx context.Context, epoch uint64, batches []exec.Batch) error {
	if s.closed {
		return s.errorf("deliver epoch %d after Close", epoch)
	}
	if epoch <= s.last {
		return s.errorf("epoch %d is already delivered: the directory holds epochs up to %d (a previous run's files? delete them or choose another path)", epoch, s.last)
	}
	cols, n, err := s.concat(epoch, batches)
	if err != nil {
		return err
	}
	defer releaseAll(cols)
	var files []string
	if n > 0 {
		if files, err = s.writeEpoch(ctx, epoch, cols, n); err != nil {
			return err
		}
	}
	if err := writeMarker(s.cfg.Dir, epoch, files); err != nil {
		return s.errorf("epoch %d: %w", epoch, err)
	}
	s.last = epoch
	return nil
}

// concat checks the batches and concatenates their columns.
func (s *Sink) concat(epoch uint64, batches []exec.Batch) ([]arrow.Array, int, error) {
	var chunks [][]arrow.Array
	n := 0
	for _, b := range batches {
		if b.NumRows() == 0 {
			continue
		}
		if err := s.checkBatch(b); err != nil {
			return nil, 0, s.errorf("epoch %d: %w", epoch, err)
		}
		chunks = append(chunks, b.Rec.Columns())
		n += b.NumRows()
	}
	cols := make([]arrow.Array, s.cfg.Schema.NumFields())
	if n == 0 {
		return nil, 0, nil
	}
	for j := range cols {
		if len(chunks) == 1 {
			cols[j] = chunks[0][j]
			cols[j].Retain()
			continue
		}
		parts := make([]arrow.Array, len(chunks))
		for k, c := range chunks {
			parts[k] = c[j]
		}
		c, err := array.Concatenate(parts, s.mem)
		if err != nil {
			releaseAll(cols)
			return nil, 0, s.errorf("epoch %d: column %s: %w", epoch, s.cfg.Schema.Field(j).Name, err)
		}
		cols[j] = c
	}
	return cols, n, nil
}

// checkBatch rejects changelog rows and batches of another schema.
func (s *Sink) checkBatch(b exec.Batch) error {
	if !b.AppendOnly() {
		for i := range b.NumRows() {
			if op := b.Op(i); op != exec.Insert {
				return fmt.Errorf("a file sink writes append-only data; its input has a %s row (an update or delete of an earlier row, which files cannot apply): sink an append-only view, or use a sink that takes changelogs", op)
			}
		}
	}
	if int(b.Rec.NumCols()) != s.cfg.Schema.NumFields() {
		return fmt.Errorf("batch has %d columns, the sink's input has %d", b.Rec.NumCols(), s.cfg.Schema.NumFields())
	}
	for j, f := range s.cfg.Schema.Fields() {
		if got := b.Rec.Column(j).DataType(); !arrow.TypeEqual(got, f.Type) {
			return fmt.Errorf("column %s is %s in the batch, %s in the sink's schema", f.Name, got, f.Type)
		}
	}
	return nil
}

// writeEpoch writes the files of one epoch and returns their paths
// relative to the root.
func (s *Sink) writeEpoch(ctx context.Context, epoch uint64, cols []arrow.Array, n int) ([]string, error) {
	parts := s.parts.split(cols, n)
	files := make([]string, 0, len(parts))
	tmps := make([]string, 0, len(parts))
	defer func() {
		for _, t := range tmps {
			os.Remove(t)
		}
	}()
	for k, pt := range parts {
		if err := ctx.Err(); err != nil {
			return nil, s.errorf("epoch %d: %w", epoch, err)
		}
		if err := sortRows(pt.rows, cols, s.cfg.SortBy); err != nil {
			return nil, s.errorf("epoch %d: %w", epoch, err)
		}
		rel := filepath.Join(filepath.FromSlash(pt.dir), partName(epoch, k, s.cfg.Format))
		dir := filepath.Join(s.cfg.Dir, filepath.Dir(rel))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, s.errorf("epoch %d: %w", epoch, err)
		}
		tmp := filepath.Join(dir, tmpPrefix+filepath.Base(rel)+tmpSuffix)
		tmps = append(tmps, tmp)
		if err := s.writeFile(tmp, cols, pt.rows); err != nil {
			return nil, s.errorf("epoch %d: write %s: %w", epoch, rel, err)
		}
		files = append(files, filepath.ToSlash(rel))
	}
	for k, rel := range files {
		if err := os.Rename(tmps[k], filepath.Join(s.cfg.Dir, filepath.FromSlash(rel))); err != nil {
			return nil, s.errorf("epoch %d: %w", epoch, err)
		}
	}
	tmps = nil
	if err := syncDirs(s.cfg.Dir, files); err != nil {
		return nil, s.errorf("epoch %d: %w", epoch, err)
	}
	return files, nil
}

// writeFile gathers rows of the data columns in order and writes them as
// one file at path, synced.
func (s *Sink) writeFile(path string, cols []arrow.Array, rows []int32) error {
	data := make([]arrow.Array, len(s.dataIdx))
	defer releaseAll(data)
	for k, c := range s.dataIdx {
		a, err := exec.TakeArray(cols[c], rows, s.mem)
		if err != nil {
			return fmt.Errorf("column %s: %w", s.schema.Field(k).Name, err)
		}
		data[k] = a
	}
	rec := array.NewRecordBatch(s.schema, data, int64(len(rows)))
	defer rec.Release()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	var w io.Writer = bw
	if s.cfg.Format == CSV {
		err = writeCSV(bw, rec)
	} else {
		err = s.pq.write(w, rec)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func releaseAll(as []arrow.Array) {
	for _, a := range as {
		if a != nil {
			a.Release()
		}
	}
}

// Push keeps b for the next barrier's delivery. A changelog row is an
// error at once.
func (s *Sink) Push(b exec.Batch) error {
	if s.closed {
		return s.errorf("push after Close")
	}
	if b.NumRows() == 0 {
		return nil
	}
	if err := s.checkBatch(b); err != nil {
		return s.errorf("%w", err)
	}
	s.pending.Add(b)
	return nil
}

// Watermark is ignored: files are written per epoch.
func (s *Sink) Watermark(int64) error { return nil }

// Barrier delivers the batches pushed since the previous barrier as
// epoch LastDelivered-at-open + epoch, so a run without a checkpoint store
// appends after the files of earlier runs. A barrier with no rows writes
// nothing.
func (s *Sink) Barrier(epoch uint64) error {
	s.barrier = epoch
	return s.flush(s.base + epoch)
}

// Close delivers what was pushed after the last barrier, as the next
// epoch.
func (s *Sink) Close() error {
	if s.closed {
		return nil
	}
	err := s.flush(s.base + s.barrier + 1)
	s.closed = true
	return err
}

func (s *Sink) flush(epoch uint64) error {
	return s.pending.Flush(func(batches []exec.Batch) error {
		return s.Deliver(context.Background(), max(epoch, s.last+1), batches)
	})
}
