package exec_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/cockroachdb/datadriven"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
)

func init() { builders["lookupjoin"] = buildLookupJoinGolden }

// memLookup is an in-memory LookupTable over rows given as changelog text
// (every row +I). It counts calls and looked-up keys, and returns matches
// in key-row order.
type memLookup struct {
	rows    arrow.RecordBatch
	keyCols []int
	index   map[string][]int32
	mem     memory.Allocator

	calls, keys int
	lastKeys    []string // rendered keys of the last call
	closed      bool
}

var _ exec.LookupTable = (*memLookup)(nil)

func newMemLookup(schema catalog.Schema, rows string, keyCols []int, mem memory.Allocator) (*memLookup, error) {
	b, err := exectest.ParseBatch(schema, rows, memory.DefaultAllocator)
	if err != nil {
		return nil, err
	}
	m := &memLookup{rows: b.Rec, keyCols: keyCols, index: map[string][]int32{}, mem: mem}
	cols := make([]arrow.Array, len(keyCols))
	for i, k := range keyCols {
		cols[i] = b.Rec.Column(k)
	}
	for r := range int(b.Rec.NumRows()) {
		if k, ok := memKey(cols, r); ok {
			m.index[k] = append(m.index[k], int32(r))
		}
	}
	return m, nil
}

// memKey renders row r of cols as a map key; false when a value is NULL.
func memKey(cols []arrow.Array, r int) (string, bool) {
	parts := make([]string, len(cols))
	for i, c := range cols {
		if c.IsNull(r) {
			return "", false
		}
		parts[i] = exectest.FormatValue(c, r)
	}
	return strings.Join(parts, "\x00"), true
}

func (m *memLookup) Lookup(_ context.Context, keys arrow.RecordBatch) (arrow.RecordBatch, []int32, error) {
	if m.closed {
		return nil, nil, fmt.Errorf("memLookup: closed")
	}
	m.calls++
	m.keys += int(keys.NumRows())
	m.lastKeys = m.lastKeys[:0]
	var idx, keyRow []int32
	for r := range int(keys.NumRows()) {
		k, ok := memKey(keys.Columns(), r)
		m.lastKeys = append(m.lastKeys, strings.ReplaceAll(k, "\x00", "|"))
		if !ok {
			continue
		}
		for _, i := range m.index[k] {
			idx = append(idx, i)
			keyRow = append(keyRow, int32(r))
		}
	}
	out, err := exec.TakeRows(exec.Batch{Rec: m.rows}, idx, m.mem)
	return out.Rec, keyRow, err
}

func (m *memLookup) Close() error {
	if !m.closed {
		m.closed = true
		m.rows.Release()
	}
	return nil
}

// buildLookupJoinGolden:
//
//	lookupjoin table=(name:type, ...) on=(input_col=table_col, ...)
//	  [type=left] [where=(<residual over input ++ table columns>)] [cache=<max keys>]
//	<table rows, one `+I v1 v2 ...` per line>
func buildLookupJoinGolden(h *exectest.Harness, d *datadriven.TestData, in catalog.Schema, out exec.Stream) (exec.Stream, error) {
	var tschema catalog.Schema
	for _, a := range d.CmdArgs {
		if a.Key == "table" {
			s, err := exectest.ParseSchema(a.Vals)
			if err != nil {
				return nil, err
			}
			tschema = s
		}
	}
	on, _ := exectest.Arg(d, "on")
	ikeys, tkeys, err := parseOn(on, in, tschema)
	if err != nil {
		return nil, err
	}
	var table exec.LookupTable
	if table, err = newMemLookup(tschema, d.Input, tkeys, h.Mem); err != nil {
		return nil, err
	}
	if v, ok := exectest.Arg(d, "cache"); ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("cache=%s: %w", v, err)
		}
		table = exec.NewCachedLookup(table, n, 0, nil)
	}
	joined := catalog.Schema{Columns: append(append([]catalog.Column(nil), in.Columns...), tschema.Columns...)}
	cfg := exec.LookupJoinConfig{Table: table, Name: "dim", InputKeys: ikeys, Schema: joined.Arrow(), InputWidth: in.Len()}
	if t, _ := exectest.Arg(d, "type"); t == "left" {
		cfg.Left = true
	}
	if where, ok := exectest.Arg(d, "where"); ok {
		p, err := exectest.CompilePredicate(joined, where, h.Now)
		if err != nil {
			return nil, err
		}
		cfg.Residual = p
	}
	return exec.NewLookupJoin(cfg, out, h.Mem)
}

// parseOn parses "a=x, b=y" into input and table column indexes.
func parseOn(on string, in, table catalog.Schema) (ikeys, tkeys []int, err error) {
	for _, pair := range strings.Split(on, ",") {
		l, r, ok := strings.Cut(strings.TrimSpace(pair), "=")
		i, t := in.Index(strings.TrimSpace(l)), table.Index(strings.TrimSpace(r))
		if !ok || i < 0 || t < 0 {
			return nil, nil, fmt.Errorf("on: bad pair %q (want input_col=table_col)", pair)
		}
		ikeys, tkeys = append(ikeys, i), append(tkeys, t)
	}
	return ikeys, tkeys, nil
}
