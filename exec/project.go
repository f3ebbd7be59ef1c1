package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// ProjectColumn is one output column of a Project: either an input column
// passed through (Input >= 0; the input array is shared, not copied) or a
// computed expression (Input < 0, Eval set).
type ProjectColumn struct {
	Input int
	Eval  Evaluator
}

// PassColumn returns a ProjectColumn that passes input column i through.
func PassColumn(i int) ProjectColumn { return ProjectColumn{Input: i} }

// ComputedColumn returns a ProjectColumn computed by e.
func ComputedColumn(e Evaluator) ProjectColumn { return ProjectColumn{Input: -1, Eval: e} }

// Project computes its output columns over each batch and pushes a new
// batch of its output schema. Ops pass through unchanged, so Project works
// on any changelog. Empty batches are dropped.
type Project struct {
	schema *arrow.Schema
	cols   []ProjectColumn
	out    Stream
	mem    memory.Allocator
	arrs   []arrow.Array // reused per batch
}

var _ Operator = (*Project)(nil)

// NewProject returns a projection to schema (one field per column). Every
// computed column must produce exactly the Arrow type of its field.
func NewProject(schema *arrow.Schema, cols []ProjectColumn, out Stream, mem memory.Allocator) (*Project, error) {
	if schema.NumFields() != len(cols) {
		return nil, fmt.Errorf("project: %d columns for a schema of %d fields", len(cols), schema.NumFields())
	}
	for i, c := range cols {
		if c.Input < 0 && c.Eval == nil {
			return nil, fmt.Errorf("project: column %s has neither an input nor an expression", schema.Field(i).Name)
		}
	}
	return &Project{schema: schema, cols: cols, out: out, mem: mem, arrs: make([]arrow.Array, len(cols))}, nil
}

// Name implements Operator.
func (p *Project) Name() string { return "project" }

// Schema is the output schema.
func (p *Project) Schema() *arrow.Schema { return p.schema }

// Push implements Stream.
func (p *Project) Push(b Batch) error {
	n := b.NumRows()
	if n == 0 {
		return nil
	}
	defer p.releaseArrays()
	for i, c := range p.cols {
		a, err := p.column(b.Rec, i, c)
		if err != nil {
			return err
		}
		p.arrs[i] = a
	}
	rec := array.NewRecordBatch(p.schema, p.arrs, int64(n))
	defer rec.Release()
	return p.out.Push(Batch{Rec: rec, Ops: b.Ops})
}

// column returns output column i, retained, checked against the schema.
func (p *Project) column(rec arrow.RecordBatch, i int, c ProjectColumn) (arrow.Array, error) {
	f := p.schema.Field(i)
	var a arrow.Array
	if c.Input >= 0 {
		if c.Input >= int(rec.NumCols()) {
			return nil, fmt.Errorf("project: column %s reads input column %d of %d", f.Name, c.Input, rec.NumCols())
		}
		a = rec.Column(c.Input)
		a.Retain()
	} else {
		var err error
		if a, err = c.Eval.Eval(rec, p.mem); err != nil {
			return nil, fmt.Errorf("project: column %s: %w", f.Name, err)
		}
	}
	if !arrow.TypeEqual(a.DataType(), f.Type) || a.Len() != int(rec.NumRows()) {
		err := fmt.Errorf("project: column %s: got %d values of %s, want %d of %s",
			f.Name, a.Len(), a.DataType(), rec.NumRows(), f.Type)
		a.Release()
		return nil, err
	}
	return a, nil
}

func (p *Project) releaseArrays() {
	for i, a := range p.arrs {
		if a != nil {
			a.Release()
			p.arrs[i] = nil
		}
	}
}

// Watermark implements Stream.
func (p *Project) Watermark(t int64) error { return p.out.Watermark(t) }

// Barrier implements Stream.
func (p *Project) Barrier(epoch uint64) error { return p.out.Barrier(epoch) }

// Close implements Stream.
func (p *Project) Close() error { return p.out.Close() }
