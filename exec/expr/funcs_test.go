package expr

import (
	"testing"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

var vc, bigT = catalog.VarcharType, catalog.BigIntType

func TestStrings(t *testing.T) {
	runCases(t, []exprCase{
		{"concat", call(scalar.FuncConcat, vc, tS, str("!")), "hello! | héllo wörld! | NULL | ! |   pad  !"},
		{"concat_ws", call(scalar.FuncConcatWs, vc, str(","), str("a"), tS, str("b")), "a,hello,b | a,héllo wörld,b | a,b | a,,b | a,  pad  ,b"},
		{"substring", call(scalar.FuncSubstring, vc, tS, i64(2), i64(3)), "ell | éll | NULL |  |  pa"},
		{"substring-neg", call(scalar.FuncSubstring, vc, tS, i64(-3)), "llo | rld | NULL |  | d  "},
		{"substring-zero", call(scalar.FuncSubstring, vc, tS, i64(0)), " |  | NULL |  | "},
		{"upper", call(scalar.FuncUpper, vc, tS), "HELLO | HÉLLO WÖRLD | NULL |  |   PAD  "},
		{"lower", call(scalar.FuncLower, vc, str("ÀB")), "àb | àb | àb | àb | àb"},
		{"trim", call(scalar.FuncConcat, vc, str("["), call(scalar.FuncTrim, vc, tS), str("]")), "[hello] | [héllo wörld] | NULL | [] | [pad]"},
		{"ltrim", call(scalar.FuncLTrim, vc, tS), "hello | héllo wörld | NULL |  | pad  "},
		{"length", call(scalar.FuncLength, bigT, tS), "5 | 13 | NULL | 0 | 7"},
		{"char_length", call(scalar.FuncCharLength, bigT, tS), "5 | 11 | NULL | 0 | 7"},
		{"replace", call(scalar.FuncReplace, vc, tS, str("l"), str("L")), "heLLo | héLLo wörLd | NULL |  |   pad  "},
		{"left", call(scalar.FuncLeft, vc, tS, i64(2)), "he | hé | NULL |  |   "},
		{"right", call(scalar.FuncRight, vc, tS, i64(3)), "llo | rld | NULL |  | d  "},
		{"lpad", call(scalar.FuncLPad, vc, tS, i64(7), str("ab")), "abhello | héllo w | NULL | abababa |   pad  "},
		{"rpad-empty", call(scalar.FuncRPad, vc, tS, i64(6), str("")), "NULL | héllo  | NULL | NULL |   pad "},
		{"reverse", call(scalar.FuncReverse, vc, tS), "olleh | dlröw olléh | NULL |  |   dap  "},
		{"mask", call(scalar.FuncMask, vc, tS, i64(1), i64(2)), "h**lo | h********ld | NULL |  |  ****  "},
		{"mask-short", call(scalar.FuncMask, vc, str("äbc"), i64(2), i64(1)), "äbc | äbc | äbc | äbc | äbc"},
		{"mask-phone", call(scalar.FuncMask, vc, str("13812345678"), i64(3), i64(4)), "138****5678 | 138****5678 | 138****5678 | 138****5678 | 138****5678"},
		{"md5", call(scalar.FuncMD5, vc, str("")), "d41d8cd98f00b204e9800998ecf8427e | d41d8cd98f00b204e9800998ecf8427e | d41d8cd98f00b204e9800998ecf8427e | d41d8cd98f00b204e9800998ecf8427e | d41d8cd98f00b204e9800998ecf8427e"},
		{"sha2", call(scalar.FuncSHA2, vc, tS, tI4), "NULL | NULL | NULL | e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 | NULL"},
	})
}

func TestCaseChoice(t *testing.T) {
	runCases(t, []exprCase{
		{"searched", &scalar.Case{Whens: []scalar.When{
			{Cond: call(scalar.FuncGt, boolT, tI4, i64(5)), Then: str("bigT")},
			{Cond: call(scalar.FuncLt, boolT, tI4, i64(0)), Then: str("neg")}},
			Else: tS, T: vc}, "bigT | neg | NULL |  | bigT"},
		{"simple", &scalar.Case{Operand: tI4, Whens: []scalar.When{{Cond: i64(0), Then: i64(100)}}, T: bigT}, "NULL | NULL | NULL | 100 | NULL"},
		{"coalesce", call(scalar.FuncCoalesce, bigT, tI4, i64(42)), "10 | -3 | 42 | 0 | 7"},
		{"ifnull", call(scalar.FuncIfNull, vc, tS, str("x")), "hello | héllo wörld | x |  |   pad  "},
		{"if", call(scalar.FuncIf, bigT, tB, tI4, i64(-1)), "10 | -1 | -1 | 0 | -1"},
		{"nullif", call(scalar.FuncNullIf, bigT, tI4, i64(0)), "10 | -3 | NULL | NULL | 7"},
	})
}

func TestNumeric(t *testing.T) {
	d := catalog.DecimalType
	runCases(t, []exprCase{
		{"abs", call(scalar.FuncAbs, bigT, tI4), "10 | 3 | NULL | 0 | 7"},
		{"abs-dec", call(scalar.FuncAbs, d(10, 2), tD), "1.25 | 3.50 | NULL | 0.05 | 100.00"},
		{"round-dec", call(scalar.FuncRound, d(10, 1), tD, i64(1)), "1.3 | -3.5 | NULL | 0.1 | 100.0"},
		{"round-dec0", call(scalar.FuncRound, d(10, 0), tD), "1 | -4 | NULL | 0 | 100"},
		{"round-int-neg", call(scalar.FuncRound, bigT, lit(int64(1250), bigT), i64(-2)), "1300 | 1300 | 1300 | 1300 | 1300"},
		{"round-double", call(scalar.FuncRound, catalog.DoubleType, tF), "3 | -3 | NULL | 0 | 1e+20"},
		{"round-double-d", call(scalar.FuncRound, catalog.DoubleType, lit(2.675, catalog.DoubleType), i64(1)), "2.7 | 2.7 | 2.7 | 2.7 | 2.7"},
		{"floor", call(scalar.FuncFloor, d(10, 0), tD), "1 | -4 | NULL | 0 | 100"},
		{"ceil", call(scalar.FuncCeil, bigT, tD), "2 | -3 | NULL | 1 | 100"},
		{"floor-double", call(scalar.FuncFloor, catalog.DoubleType, tF), "2 | -3 | NULL | 0 | 1e+20"},
	})
}

func TestCast(t *testing.T) {
	d := catalog.DecimalType
	runCases(t, []exprCase{
		{"int-to-str", cast(tI4, vc), "10 | -3 | NULL | 0 | 7"},
		{"dec-to-str", cast(tD, vc), "1.25 | -3.50 | NULL | 0.05 | 100.00"},
		{"ts-to-str", cast(tTS, vc), "2024-01-31 13:45:06.789 | 2023-02-28 00:00:00.000 | NULL | 1969-12-31 23:59:59.999 | 2024-02-29 12:00:00.000"},
		{"date-to-str", cast(tDt, vc), "2024-01-31 | 1970-01-01 | NULL | 1969-12-31 | 2000-02-29"},
		{"bool-to-str", cast(tB, vc), "true | false | NULL | true | false"},
		{"bool-to-int", cast(tB, bigT), "1 | 0 | NULL | 1 | 0"},
		{"int-to-bool", cast(tI4, boolT), "true | true | NULL | false | true"},
		{"dec-rescale", cast(tD, d(10, 1)), "1.3 | -3.5 | NULL | 0.1 | 100.0"},
		{"dec-overflow", cast(tD, d(3, 1)), "error: out of range"},
		{"double-to-dec", cast(lit(1.005, catalog.DoubleType), d(10, 2)), "1.01 | 1.01 | 1.01 | 1.01 | 1.01"},
		{"double-to-int", cast(tF, catalog.IntType), "error: out of range"},
		{"double-to-bigint", cast(lit(-2.5, catalog.DoubleType), bigT), "-3 | -3 | -3 | -3 | -3"},
		{"dec-to-int", cast(tD, bigT), "1 | -4 | NULL | 0 | 100"},
		{"dec-to-double", cast(tD, catalog.DoubleType), "1.25 | -3.5 | NULL | 0.05 | 100"},
		{"str-to-int-bad", cast(tS, bigT), "error: invalid integer"},
		{"str-to-int", cast(str(" 42 "), bigT), "42 | 42 | 42 | 42 | 42"},
		{"str-to-dec", cast(str("-1.235"), d(5, 2)), "-1.24 | -1.24 | -1.24 | -1.24 | -1.24"},
		{"str-to-ts", cast(str("2024-02-29T01:02:03.5Z"), catalog.TimestampType), "2024-02-29 01:02:03.500 | 2024-02-29 01:02:03.500 | 2024-02-29 01:02:03.500 | 2024-02-29 01:02:03.500 | 2024-02-29 01:02:03.500"},
		{"str-to-date-bad", cast(str("2023-02-29"), catalog.DateType), "error: invalid date"},
		{"ts-to-date", cast(tTS, catalog.DateType), "2024-01-31 | 2023-02-28 | NULL | 1969-12-31 | 2024-02-29"},
		{"date-to-ts", cast(tDt, catalog.TimestampType), "2024-01-31 00:00:00.000 | 1970-01-01 00:00:00.000 | NULL | 1969-12-31 00:00:00.000 | 2000-02-29 00:00:00.000"},
		{"int-widen", cast(tI4, bigT), "10 | -3 | NULL | 0 | 7"},
		{"int-to-dec", cast(tI4, d(5, 2)), "10.00 | -3.00 | NULL | 0.00 | 7.00"},
		{"unsupported", cast(tTS, bigT), "error: cannot cast"},
	})
}

func TestDatetime(t *testing.T) {
	ts3 := catalog.TimestampType
	iv := func(m int32, ms int64) scalar.Expr {
		return lit(scalar.IntervalValue{Months: m, Millis: ms}, catalog.IntervalType)
	}
	runCases(t, []exprCase{
		{"year", call(scalar.FuncYear, bigT, tTS), "2024 | 2023 | NULL | 1969 | 2024"},
		{"month", call(scalar.FuncMonth, bigT, tTS), "1 | 2 | NULL | 12 | 2"},
		{"day", call(scalar.FuncDay, bigT, tDt), "31 | 1 | NULL | 31 | 29"},
		{"hour", call(scalar.FuncHour, bigT, tTS), "13 | 0 | NULL | 23 | 12"},
		{"minute", call(scalar.FuncMinute, bigT, tTS), "45 | 0 | NULL | 59 | 0"},
		{"second", call(scalar.FuncSecond, bigT, tTS), "6 | 0 | NULL | 59 | 0"},
		{"date", call(scalar.FuncDate, catalog.DateType, tTS), "2024-01-31 | 2023-02-28 | NULL | 1969-12-31 | 2024-02-29"},
		{"add-month-clamp", call(scalar.FuncTimestampAdd, ts3, tTS, iv(1, 0)), "2024-02-29 13:45:06.789 | 2023-03-28 00:00:00.000 | NULL | 1970-01-31 23:59:59.999 | 2024-03-29 12:00:00.000"},
		{"sub-year-leap", call(scalar.FuncTimestampSub, ts3, tTS, iv(12, 1)), "2023-01-31 13:45:06.788 | 2022-02-27 23:59:59.999 | NULL | 1968-12-31 23:59:59.998 | 2023-02-28 11:59:59.999"},
		{"date-add", call(scalar.FuncTimestampAdd, catalog.DateType, tDt, iv(1, 86400000)), "2024-03-01 | 1970-02-02 | NULL | 1970-02-01 | 2000-03-30"},
		{"now", call(scalar.FuncNow, ts3), "2024-05-06 07:08:09.000 | 2024-05-06 07:08:09.000 | 2024-05-06 07:08:09.000 | 2024-05-06 07:08:09.000 | 2024-05-06 07:08:09.000"},
		{"unix", call(scalar.FuncUnixTimestamp, bigT, tTS), "1706708706 | 1677542400 | NULL | -1 | 1709208000"},
		{"unix-dec", call(scalar.FuncUnixTimestamp, catalog.DecimalType(16, 3), tTS), "1706708706.789 | 1677542400.000 | NULL | -0.001 | 1709208000.000"},
		{"from-unix", call(scalar.FuncFromUnixtime, ts3, tI4), "1970-01-01 00:00:10.000 | 1969-12-31 23:59:57.000 | NULL | 1970-01-01 00:00:00.000 | 1970-01-01 00:00:07.000"},
		{"date_format", call(scalar.FuncDateFormat, vc, tTS, str("%Y-%m-%d %H:%i:%s.%f %p %W %a %M %b %j %y %c %e %k %h %T %r %% %D")),
			"2024-01-31 13:45:06.789000 PM Wednesday Wed January Jan 031 24 1 31 13 01 13:45:06 01:45:06 PM % 31st | " +
				"2023-02-28 00:00:00.000000 AM Tuesday Tue February Feb 059 23 2 28 0 12 00:00:00 12:00:00 AM % 28th | NULL | " +
				"1969-12-31 23:59:59.999000 PM Wednesday Wed December Dec 365 69 12 31 23 11 23:59:59 11:59:59 PM % 31st | " +
				"2024-02-29 12:00:00.000000 PM Thursday Thu February Feb 060 24 2 29 12 12 12:00:00 12:00:00 PM % 29th"},
	})
}
