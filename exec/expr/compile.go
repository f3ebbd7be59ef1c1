package expr

import (
	"fmt"

	"github.com/sqlstream/sqlstream/planner/scalar"
)

// compileCall dispatches a call to its family's compiler.
func (c *compiler) compileCall(e *scalar.Call) (Kernel, error) {
	switch e.Func {
	case scalar.FuncAdd, scalar.FuncSub, scalar.FuncMul, scalar.FuncDiv,
		scalar.FuncIntDiv, scalar.FuncMod, scalar.FuncNeg:
		return c.compileArith(e)
	case scalar.FuncEq, scalar.FuncNe, scalar.FuncLt, scalar.FuncLe,
		scalar.FuncGt, scalar.FuncGe, scalar.FuncNullSafeEq:
		return c.compileCompare(e)
	case scalar.FuncAnd, scalar.FuncOr, scalar.FuncNot, scalar.FuncIsNull,
		scalar.FuncIsNotNull, scalar.FuncIsTrue, scalar.FuncIsFalse:
		return c.compileLogic(e)
	case scalar.FuncIn:
		return c.compileIn(e)
	case scalar.FuncBetween:
		return c.compileBetween(e)
	case scalar.FuncLike:
		return c.compileLike(e)
	case scalar.FuncCoalesce, scalar.FuncIf, scalar.FuncIfNull, scalar.FuncNullIf:
		return c.compileChoice(e)
	case scalar.FuncConcat, scalar.FuncConcatWs, scalar.FuncSubstring, scalar.FuncUpper,
		scalar.FuncLower, scalar.FuncTrim, scalar.FuncLTrim, scalar.FuncRTrim,
		scalar.FuncLength, scalar.FuncCharLength, scalar.FuncReplace, scalar.FuncLeft,
		scalar.FuncRight, scalar.FuncLPad, scalar.FuncRPad, scalar.FuncReverse,
		scalar.FuncMask, scalar.FuncMD5, scalar.FuncSHA2:
		return c.compileString(e)
	case scalar.FuncAbs, scalar.FuncRound, scalar.FuncFloor, scalar.FuncCeil:
		return c.compileNumeric(e)
	case scalar.FuncDateFormat, scalar.FuncYear, scalar.FuncMonth, scalar.FuncDay,
		scalar.FuncHour, scalar.FuncMinute, scalar.FuncSecond, scalar.FuncDate,
		scalar.FuncTimestampAdd, scalar.FuncTimestampSub, scalar.FuncNow,
		scalar.FuncUnixTimestamp, scalar.FuncFromUnixtime:
		return c.compileDatetime(e)
	case scalar.FuncTimestampDiff, scalar.FuncDateDiff:
		return c.compileTimeDiff(e)
	case scalar.FuncSplitIndex, scalar.FuncCountChar, scalar.FuncRegexpExtract:
		return c.compileFlinkString(e)
	}
	return nil, fmt.Errorf("%s: function %s has no kernel", e, e.Func)
}

// compileBetween rewrites a BETWEEN lo AND hi into a >= lo AND a <= hi,
// which has the same three-valued result.
func (c *compiler) compileBetween(e *scalar.Call) (Kernel, error) {
	if len(e.Args) != 3 {
		return nil, fmt.Errorf("%s: want 3 arguments", e)
	}
	ge, err := c.newCompare(scalar.FuncGe, e.Args[0], e.Args[1])
	if err != nil {
		return nil, err
	}
	le, err := c.newCompare(scalar.FuncLe, e.Args[0], e.Args[2])
	if err != nil {
		return nil, err
	}
	return &logicKernel{fn: scalar.FuncAnd, args: []Kernel{ge, le}}, nil
}
