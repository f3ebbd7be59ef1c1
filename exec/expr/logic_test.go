package expr

import (
	"testing"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

func TestCompareLogic(t *testing.T) {
	nb := null(boolT)
	gt0 := call(scalar.FuncGt, boolT, tI4, i64(0))
	runCases(t, []exprCase{
		{"eq", call(scalar.FuncEq, boolT, tI4, i64(10)), "true | false | NULL | false | false"},
		{"lt-int32-bigint", call(scalar.FuncLt, boolT, tI4, tI), "false | false | NULL | true | false"},
		{"ge-double", call(scalar.FuncGe, boolT, tF, lit(0.1, catalog.DoubleType)), "true | false | NULL | true | true"},
		{"dec-scales", call(scalar.FuncEq, boolT, tD, decLit("1.250", 5, 3)), "true | false | NULL | false | false"},
		{"dec-vs-int", call(scalar.FuncGt, boolT, tD, i64(1)), "true | false | NULL | false | true"},
		{"str", call(scalar.FuncLt, boolT, tS, str("hello")), "false | false | NULL | true | true"},
		{"ts", call(scalar.FuncGt, boolT, tTS, lit(ts("2024-01-01 00:00:00"), catalog.TimestampType)), "true | false | NULL | false | true"},
		{"bool-eq", call(scalar.FuncEq, boolT, tB, lit(true, boolT)), "true | false | NULL | true | false"},
		{"nullsafe", call(scalar.FuncNullSafeEq, boolT, tI4, null(catalog.BigIntType)), "false | false | true | false | false"},
		{"nullsafe-col", call(scalar.FuncNullSafeEq, boolT, tI4, tI4), "true | true | true | true | true"},
		{"and-false-null", call(scalar.FuncAnd, boolT, tB, nb), "NULL | false | NULL | NULL | false"},
		{"or-true-null", call(scalar.FuncOr, boolT, tB, nb), "true | NULL | NULL | true | NULL"},
		{"and", call(scalar.FuncAnd, boolT, tB, gt0), "true | false | NULL | false | false"},
		{"or", call(scalar.FuncOr, boolT, tB, gt0), "true | false | NULL | true | true"},
		{"not", call(scalar.FuncNot, boolT, tB), "false | true | NULL | false | true"},
		{"not-null", call(scalar.FuncNot, boolT, nb), "NULL | NULL | NULL | NULL | NULL"},
		{"isnull", call(scalar.FuncIsNull, boolT, tS), "false | false | true | false | false"},
		{"isnotnull", call(scalar.FuncIsNotNull, boolT, tS), "true | true | false | true | true"},
		{"istrue", call(scalar.FuncIsTrue, boolT, tB), "true | false | false | true | false"},
		{"isfalse", call(scalar.FuncIsFalse, boolT, tB), "false | true | false | false | true"},
		{"in", call(scalar.FuncIn, boolT, tI4, i64(10), i64(7)), "true | false | NULL | false | true"},
		{"in-null", call(scalar.FuncIn, boolT, tI4, i64(10), null(catalog.BigIntType)), "true | NULL | NULL | NULL | NULL"},
		{"in-str", call(scalar.FuncIn, boolT, tS, str(""), str("hello")), "true | false | NULL | true | false"},
		{"in-dec", call(scalar.FuncIn, boolT, tD, decLit("0.05", 3, 2), decLit("7", 1, 0)), "false | false | NULL | true | false"},
		{"in-col", call(scalar.FuncIn, boolT, i64(7), tI4, i64(1)), "false | false | NULL | false | true"},
		{"between", call(scalar.FuncBetween, boolT, tI4, i64(0), i64(7)), "false | false | NULL | true | true"},
		{"between-null", call(scalar.FuncBetween, boolT, tI4, null(catalog.BigIntType), i64(7)), "false | NULL | NULL | NULL | NULL"},
	})
}

func TestLike(t *testing.T) {
	like := func(p string) scalar.Expr { return call(scalar.FuncLike, boolT, tS, str(p)) }
	runCases(t, []exprCase{
		{"prefix", like("he%"), "true | false | NULL | false | false"},
		{"suffix", like("%ld"), "false | true | NULL | false | false"},
		{"contains", like("%l%"), "true | true | NULL | false | false"},
		{"exact", like("hello"), "true | false | NULL | false | false"},
		{"underscore-utf8", like("h_llo%"), "true | true | NULL | false | false"},
		{"general", like("h%o_w%d"), "false | true | NULL | false | false"},
		{"any", like("%"), "true | true | NULL | true | true"},
		{"empty", like(""), "false | false | NULL | true | false"},
		{"case-sensitive", like("HELLO"), "false | false | NULL | false | false"},
		{"escape", call(scalar.FuncLike, boolT, str("50%"), str("50!%"), str("!")), "true | true | true | true | true"},
		{"escape-default", call(scalar.FuncLike, boolT, str("a_b"), str(`a\_b`)), "true | true | true | true | true"},
		{"escape-literal-underscore", call(scalar.FuncLike, boolT, str("axb"), str(`a\_b`)), "false | false | false | false | false"},
		{"pattern-col", call(scalar.FuncLike, boolT, str("hello"), tS), "true | false | NULL | false | false"},
	})
}
