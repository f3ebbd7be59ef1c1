package scalar

import (
	"math"

	"github.com/sqlstream/sqlstream/catalog"
)

// Type rules (MySQL semantics, adapted to the dialect's types).
//
// Numeric promotion is INT < BIGINT < DECIMAL < DOUBLE. Integer literals are
// BIGINT; decimal literals such as 0.908 are DECIMAL(p,s) exactly as written
// (DECIMAL(3,3)); literals with an exponent are DOUBLE. When an integer
// meets a DECIMAL it is viewed as DECIMAL(10,0) (INT), DECIMAL(19,0)
// (BIGINT) or DECIMAL(digits,0) (an integer literal).
//
// Arithmetic (the binder casts both arguments to the result's family;
// decimal arguments keep their own precision and scale):
//
//	INT/BIGINT ± * INT/BIGINT   BIGINT
//	anything with DOUBLE        DOUBLE
//	DECIMAL(p1,s1) ± DECIMAL(p2,s2)   s = max(s1,s2), p = max(p1-s1, p2-s2) + s + 1
//	DECIMAL(p1,s1) * DECIMAL(p2,s2)   s = s1+s2,      p = p1 + p2
//	x / y (non-DOUBLE, integers too)  s = s1+4,       p = p1 + s2 + 4 (exact, rounded half up)
//	x DIV y                           BIGINT (arguments BIGINT, common DECIMAL or DOUBLE)
//	x % y, MOD(x, y)                  BIGINT for integers; DECIMAL s = max(s1,s2),
//	                                  p = min(p1-s1, p2-s2) + s; DOUBLE with a DOUBLE
//	-x                                the type of x (INT becomes BIGINT)
//
// Precision is capped at 38 (catalog.MaxDecimalPrecision). When a rule asks
// for more, the integer digits are kept and the scale shrinks to make room,
// but never below min(s, 6) (six fractional digits survive, as in SQL
// Server); a value that then does not fit is an overflow at run time.
//
// Comparisons (=, <>, <, <=, >, >=, <=>, IN, BETWEEN, CASE operand) cast
// both sides to one common type: numbers by promotion (two DECIMALs to
// DECIMAL(max integer digits + max scale, max scale)); BOOLEAN compares as
// a number with numbers; DATE with TIMESTAMP as TIMESTAMP; a VARCHAR with a
// DATE or TIMESTAMP as that temporal type (string literals are parsed at
// bind time, so a bad literal is a bind error); a VARCHAR with a number as
// DOUBLE (MySQL). Anything else is an error such as
// "cannot compare DATE and BIGINT".
//
// Result unification (CASE/IF/COALESCE/IFNULL/NULLIF results) follows the
// same numeric promotion and DATE→TIMESTAMP; a VARCHAR among other types
// makes the result VARCHAR (MySQL). NULL literals take the other type.
//
// Strings are never implicitly numbers in arithmetic: `'a' + 1` is the error
// "cannot apply + to VARCHAR and BIGINT".

// numRank orders the numeric types for promotion.
func numRank(id catalog.TypeID) int {
	switch id {
	case catalog.Boolean, catalog.Int:
		return 1
	case catalog.BigInt:
		return 2
	case catalog.Decimal:
		return 3
	case catalog.Double:
		return 4
	}
	return 0
}

// decimalView is the DECIMAL an integer (or decimal) expression converts to
// without loss.
func decimalView(e Expr) catalog.Type {
	t := e.Type()
	switch t.ID {
	case catalog.Decimal:
		return t
	case catalog.Boolean:
		return catalog.DecimalType(1, 0)
	case catalog.Int:
		return catalog.DecimalType(10, 0)
	}
	if lit, ok := e.(*Literal); ok {
		if v, ok := lit.Value.(int64); ok {
			return catalog.DecimalType(int32(digits(v)), 0)
		}
	}
	return catalog.DecimalType(19, 0)
}

// digits counts the decimal digits of |v| (at least 1).
func digits(v int64) int {
	n := 1
	for v >= 10 || v <= -10 {
		v /= 10
		n++
	}
	return n
}

// capDecimal builds DECIMAL(p,s), shrinking the scale when p exceeds 38 (see
// the rules above).
func capDecimal(p, s int32) catalog.Type {
	const maxP = catalog.MaxDecimalPrecision
	if p <= maxP {
		return catalog.DecimalType(max(p, 1), s)
	}
	intDigits := p - s
	ns := max(min(s, 6), maxP-intDigits)
	ns = max(min(ns, s), 0)
	return catalog.DecimalType(maxP, ns)
}

// decimalUnion is the DECIMAL that holds every value of a and b.
func decimalUnion(a, b catalog.Type) catalog.Type {
	s := max(a.Scale, b.Scale)
	return capDecimal(max(a.Precision-a.Scale, b.Precision-b.Scale)+s, s)
}

// decimalArith is the result type of a decimal operation.
func decimalArith(f Func, a, b catalog.Type) catalog.Type {
	p1, s1, p2, s2 := a.Precision, a.Scale, b.Precision, b.Scale
	switch f {
	case FuncAdd, FuncSub:
		s := max(s1, s2)
		return capDecimal(max(p1-s1, p2-s2)+s+1, s)
	case FuncMul:
		return capDecimal(p1+p2, s1+s2)
	case FuncDiv:
		return capDecimal(p1+s2+4, s1+4)
	case FuncMod:
		s := max(s1, s2)
		return capDecimal(min(p1-s1, p2-s2)+s, s)
	}
	return catalog.Type{}
}

// numericCommon is the common numeric type of a and b for comparison and
// unification (not arithmetic): exprs are passed so that integer literals
// get their tight decimal view.
func numericCommon(a, b Expr) catalog.Type {
	if intLike(a) && intLike(b) && (a.Type().ID == catalog.Int || b.Type().ID == catalog.Int) {
		return catalog.IntType
	}
	ra, rb := numRank(a.Type().ID), numRank(b.Type().ID)
	switch max(ra, rb) {
	case 4:
		return catalog.DoubleType
	case 3:
		return decimalUnion(decimalView(a), decimalView(b))
	case 2:
		return catalog.BigIntType
	}
	if a.Type().ID == catalog.Boolean && b.Type().ID == catalog.Boolean {
		return catalog.BooleanType
	}
	return catalog.BigIntType
}

// intLike reports an INT expression or an integer literal that fits INT, so
// that `i < 10` compares as INT without widening the column.
func intLike(e Expr) bool {
	switch e.Type().ID {
	case catalog.Int:
		return true
	case catalog.BigInt:
		if lit, ok := e.(*Literal); ok {
			v, isInt := lit.Value.(int64)
			return isInt && v >= math.MinInt32 && v <= math.MaxInt32
		}
	}
	return false
}

// isNumberLike reports numeric types and BOOLEAN (which MySQL treats as 0/1).
func isNumberLike(t catalog.Type) bool { return t.IsNumeric() || t.ID == catalog.Boolean }

// compareType is the type both sides of a comparison are cast to, or ok
// false when they cannot be compared.
func compareType(a, b Expr) (catalog.Type, bool) {
	ta, tb := a.Type(), b.Type()
	switch {
	case ta.ID == catalog.Null && tb.ID == catalog.Null:
		return catalog.BigIntType, true
	case ta.ID == catalog.Null:
		return tb, tb.ID != catalog.Interval
	case tb.ID == catalog.Null:
		return ta, ta.ID != catalog.Interval
	case isNumberLike(ta) && isNumberLike(tb):
		return numericCommon(a, b), true
	case ta.IsTemporal() && tb.IsTemporal():
		return temporalCommon(ta, tb), true
	case ta.ID == catalog.Varchar && tb.IsTemporal():
		return tb, true
	case tb.ID == catalog.Varchar && ta.IsTemporal():
		return ta, true
	case ta.ID == catalog.Varchar && tb.ID == catalog.Varchar:
		return catalog.VarcharType, true
	case ta.ID == catalog.Varchar && isNumberLike(tb), tb.ID == catalog.Varchar && isNumberLike(ta):
		return catalog.DoubleType, true
	}
	return catalog.Type{}, false
}

func temporalCommon(a, b catalog.Type) catalog.Type {
	if a.ID == catalog.Date && b.ID == catalog.Date {
		return catalog.DateType
	}
	return catalog.TimestampType
}

// unifyType is the result type of CASE/IF/COALESCE-like expressions whose
// branches are exprs, or ok false when they do not mix.
func unifyType(a, b Expr) (catalog.Type, bool) {
	ta, tb := a.Type(), b.Type()
	switch {
	case ta.ID == catalog.Null:
		return tb, true
	case tb.ID == catalog.Null:
		return ta, true
	case ta.ID == catalog.Interval || tb.ID == catalog.Interval:
		return catalog.Type{}, false
	case ta.ID == catalog.Varchar || tb.ID == catalog.Varchar:
		return catalog.VarcharType, true
	case isNumberLike(ta) && isNumberLike(tb):
		return numericCommon(a, b), true
	case ta.IsTemporal() && tb.IsTemporal():
		return temporalCommon(ta, tb), true
	}
	return catalog.Type{}, false
}
