package scalar

import (
	"github.com/sqlstream/sqlstream/catalog"
)

// numberFuncs: ABS/ROUND/FLOOR/CEIL keep the argument's numeric family;
// MOD is the % operator.
func numberFuncs() map[string]funcBinder {
	ceil := funcBinder{minArgs: 1, maxArgs: 1, bind: func(c *fcall) (Expr, error) { return floorCeil(c, FuncCeil) }}
	return map[string]funcBinder{
		"abs":   {minArgs: 1, maxArgs: 1, bind: bindAbs},
		"round": {minArgs: 1, maxArgs: 2, bind: bindRound},
		"floor": {minArgs: 1, maxArgs: 1, bind: func(c *fcall) (Expr, error) { return floorCeil(c, FuncFloor) }},
		"ceil":  ceil, "ceiling": ceil,
		"mod": {minArgs: 2, maxArgs: 2, bind: func(c *fcall) (Expr, error) {
			return arith(c.n, FuncMod, c.args[0], c.args[1], c.nodes[0], c.nodes[1])
		}},
	}
}

// numArg checks that argument i is a number and returns it with NULL typed
// as BIGINT and BOOLEAN cast to BIGINT.
func (c *fcall) numArg(i int) (Expr, error) {
	a := c.args[i]
	switch t := a.Type(); {
	case t.IsNumeric():
		return a, nil
	case t.ID == catalog.Null || t.ID == catalog.Boolean:
		return coerce(a, i64, c.nodes[i])
	}
	return nil, errorf(c.nodes[i], "%s argument %d must be a number, got %s", c.name, i+1, a.Type())
}

// bindAbs: ABS(x) has the type of x.
func bindAbs(c *fcall) (Expr, error) {
	x, err := c.numArg(0)
	if err != nil {
		return nil, err
	}
	return &Call{Func: FuncAbs, Args: []Expr{x}, T: x.Type()}, nil
}

// floorCeil: integers and DOUBLE keep their type; DECIMAL(p,s) becomes
// DECIMAL(p-s+1, 0) (one more digit for the carry of CEIL(9.5)).
func floorCeil(c *fcall, f Func) (Expr, error) {
	x, err := c.numArg(0)
	if err != nil {
		return nil, err
	}
	t := x.Type()
	if t.ID == catalog.Decimal {
		t = capDecimal(t.Precision-t.Scale+1, 0)
	}
	return &Call{Func: f, Args: []Expr{x}, T: t}, nil
}

// bindRound: ROUND(x[, d]) rounds half away from zero. Integers and
// DOUBLE keep their type; DECIMAL(p,s) becomes DECIMAL(p-s+d'+1, d') with
// d' = clamp(d, 0, s) for a constant d (0 when absent) and s otherwise.
func bindRound(c *fcall) (Expr, error) {
	x, err := c.numArg(0)
	if err != nil {
		return nil, err
	}
	args := []Expr{x}
	d := int64(0)
	if len(c.args) == 2 {
		da, err := c.argAs(1, i64)
		if err != nil {
			return nil, err
		}
		args = append(args, da)
		d = roundDigits(da, x.Type())
	}
	t := x.Type()
	if t.ID == catalog.Decimal {
		s := int32(max(0, min(d, int64(t.Scale))))
		t = capDecimal(t.Precision-t.Scale+s+1, s)
	}
	return &Call{Func: FuncRound, Args: args, T: t}, nil
}

// roundDigits is the constant digit count of ROUND's second argument, or
// the decimal scale when it is not a constant.
func roundDigits(d Expr, x catalog.Type) int64 {
	if lit, ok := d.(*Literal); ok {
		if v, ok := lit.Value.(int64); ok {
			return v
		}
	}
	return int64(x.Scale)
}
