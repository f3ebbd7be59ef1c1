package agg

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner"
)

// Acc is the state of one aggregate call for every group of an operator,
// in arrays indexed by group id.
type Acc interface {
	// Grow makes group ids [0, n) valid; groups it adds are empty.
	Grow(n int)
	// Update folds the rows of arg into their groups: row i goes to group
	// gids[i] with weight signs[i] (+1 add, -1 retract, 0 skip). Rows with
	// a non-zero weight are never NULL. arg is nil for COUNT(*). Update
	// borrows arg: it keeps no reference to its memory.
	Update(arg arrow.Array, gids []int32, signs []int8)
	// Append appends the result of each group of gs to b, a builder of the
	// call's result type.
	Append(gs []int32, b array.Builder)
	// Reset empties group g so that its id can be reused.
	Reset(g int32)
	// Bytes estimates the heap bytes of the state.
	Bytes() int64
}

// Spec describes one aggregate call.
type Spec struct {
	Func     planner.AggFunc
	Distinct bool
	Arg      catalog.Type // the argument's type; ignored for COUNT(*)
	Result   catalog.Type // the result type (planner.AggCall.T)
	// AppendOnly declares that Update never sees a negative weight: MIN
	// and MAX then keep only each group's extreme (negative weights are
	// skipped, so the caller must reject retractions itself).
	AppendOnly bool
}

// New returns an empty accumulator for s, or an error when the function
// does not apply to the argument type.
func New(s Spec) (Acc, error) {
	inner, err := newPlain(s)
	if err != nil {
		return nil, err
	}
	switch {
	case !s.Distinct, s.Func == planner.AggCountStar, s.Func == planner.AggMin, s.Func == planner.AggMax:
		// MIN(DISTINCT x) = MIN(x).
		return inner, nil
	}
	if _, err := codecFor(s.Arg); err != nil {
		return nil, fmt.Errorf("%s(DISTINCT %s): %w", s.Func, s.Arg, err)
	}
	if d, ok := newDistinctFixed(inner, s.Arg); ok {
		return d, nil
	}
	return newDistinct(inner, s.Arg), nil
}

func newPlain(s Spec) (Acc, error) {
	switch s.Func {
	case planner.AggCountStar, planner.AggCount:
		return &count{}, nil
	case planner.AggSum:
		return newSum(s)
	case planner.AggAvg:
		return newAvg(s)
	case planner.AggMin, planner.AggMax:
		if a, ok := newMinMaxFixed(s); ok {
			return a, nil
		}
		if a, ok := newMinMaxDecimal(s); ok {
			return a, nil
		}
		c, err := codecFor(s.Arg)
		if err != nil {
			return nil, fmt.Errorf("%s(%s): %w", s.Func, s.Arg, err)
		}
		return &minMax{codec: c, max: s.Func == planner.AggMax}, nil
	}
	return nil, fmt.Errorf("unknown aggregate function %s", s.Func)
}

func newSum(s Spec) (Acc, error) {
	switch s.Arg.ID {
	case catalog.Int, catalog.BigInt:
		return &sumInt{}, nil
	case catalog.Decimal:
		return &sumDecimal{}, nil
	case catalog.Double:
		return &sumDouble{}, nil
	}
	return nil, fmt.Errorf("sum(%s): want a number", s.Arg)
}

func newAvg(s Spec) (Acc, error) {
	switch s.Arg.ID {
	case catalog.Int, catalog.BigInt:
		return &avgInt{}, nil
	case catalog.Decimal:
		if s.Result.ID != catalog.Decimal || s.Result.Scale < s.Arg.Scale {
			return nil, fmt.Errorf("avg(%s): result type %s, want DECIMAL(38,%d)", s.Arg, s.Result, min(s.Arg.Scale+4, 38))
		}
		return &avgDecimal{up: s.Result.Scale - s.Arg.Scale}, nil
	case catalog.Double:
		return &avgDouble{}, nil
	}
	return nil, fmt.Errorf("avg(%s): want a number", s.Arg)
}

// grow extends a state slice to n zero entries.
func grow[T any](s []T, n int) []T {
	if n <= len(s) {
		return s
	}
	if n <= cap(s) {
		old := len(s)
		s = s[:n]
		clear(s[old:])
		return s
	}
	return append(s, make([]T, n-len(s))...)
}
