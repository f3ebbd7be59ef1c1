package scalar

import (
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/catalog"
)

// unixType is the type of UNIX_TIMESTAMP's result and FROM_UNIXTIME's
// argument: seconds with milliseconds, so the unscaled value is exactly the
// epoch milliseconds of a TIMESTAMP(3).
var unixType = catalog.DecimalType(18, 3)

// timeFuncs: date parts take a TIMESTAMP (DATE and VARCHAR are cast) and
// return BIGINT. There are no time zones: timestamps are UTC wall clock.
func timeFuncs() map[string]funcBinder {
	part := func(f Func) funcBinder { return simple(f, i64, ts3) }
	now := funcBinder{minArgs: 0, maxArgs: 1, bind: func(*fcall) (Expr, error) { return nowCall(), nil }}
	return map[string]funcBinder{
		"date_format": simple(FuncDateFormat, str, ts3, str),
		"year":        part(FuncYear), "month": part(FuncMonth), "day": part(FuncDay),
		"dayofmonth": part(FuncDay), "hour": part(FuncHour), "minute": part(FuncMinute),
		"second": part(FuncSecond),
		"date":   {minArgs: 1, maxArgs: 1, bind: bindDate},
		"now":    now, "current_timestamp": now, "localtimestamp": now, "localtime": now,
		"unix_timestamp": {minArgs: 0, maxArgs: 1, bind: bindUnixTimestamp},
		"from_unixtime":  {minArgs: 1, maxArgs: 2, bind: bindFromUnixtime},
		"datediff":       {minArgs: 2, maxArgs: 2, bind: bindDateDiff},
	}
}

func nowCall() Expr { return &Call{Func: FuncNow, T: ts3} }

// bindDate: DATE(x) is x for a DATE, else FuncDate over a TIMESTAMP.
func bindDate(c *fcall) (Expr, error) {
	if c.args[0].Type().ID == catalog.Date {
		return c.args[0], nil
	}
	x, err := c.argAs(0, ts3)
	if err != nil {
		return nil, err
	}
	return &Call{Func: FuncDate, Args: []Expr{x}, T: catalog.DateType}, nil
}

// bindUnixTimestamp: UNIX_TIMESTAMP([ts]) is DECIMAL(18,3) seconds; with
// no argument it is UNIX_TIMESTAMP(NOW()).
func bindUnixTimestamp(c *fcall) (Expr, error) {
	x := nowCall()
	if len(c.args) == 1 {
		var err error
		if x, err = c.argAs(0, ts3); err != nil {
			return nil, err
		}
	}
	return &Call{Func: FuncUnixTimestamp, Args: []Expr{x}, T: unixType}, nil
}

// bindFromUnixtime: FROM_UNIXTIME(n) is a TIMESTAMP from DECIMAL(18,3)
// seconds; FROM_UNIXTIME(n, fmt) is DATE_FORMAT(FROM_UNIXTIME(n), fmt).
func bindFromUnixtime(c *fcall) (Expr, error) {
	x, err := c.argAs(0, unixType)
	if err != nil {
		return nil, err
	}
	var e Expr = &Call{Func: FuncFromUnixtime, Args: []Expr{x}, T: ts3}
	if len(c.args) == 2 {
		f, err := c.argAs(1, str)
		if err != nil {
			return nil, err
		}
		e = &Call{Func: FuncDateFormat, Args: []Expr{e, f}, T: str}
	}
	return e, nil
}

// bindTemporalLiteral binds DATE 'x' and TIMESTAMP 'x'.
func (b *binder) bindTemporalLiteral(n *ast.FuncCallExpr) (Expr, error) {
	v, err := b.bind(n.Args[0])
	if err != nil {
		return nil, err
	}
	t := ts3
	if n.FnName.L == ast.DateLiteral {
		t = catalog.DateType
	}
	return coerce(v, t, n)
}

// bindDateArith binds DATE_ADD/DATE_SUB(x, INTERVAL v unit), which TiDB
// also produces for x ± INTERVAL. A DATE plus whole days stays a DATE;
// otherwise x is cast to TIMESTAMP. The interval must be a constant.
func (b *binder) bindDateArith(n *ast.FuncCallExpr) (Expr, error) {
	f := FuncTimestampAdd
	if n.FnName.L == "date_sub" || n.FnName.L == "subdate" {
		f = FuncTimestampSub
	}
	if len(n.Args) != 3 {
		return nil, errorf(n, "%s expects (date, INTERVAL n unit)", n.FnName.O)
	}
	unit, ok := n.Args[2].(*ast.TimeUnitExpr)
	if !ok {
		return nil, errorf(n, "%s expects (date, INTERVAL n unit)", n.FnName.O)
	}
	iv, err := b.bindInterval(n.Args[1], unit.Unit)
	if err != nil {
		return nil, err
	}
	x, err := b.bind(n.Args[0])
	if err != nil {
		return nil, err
	}
	t := ts3
	if x.Type().ID == catalog.Date && iv.Millis%msPerDay == 0 {
		t = catalog.DateType
	}
	c := &fcall{n: n, name: n.FnName.O, args: []Expr{x}, nodes: n.Args[:1]}
	if x, err = c.argAs(0, t); err != nil {
		return nil, err
	}
	return &Call{Func: f, Args: []Expr{x, &Literal{Value: iv, T: catalog.IntervalType}}, T: t}, nil
}

// bindInterval evaluates the constant `INTERVAL v unit`.
func (b *binder) bindInterval(v ast.ExprNode, unit ast.TimeUnitType) (IntervalValue, error) {
	e, err := b.bind(v)
	if err != nil {
		return IntervalValue{}, err
	}
	lit, ok := e.(*Literal)
	if !ok || lit.Value == nil {
		return IntervalValue{}, errorf(v, "INTERVAL value must be a non-NULL constant, got %s", nodeText(v))
	}
	iv, err := intervalLiteral(lit, unit)
	if err != nil {
		return IntervalValue{}, errorf(v, "%s", err.Error())
	}
	return iv, nil
}
