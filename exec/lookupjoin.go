package exec

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// LookupJoinConfig configures a LookupJoin.
type LookupJoinConfig struct {
	// Ctx is passed to every lookup (nil: context.Background()).
	Ctx context.Context
	// Table answers the lookups; the operator owns it and closes it.
	Table LookupTable
	// Name names the table in errors and EXPLAIN.
	Name string
	// Left keeps input rows without a (surviving) match, NULL-padded.
	Left bool
	// InputKeys are the input columns looked up, in the table's key order.
	InputKeys []int
	// Residual, over the output columns (input ++ table), must be TRUE
	// for a match to count; nil when the ON clause is only equalities.
	Residual Selector
	// Schema is the output schema: the input columns, then the table's.
	Schema *arrow.Schema
	// InputWidth is the number of input columns.
	InputWidth int
	// Retry, when set, retries lookups that fail transiently (a database
	// that went away); nil fails at once.
	Retry RetryFunc
}

// LookupJoin joins each input row with the table rows of its key, looked
// up once per batch. Ops pass through: every output row carries its input
// row's op, so a -D input row retracts the rows its +I produced (provided
// the table did not change in between: as in Flink, later table changes do
// not revise earlier results). It keeps no state of its own; the lookup
// table may cache.
type LookupJoin struct {
	cfg      LookupJoinConfig
	keys     *arrow.Schema // positional schema of the key batch
	out      Stream
	mem      memory.Allocator
	inIdx    []int32 // per output row: input row
	tabIdx   []int32 // per output row: table row, -1 for NULL padding
	perm     []int32
	start    []int32
	selected []int32
}

var (
	_ Operator      = (*LookupJoin)(nil)
	_ StateReporter = (*LookupJoin)(nil)
)

// NewLookupJoin returns a lookup join emitting to out.
func NewLookupJoin(cfg LookupJoinConfig, out Stream, mem memory.Allocator) (*LookupJoin, error) {
	if cfg.Ctx == nil {
		cfg.Ctx = context.Background()
	}
	if cfg.InputWidth < 0 || cfg.InputWidth > cfg.Schema.NumFields() {
		return nil, fmt.Errorf("lookup join %s: input width %d of %d output columns", cfg.Name, cfg.InputWidth, cfg.Schema.NumFields())
	}
	if len(cfg.InputKeys) == 0 {
		return nil, fmt.Errorf("lookup join %s: no key columns", cfg.Name)
	}
	fields := make([]arrow.Field, len(cfg.InputKeys))
	for i, k := range cfg.InputKeys {
		if k < 0 || k >= cfg.InputWidth {
			return nil, fmt.Errorf("lookup join %s: key column %d out of range", cfg.Name, k)
		}
		fields[i] = arrow.Field{Name: fmt.Sprintf("c%d", i), Type: cfg.Schema.Field(k).Type, Nullable: true}
	}
	return &LookupJoin{cfg: cfg, keys: arrow.NewSchema(fields, nil), out: out, mem: mem}, nil
}

// Name implements Operator.
func (j *LookupJoin) Name() string { return "lookup-join " + j.cfg.Name }

// Push implements Stream.
func (j *LookupJoin) Push(b Batch) error {
	n := b.NumRows()
	if n == 0 {
		return nil
	}
	rows, keyRow, err := j.lookup(b.Rec)
	if err != nil {
		return err
	}
	defer rows.Release()
	if err := j.match(rows, keyRow, n); err != nil {
		return err
	}
	if j.cfg.Residual != nil && len(j.inIdx) > 0 {
		if err := j.applyResidual(b, rows); err != nil {
			return fmt.Errorf("lookup join %s: residual: %w", j.cfg.Name, err)
		}
	}
	if j.cfg.Left {
		j.padUnmatched(n)
	}
	if len(j.inIdx) == 0 {
		return nil
	}
	res, err := j.build(b, rows)
	if err != nil {
		return fmt.Errorf("lookup join %s: %w", j.cfg.Name, err)
	}
	defer res.Release()
	return j.out.Push(res)
}

// lookup looks the key columns of rec up and checks the answer's shape.
func (j *LookupJoin) lookup(rec arrow.RecordBatch) (arrow.RecordBatch, []int32, error) {
	cols := make([]arrow.Array, len(j.cfg.InputKeys))
	for i, k := range j.cfg.InputKeys {
		cols[i] = rec.Column(k)
	}
	keys := array.NewRecordBatch(j.keys, cols, rec.NumRows())
	defer keys.Release()
	var rows arrow.RecordBatch
	var keyRow []int32
	call := func(ctx context.Context) error {
		var err error
		rows, keyRow, err = j.cfg.Table.Lookup(ctx, keys)
		return err
	}
	var err error
	if j.cfg.Retry != nil {
		err = j.cfg.Retry(j.cfg.Ctx, "lookup join "+j.cfg.Name, call)
	} else {
		err = call(j.cfg.Ctx)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("lookup join %s: %w", j.cfg.Name, err)
	}
	if err := j.checkRows(rows, keyRow); err != nil {
		rows.Release()
		return nil, nil, fmt.Errorf("lookup join %s: %w", j.cfg.Name, err)
	}
	return rows, keyRow, nil
}

func (j *LookupJoin) checkRows(rows arrow.RecordBatch, keyRow []int32) error {
	want := j.cfg.Schema.NumFields() - j.cfg.InputWidth
	if int(rows.NumCols()) != want {
		return fmt.Errorf("lookup returned %d columns, want %d", rows.NumCols(), want)
	}
	if len(keyRow) != int(rows.NumRows()) {
		return fmt.Errorf("lookup returned %d key rows for %d rows", len(keyRow), rows.NumRows())
	}
	for i, c := range rows.Columns() {
		f := j.cfg.Schema.Field(j.cfg.InputWidth + i)
		if !arrow.TypeEqual(c.DataType(), f.Type) {
			return fmt.Errorf("lookup returned column %s as %s, want %s", f.Name, c.DataType(), f.Type)
		}
	}
	return nil
}

// match lists the (input row, table row) pairs in input-row order.
func (j *LookupJoin) match(rows arrow.RecordBatch, keyRow []int32, n int) error {
	j.start = lookupResize(j.start, n+1)
	clear(j.start)
	for _, k := range keyRow {
		if k < 0 || int(k) >= n {
			return fmt.Errorf("lookup join %s: lookup returned key row %d of %d", j.cfg.Name, k, n)
		}
		j.start[k+1]++
	}
	for i := range n {
		j.start[i+1] += j.start[i]
	}
	j.perm = lookupResize(j.perm, len(keyRow))
	for r, k := range keyRow {
		j.perm[j.start[k]] = int32(r)
		j.start[k]++
	}
	// start[i] is now the end of row i's matches: rebuild the pairs.
	j.inIdx, j.tabIdx = j.inIdx[:0], j.tabIdx[:0]
	p := int32(0)
	for i := range n {
		for ; p < j.start[i]; p++ {
			j.inIdx = append(j.inIdx, int32(i))
			j.tabIdx = append(j.tabIdx, j.perm[p])
		}
	}
	return nil
}

// applyResidual keeps the pairs whose joined row satisfies the residual.
func (j *LookupJoin) applyResidual(b Batch, rows arrow.RecordBatch) error {
	cand, err := j.build(Batch{Rec: b.Rec}, rows)
	if err != nil {
		return err
	}
	defer cand.Release()
	j.selected, err = j.cfg.Residual.Select(cand.Rec, j.mem, j.selected)
	if err != nil {
		return err
	}
	for o, s := range j.selected {
		j.inIdx[o], j.tabIdx[o] = j.inIdx[s], j.tabIdx[s]
	}
	j.inIdx, j.tabIdx = j.inIdx[:len(j.selected)], j.tabIdx[:len(j.selected)]
	return nil
}

// padUnmatched adds a NULL-padded pair (table row -1) for every input row
// without a pair, keeping input-row order.
func (j *LookupJoin) padUnmatched(n int) {
	if len(j.inIdx) == n && lookupIsIdentity(j.inIdx, n) {
		return
	}
	in, tab := j.inIdx, j.tabIdx
	j.perm = append(j.perm[:0], in...) // reuse perm and start as scratch copies
	j.start = append(j.start[:0], tab...)
	in, tab = j.perm, j.start
	j.inIdx, j.tabIdx = j.inIdx[:0], j.tabIdx[:0]
	p := 0
	for i := range n {
		if p >= len(in) || in[p] != int32(i) {
			j.inIdx = append(j.inIdx, int32(i))
			j.tabIdx = append(j.tabIdx, -1)
			continue
		}
		for ; p < len(in) && in[p] == int32(i); p++ {
			j.inIdx = append(j.inIdx, in[p])
			j.tabIdx = append(j.tabIdx, tab[p])
		}
	}
}

// Watermark implements Stream.
func (j *LookupJoin) Watermark(t int64) error { return j.out.Watermark(t) }

// Barrier implements Stream.
func (j *LookupJoin) Barrier(epoch uint64) error { return j.out.Barrier(epoch) }

// Close implements Stream: it closes the lookup table, then out.
func (j *LookupJoin) Close() error {
	err := j.cfg.Table.Close()
	if oerr := j.out.Close(); err == nil {
		err = oerr
	} else if oerr == nil {
		err = fmt.Errorf("lookup join %s: close table: %w", j.cfg.Name, err)
	}
	return err
}

// StateSize implements StateReporter with the lookup cache's size.
func (j *LookupJoin) StateSize() (rows, bytes int64) {
	if r, ok := j.cfg.Table.(StateReporter); ok {
		return r.StateSize()
	}
	return 0, 0
}
