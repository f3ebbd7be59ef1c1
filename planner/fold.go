package planner

import (
	"fmt"
	"math"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// foldConstant evaluates the constant expressions INSERT ... VALUES
// accepts: literals, negated numbers and CASTs of those.
func foldConstant(e scalar.Expr) (*scalar.Literal, error) {
	switch e := e.(type) {
	case *scalar.Literal:
		return e, nil
	case *scalar.Cast:
		lit, err := foldConstant(e.Arg)
		if err != nil {
			return nil, err
		}
		return coerceLiteral(lit, e.T)
	case *scalar.Call:
		if e.Func == scalar.FuncNeg && len(e.Args) == 1 {
			lit, err := foldConstant(e.Args[0])
			if err != nil {
				return nil, err
			}
			return negate(lit)
		}
	}
	return nil, fmt.Errorf("VALUES must be constants, not %s", exprString(e))
}

// negate returns -lit for a numeric literal.
func negate(lit *scalar.Literal) (*scalar.Literal, error) {
	switch v := lit.Value.(type) {
	case nil:
		return lit, nil
	case int64:
		if v == math.MinInt64 {
			return nil, fmt.Errorf("-(%d) overflows BIGINT", v)
		}
		return &scalar.Literal{Value: -v, T: lit.T}, nil
	case float64:
		return &scalar.Literal{Value: -v, T: lit.T}, nil
	}
	if n, ok := decimalValue(lit); ok {
		return &scalar.Literal{Value: n.Negate(), T: lit.T}, nil
	}
	return nil, fmt.Errorf("cannot negate %s", lit.T)
}

// typeMismatch is the error for a value that cannot become type t.
func typeMismatch(from, to catalog.Type) error {
	return fmt.Errorf("type mismatch: cannot use %s as %s", from, to)
}
