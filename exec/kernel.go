package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Evaluator is a compiled scalar expression evaluated over a whole record
// batch. exec/expr's kernels implement it; operators depend only on this
// method so they can be tested with hand-written evaluators.
type Evaluator interface {
	// Eval returns one value per row of rec. The caller releases the
	// result. rec is borrowed.
	Eval(rec arrow.RecordBatch, mem memory.Allocator) (arrow.Array, error)
}

// Selector is a compiled condition (exec/expr's Predicate implements it).
type Selector interface {
	// Select returns, ascending, the rows of rec where the condition is
	// TRUE, appended to dst[:0].
	Select(rec arrow.RecordBatch, mem memory.Allocator, dst []int32) ([]int32, error)
}

// BoolSelector adapts an Evaluator of a BOOLEAN expression to a Selector.
func BoolSelector(e Evaluator) Selector { return boolSelector{e} }

type boolSelector struct{ e Evaluator }

func (s boolSelector) Select(rec arrow.RecordBatch, mem memory.Allocator, dst []int32) ([]int32, error) {
	res, err := s.e.Eval(rec, mem)
	if err != nil {
		return nil, err
	}
	defer res.Release()
	mask, ok := res.(*array.Boolean)
	if !ok {
		return nil, fmt.Errorf("condition returned %s, want boolean", res.DataType())
	}
	if mask.Len() != int(rec.NumRows()) {
		return nil, fmt.Errorf("condition returned %d values for %d rows", mask.Len(), rec.NumRows())
	}
	return selectTrue(mask, dst[:0]), nil
}
