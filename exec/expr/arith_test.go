package expr

import (
	"testing"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

func TestArith(t *testing.T) {
	big := catalog.BigIntType
	d := catalog.DecimalType
	runCases(t, []exprCase{
		{"add", call(scalar.FuncAdd, big, tI, i64(1)), "error: out of range"},
		{"sub", call(scalar.FuncSub, big, tI, i64(1)), "0 | -8 | NULL | 9223372036854775806 | -1"},
		{"mul", call(scalar.FuncMul, big, tI4, i64(3)), "30 | -9 | NULL | 0 | 21"},
		{"mul-overflow", call(scalar.FuncMul, big, tI, i64(2)), "error: (i * 2): BIGINT out of range"},
		{"neg", call(scalar.FuncNeg, big, tI4), "-10 | 3 | NULL | 0 | -7"},
		{"mod-neg", call(scalar.FuncMod, big, tI4, i64(4)), "2 | -3 | NULL | 0 | 3"},
		{"mod-by-neg", call(scalar.FuncMod, big, i64(-7), tI4), "-7 | -1 | NULL | NULL | 0"},
		{"mod-zero", call(scalar.FuncMod, big, tI, i64(0)), "NULL | NULL | NULL | NULL | NULL"},
		{"intdiv", call(scalar.FuncIntDiv, big, tI4, i64(-3)), "-3 | 1 | NULL | 0 | -2"},
		{"intdiv-zero", call(scalar.FuncIntDiv, big, i64(5), tI4), "0 | -1 | NULL | NULL | 0"},
		{"int32-add", call(scalar.FuncAdd, catalog.IntType, tI4, lit(int64(2147483640), catalog.IntType)), "error: INT out of range"},
		{"double", call(scalar.FuncMul, catalog.DoubleType, tF, lit(2.0, catalog.DoubleType)), "5 | -5 | NULL | 0.2 | 2e+20"},
		{"double-div0", call(scalar.FuncDiv, catalog.DoubleType, tF, lit(0.0, catalog.DoubleType)), "NULL | NULL | NULL | NULL | NULL"},
		{"double-mod", call(scalar.FuncMod, catalog.DoubleType, tF, lit(2.0, catalog.DoubleType)), "0.5 | -0.5 | NULL | 0.1 | 0"},
		{"q1", call(scalar.FuncMul, d(23, 3), cast(tI, d(19, 0)), decLit("0.908", 3, 3)),
			"0.908 | -6.356 | NULL | 8374821809464136432.756 | 0.000"},
		{"q1-int", call(scalar.FuncMul, d(23, 3), cast(tI4, d(19, 0)), decLit("0.908", 3, 3)),
			"9.080 | -2.724 | NULL | 0.000 | 6.356"},
		{"dec-add", call(scalar.FuncAdd, d(12, 3), tD, decLit("0.001", 4, 3)), "1.251 | -3.499 | NULL | 0.051 | 100.001"},
		{"dec-sub-int", call(scalar.FuncSub, d(21, 2), tD, tI4), "-8.75 | -0.50 | NULL | 0.05 | 93.00"},
		{"dec-mul", call(scalar.FuncMul, d(20, 4), tD, tD), "1.5625 | 12.2500 | NULL | 0.0025 | 10000.0000"},
		{"dec-mul-round", call(scalar.FuncMul, d(20, 2), tD, decLit("0.5", 2, 1)), "0.63 | -1.75 | NULL | 0.03 | 50.00"},
		{"dec-div", call(scalar.FuncDiv, d(16, 6), tD, decLit("3", 1, 0)), "0.416667 | -1.166667 | NULL | 0.016667 | 33.333333"},
		{"dec-div-int", call(scalar.FuncDiv, d(15, 4), tI4, i64(3)), "3.3333 | -1.0000 | NULL | 0.0000 | 2.3333"},
		{"dec-div0", call(scalar.FuncDiv, d(16, 6), tD, decLit("0", 1, 0)), "NULL | NULL | NULL | NULL | NULL"},
		{"dec-mod", call(scalar.FuncMod, d(10, 2), tD, decLit("1", 1, 0)), "0.25 | -0.50 | NULL | 0.05 | 0.00"},
		{"dec-overflow", call(scalar.FuncMul, d(4, 2), tD, tD), "error: out of range for DECIMAL(4,2)"},
		{"null-const", call(scalar.FuncAdd, big, tI, null(big)), "NULL | NULL | NULL | NULL | NULL"},
		{"fold", call(scalar.FuncAdd, big, i64(2), i64(3)), "5 | 5 | 5 | 5 | 5"},
	})
}
