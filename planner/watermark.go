package planner

import (
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/parser"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// watermark resolves `WATERMARK FOR col AS expr`. The column must be a
// TIMESTAMP and expr either `col` or `col - INTERVAL n unit` (a fixed
// delay: no months or years).
func (p *planner) watermark(src *catalog.Source, wm *parser.WatermarkDef) (*catalog.Watermark, error) {
	col := src.Schema.Index(wm.Column.Name)
	if col < 0 {
		return nil, p.errorf(wm.Column.Pos, "source %s: watermark column %s is not a column%s",
			src.Name, wm.Column.Name, didYouMean(wm.Column.Name, src.Schema.Names()))
	}
	if t := src.Schema.Columns[col].Type; t.ID != catalog.Timestamp {
		return nil, p.errorf(wm.Column.Pos, "source %s: watermark column %s must be TIMESTAMP, not %s", src.Name, wm.Column.Name, t)
	}
	exprPos := wm.ExprPos
	scope := newRelScope(src.Name, src.Schema)
	bound, err := scope.bind(wm.Expr)
	if err != nil {
		return nil, p.positioned(err, func(n ast.Node) int { return wm.Locate(n) }, exprPos)
	}
	delay, ok := watermarkDelay(bound, col)
	if !ok {
		return nil, p.errorf(exprPos, "source %s: watermark must be %s or %s - INTERVAL n unit, not %s",
			src.Name, wm.Column.Name, wm.Column.Name, wm.ExprText)
	}
	return &catalog.Watermark{Column: col, DelayMs: delay, Text: wm.ExprText}, nil
}

// watermarkDelay recognizes `col` and `col - INTERVAL` in a bound
// expression and returns the delay in milliseconds.
func watermarkDelay(e scalar.Expr, col int) (int64, bool) {
	if r, ok := e.(*scalar.ColRef); ok {
		return 0, r.Index == col
	}
	c, ok := e.(*scalar.Call)
	if !ok || c.Func != scalar.FuncTimestampSub || len(c.Args) != 2 {
		return 0, false
	}
	r, ok := c.Args[0].(*scalar.ColRef)
	if !ok || r.Index != col {
		return 0, false
	}
	lit, ok := c.Args[1].(*scalar.Literal)
	if !ok {
		return 0, false
	}
	iv, ok := lit.Value.(scalar.IntervalValue)
	if !ok || iv.Months != 0 || iv.Millis < 0 {
		return 0, false
	}
	return iv.Millis, true
}
