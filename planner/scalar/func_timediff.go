package scalar

import (
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/catalog"
)

// TimestampDiffUnits lists the units TIMESTAMPDIFF accepts, as the VARCHAR
// literal its bound Call carries in Args[0]. MICROSECOND to WEEK count whole
// fixed-length units of the difference; MONTH, QUARTER and YEAR count whole
// calendar months (as MySQL: 2024-01-31 to 2024-02-29 is 0 months). Every
// count is truncated toward zero.
var TimestampDiffUnits = []string{"MICROSECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR"}

// bindTimestampDiff binds TIMESTAMPDIFF(unit, a, b), the BIGINT number of
// whole units from a to b. TiDB parses the unit into an *ast.TimeUnitExpr in
// Args[0]; a and b are cast to TIMESTAMP (a DATE is its midnight).
func (b *binder) bindTimestampDiff(n *ast.FuncCallExpr) (Expr, error) {
	if len(n.Args) != 3 {
		return nil, errorf(n, "TIMESTAMPDIFF expects (unit, from, to), got %d arguments", len(n.Args))
	}
	u, ok := n.Args[0].(*ast.TimeUnitExpr)
	if !ok {
		return nil, errorf(n.Args[0], "TIMESTAMPDIFF expects a unit first (SECOND, MINUTE, ..., YEAR)")
	}
	unit := u.Unit.String()
	known := false
	for _, x := range TimestampDiffUnits {
		known = known || x == unit
	}
	if !known {
		return nil, errorf(n.Args[0], "TIMESTAMPDIFF does not support unit %s", unit)
	}
	args, err := b.bindAll(n.Args[1:])
	if err != nil {
		return nil, err
	}
	unitLit := &Literal{Value: unit, T: str}
	c := &fcall{n: n, name: "TIMESTAMPDIFF", args: append([]Expr{unitLit}, args...), nodes: n.Args}
	from, err := c.argAs(1, ts3)
	if err != nil {
		return nil, err
	}
	to, err := c.argAs(2, ts3)
	if err != nil {
		return nil, err
	}
	return &Call{Func: FuncTimestampDiff, Args: []Expr{unitLit, from, to}, T: i64}, nil
}

// bindDateDiff binds DATEDIFF(a, b): the days from the date of b to the
// date of a, as BIGINT. Both arguments are cast to DATE (a TIMESTAMP's time
// of day is dropped).
func bindDateDiff(c *fcall) (Expr, error) {
	args, err := c.argsAs(catalog.DateType, catalog.DateType)
	if err != nil {
		return nil, err
	}
	return &Call{Func: FuncDateDiff, Args: args, T: i64}, nil
}
