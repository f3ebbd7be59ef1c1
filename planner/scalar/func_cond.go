package scalar

// condFuncs: COALESCE/IFNULL/NULLIF/IF unify their value arguments to one
// type (types.go); IF's condition is BOOLEAN.
func condFuncs() map[string]funcBinder {
	unified := func(f Func, min, max int) funcBinder {
		return funcBinder{minArgs: min, maxArgs: max, bind: func(c *fcall) (Expr, error) {
			args, t, err := unifyAll(c.n, c.args, c.nodes, c.name+" arguments")
			if err != nil {
				return nil, err
			}
			return &Call{Func: f, Args: args, T: t}, nil
		}}
	}
	return map[string]funcBinder{
		"coalesce": unified(FuncCoalesce, 1, -1),
		"ifnull":   unified(FuncIfNull, 2, 2),
		"nullif":   unified(FuncNullIf, 2, 2),
		"if":       {minArgs: 3, maxArgs: 3, bind: bindIf},
	}
}

func bindIf(c *fcall) (Expr, error) {
	cond, err := boolArgs(c.n, c.args[:1], c.nodes[:1])
	if err != nil {
		return nil, err
	}
	vals, t, err := unifyAll(c.n, c.args[1:], c.nodes[1:], "IF results")
	if err != nil {
		return nil, err
	}
	return &Call{Func: FuncIf, Args: append(cond, vals...), T: t}, nil
}
