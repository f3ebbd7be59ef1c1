package expr

import (
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// Kernel evaluates one compiled expression over whole record batches.
type Kernel interface {
	// Eval evaluates over every row of rec; the caller releases the result.
	Eval(rec arrow.RecordBatch, mem memory.Allocator) (arrow.Array, error)
	// Type is the SQL type of the result; the array has Type().Arrow().
	Type() catalog.Type
}

// Options are fixed for one compilation (one run of a plan).
type Options struct {
	// Now is the value of NOW(); time.Now() at Compile when zero.
	Now time.Time
}

// Compile compiles a bound expression into a kernel tree. Sub-trees whose
// inputs are all constants are folded into constants.
func Compile(e scalar.Expr, opts Options) (Kernel, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	c := &compiler{opts: opts}
	return c.compile(e)
}

type compiler struct {
	opts Options
}

func (c *compiler) compile(e scalar.Expr) (Kernel, error) {
	var k Kernel
	var err error
	switch e := e.(type) {
	case *scalar.ColRef:
		return &colKernel{idx: e.Index, t: e.T}, nil
	case *scalar.Literal:
		return &constKernel{v: e.Value, t: e.T}, nil
	case *scalar.Cast:
		k, err = c.compileCast(e)
	case *scalar.Case:
		k, err = c.compileCase(e)
	case *scalar.Call:
		k, err = c.compileCall(e)
	default:
		return nil, fmt.Errorf("expr: cannot compile %T", e)
	}
	if err != nil {
		return nil, err
	}
	return fold(k, e)
}

// compileArgs compiles every argument of a call.
func (c *compiler) compileArgs(args []scalar.Expr) ([]Kernel, error) {
	ks := make([]Kernel, len(args))
	for i, a := range args {
		k, err := c.compile(a)
		if err != nil {
			return nil, err
		}
		ks[i] = k
	}
	return ks, nil
}

// compileAs compiles e and casts it to t when its type differs.
func (c *compiler) compileAs(e scalar.Expr, t catalog.Type) (Kernel, error) {
	if e.Type().Equal(t) {
		return c.compile(e)
	}
	return c.compile(&scalar.Cast{Arg: e, T: t})
}

// fold replaces a kernel whose leaves are all constants by its value.
func fold(k Kernel, e scalar.Expr) (Kernel, error) {
	if _, ok := k.(*constKernel); ok || !allConst(e) {
		return k, nil
	}
	rec := array.NewRecordBatch(arrow.NewSchema(nil, nil), nil, 1)
	defer rec.Release()
	a, err := k.Eval(rec, memory.DefaultAllocator)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e, err)
	}
	defer a.Release()
	return &constKernel{v: valueAt(a, 0, k.Type()), t: k.Type()}, nil
}

func allConst(e scalar.Expr) bool {
	switch e := e.(type) {
	case *scalar.Literal:
		return true
	case *scalar.Cast:
		return allConst(e.Arg)
	case *scalar.Call:
		for _, a := range e.Args {
			if !allConst(a) {
				return false
			}
		}
		return true
	case *scalar.Case:
		if e.Operand != nil && !allConst(e.Operand) || e.Else != nil && !allConst(e.Else) {
			return false
		}
		for _, w := range e.Whens {
			if !allConst(w.Cond) || !allConst(w.Then) {
				return false
			}
		}
		return true
	}
	return false
}

// colKernel reads a column of the input batch.
type colKernel struct {
	idx int
	t   catalog.Type
}

func (k *colKernel) Type() catalog.Type { return k.t }
func (k *colKernel) Eval(rec arrow.RecordBatch, _ memory.Allocator) (arrow.Array, error) {
	if k.idx < 0 || k.idx >= int(rec.NumCols()) {
		return nil, fmt.Errorf("column %d out of range (batch has %d)", k.idx, rec.NumCols())
	}
	a := rec.Column(k.idx)
	a.Retain()
	return a, nil
}

// constKernel is a constant. Parents that can use a scalar operand check
// for it with asConst; Eval materializes it as an array of NumRows rows.
type constKernel struct {
	v any // nil for NULL; representation as scalar.Literal.Value
	t catalog.Type
}

func (k *constKernel) Type() catalog.Type { return k.t }
func (k *constKernel) Eval(rec arrow.RecordBatch, mem memory.Allocator) (arrow.Array, error) {
	return constArray(mem, k.v, k.t, int(rec.NumRows()))
}

// asConst returns the constant of k, if k is one.
func asConst(k Kernel) (*constKernel, bool) {
	c, ok := k.(*constKernel)
	return c, ok
}

// isNullConst reports a constant NULL.
func isNullConst(k Kernel) bool {
	c, ok := k.(*constKernel)
	return ok && c.v == nil
}

// nullArray returns an all-NULL array of type t.
func nullArray(mem memory.Allocator, t catalog.Type, n int) arrow.Array {
	return array.MakeArrayOfNull(mem, t.Arrow(), n)
}
