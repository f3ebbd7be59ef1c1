package scalar

// Func identifies a built-in scalar function or operator. The binder
// resolves names to a Func, checks and coerces argument types, and computes
// the result type; exec/expr has one kernel per Func.
type Func uint16

// Built-in functions and operators. Argument conventions (after the
// binder's coercions, which insert Casts):
//   - arithmetic: both arguments already of the result's numeric family
//     (Int/BigInt/Double/Decimal); decimals keep their own scales, the kernel
//     rescales.
//   - comparisons: both arguments of one comparable type.
//   - FuncIn: Args[0] IN (Args[1:]...), all of one type.
//   - FuncBetween: Args[0] BETWEEN Args[1] AND Args[2], one type.
//   - FuncLike: Args[0] LIKE Args[1] [ESCAPE Args[2]] (Args[2] a literal).
//   - FuncTimestampAdd/Sub: TIMESTAMP or DATE ± INTERVAL.
const (
	FuncInvalid Func = iota
	// arithmetic
	FuncAdd
	FuncSub
	FuncMul
	FuncDiv    // '/': exact DECIMAL division for decimals and integers (MySQL)
	FuncIntDiv // DIV
	FuncMod    // % and MOD()
	FuncNeg    // unary minus
	// comparison
	FuncEq
	FuncNe
	FuncLt
	FuncLe
	FuncGt
	FuncGe
	FuncNullSafeEq // <=>
	// logic (three-valued)
	FuncAnd
	FuncOr
	FuncNot
	FuncIsNull
	FuncIsNotNull
	FuncIsTrue
	FuncIsFalse
	FuncIn
	FuncBetween
	FuncLike
	FuncCoalesce
	FuncIf     // IF(cond, a, b)
	FuncIfNull // IFNULL(a, b)
	FuncNullIf
	// strings
	FuncConcat
	FuncConcatWs
	FuncSubstring // SUBSTRING(s, pos[, len]), 1-based, characters
	FuncUpper
	FuncLower
	FuncTrim
	FuncLTrim
	FuncRTrim
	FuncLength     // bytes, as MySQL LENGTH
	FuncCharLength // characters
	FuncReplace
	FuncLeft
	FuncRight
	FuncLPad
	FuncRPad
	FuncReverse
	FuncMask // MASK(s, keep_head, keep_tail), characters
	FuncMD5
	FuncSHA2 // SHA2(s, bits) bits in 224, 256, 384, 512 (0 means 256)
	// numbers
	FuncAbs
	FuncRound // ROUND(x[, d])
	FuncFloor
	FuncCeil
	// dates and times
	FuncDateFormat // DATE_FORMAT(ts, fmt) with MySQL % specifiers
	FuncYear
	FuncMonth
	FuncDay
	FuncHour
	FuncMinute
	FuncSecond
	FuncDate // DATE(ts): the day of a timestamp
	FuncTimestampAdd
	FuncTimestampSub
	FuncNow // the processing time at the start of the run (constant per run)
	FuncUnixTimestamp
	FuncFromUnixtime
	FuncTimestampDiff // TIMESTAMPDIFF('UNIT', a, b): Args[0] a VARCHAR literal naming the unit
	FuncDateDiff      // DATEDIFF(a, b) over two DATEs: days from b to a
	// Flink's string functions (func_flinkstr.go)
	FuncSplitIndex    // SPLIT_INDEX(s, delim, n), n 0-based
	FuncCountChar     // COUNT_CHAR(s, c)
	FuncRegexpExtract // REGEXP_EXTRACT(s, pattern[, group])
	numFuncs
)

// FuncInfo describes a Func for printing.
type FuncInfo struct {
	Name  string // SQL name as EXPLAIN prints it
	Infix string // operator spelling, "" for function-call syntax
}

var funcInfos = [numFuncs]FuncInfo{
	FuncInvalid: {Name: "invalid"},
	FuncAdd:     {Name: "add", Infix: "+"}, FuncSub: {Name: "sub", Infix: "-"},
	FuncMul: {Name: "mul", Infix: "*"}, FuncDiv: {Name: "div", Infix: "/"},
	FuncIntDiv: {Name: "intdiv", Infix: "DIV"}, FuncMod: {Name: "mod", Infix: "%"},
	FuncNeg: {Name: "neg", Infix: "-"},
	FuncEq:  {Name: "eq", Infix: "="}, FuncNe: {Name: "ne", Infix: "<>"},
	FuncLt: {Name: "lt", Infix: "<"}, FuncLe: {Name: "le", Infix: "<="},
	FuncGt: {Name: "gt", Infix: ">"}, FuncGe: {Name: "ge", Infix: ">="},
	FuncNullSafeEq: {Name: "nulleq", Infix: "<=>"},
	FuncAnd:        {Name: "and", Infix: "AND"}, FuncOr: {Name: "or", Infix: "OR"},
	FuncNot: {Name: "NOT", Infix: "NOT "}, FuncIsNull: {Name: "ISNULL"},
	FuncIsNotNull: {Name: "ISNOTNULL"}, FuncIsTrue: {Name: "ISTRUE"}, FuncIsFalse: {Name: "ISFALSE"},
	FuncIn: {Name: "IN"}, FuncBetween: {Name: "BETWEEN"}, FuncLike: {Name: "LIKE"},
	FuncCoalesce: {Name: "COALESCE"}, FuncIf: {Name: "IF"}, FuncIfNull: {Name: "IFNULL"},
	FuncNullIf: {Name: "NULLIF"},
	FuncConcat: {Name: "CONCAT"}, FuncConcatWs: {Name: "CONCAT_WS"}, FuncSubstring: {Name: "SUBSTRING"},
	FuncUpper: {Name: "UPPER"}, FuncLower: {Name: "LOWER"}, FuncTrim: {Name: "TRIM"},
	FuncLTrim: {Name: "LTRIM"}, FuncRTrim: {Name: "RTRIM"}, FuncLength: {Name: "LENGTH"},
	FuncCharLength: {Name: "CHAR_LENGTH"}, FuncReplace: {Name: "REPLACE"}, FuncLeft: {Name: "LEFT"},
	FuncRight: {Name: "RIGHT"}, FuncLPad: {Name: "LPAD"}, FuncRPad: {Name: "RPAD"},
	FuncReverse: {Name: "REVERSE"}, FuncMask: {Name: "MASK"}, FuncMD5: {Name: "MD5"}, FuncSHA2: {Name: "SHA2"},
	FuncAbs: {Name: "ABS"}, FuncRound: {Name: "ROUND"}, FuncFloor: {Name: "FLOOR"}, FuncCeil: {Name: "CEIL"},
	FuncDateFormat: {Name: "DATE_FORMAT"}, FuncYear: {Name: "YEAR"}, FuncMonth: {Name: "MONTH"},
	FuncDay: {Name: "DAY"}, FuncHour: {Name: "HOUR"}, FuncMinute: {Name: "MINUTE"}, FuncSecond: {Name: "SECOND"},
	FuncDate: {Name: "DATE"}, FuncTimestampAdd: {Name: "TIMESTAMP_ADD", Infix: "+"},
	FuncTimestampSub: {Name: "TIMESTAMP_SUB", Infix: "-"}, FuncNow: {Name: "NOW"},
	FuncUnixTimestamp: {Name: "UNIX_TIMESTAMP"}, FuncFromUnixtime: {Name: "FROM_UNIXTIME"},
	FuncTimestampDiff: {Name: "TIMESTAMPDIFF"}, FuncDateDiff: {Name: "DATEDIFF"},
	FuncSplitIndex: {Name: "SPLIT_INDEX"}, FuncCountChar: {Name: "COUNT_CHAR"},
	FuncRegexpExtract: {Name: "REGEXP_EXTRACT"},
}

// Info returns the printing information of f.
func (f Func) Info() FuncInfo {
	if f < numFuncs {
		return funcInfos[f]
	}
	return FuncInfo{Name: "invalid"}
}

func (f Func) String() string { return f.Info().Name }

// NumFuncs is the number of Func values, for tables indexed by Func.
const NumFuncs = int(numFuncs)
