package planner

import (
	"strconv"
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/catalog/sqlval"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// exprString renders a bound expression as EXPLAIN prints it: SQL-like,
// with column names, binary operators parenthesized, and literals in their
// SQL spelling (DECIMAL digits, TIMESTAMP '...').
func exprString(e scalar.Expr) string {
	switch e := e.(type) {
	case *scalar.ColRef:
		return e.Name
	case *scalar.Literal:
		return literalText(e)
	case *scalar.Cast:
		return "CAST(" + exprString(e.Arg) + " AS " + e.T.String() + ")"
	case *scalar.Case:
		return caseString(e)
	case *scalar.Call:
		return callString(e)
	}
	return e.String()
}

func callString(e *scalar.Call) string {
	args := make([]string, len(e.Args))
	for i, a := range e.Args {
		args[i] = exprString(a)
	}
	info := e.Func.Info()
	switch {
	case e.Func == scalar.FuncIsNull && len(args) == 1:
		return "(" + args[0] + " IS NULL)"
	case e.Func == scalar.FuncIsNotNull && len(args) == 1:
		return "(" + args[0] + " IS NOT NULL)"
	case e.Func == scalar.FuncIn && len(args) > 0:
		return "(" + args[0] + " IN (" + strings.Join(args[1:], ", ") + "))"
	case e.Func == scalar.FuncBetween && len(args) == 3:
		return "(" + args[0] + " BETWEEN " + args[1] + " AND " + args[2] + ")"
	case e.Func == scalar.FuncLike && len(args) >= 2:
		return "(" + args[0] + " LIKE " + args[1] + ")"
	case info.Infix != "" && len(args) == 2:
		return "(" + args[0] + " " + info.Infix + " " + args[1] + ")"
	case info.Infix != "" && len(args) == 1:
		return info.Infix + args[0]
	}
	return info.Name + "(" + strings.Join(args, ", ") + ")"
}

func caseString(e *scalar.Case) string {
	var b strings.Builder
	b.WriteString("CASE")
	if e.Operand != nil {
		b.WriteString(" " + exprString(e.Operand))
	}
	for _, w := range e.Whens {
		b.WriteString(" WHEN " + exprString(w.Cond) + " THEN " + exprString(w.Then))
	}
	if e.Else != nil {
		b.WriteString(" ELSE " + exprString(e.Else))
	}
	b.WriteString(" END")
	return b.String()
}

// literalText renders a constant in SQL.
func literalText(l *scalar.Literal) string {
	if l.Value == nil {
		return "NULL"
	}
	switch v := l.Value.(type) {
	case bool:
		if v {
			return "TRUE"
		}
		return "FALSE"
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case scalar.IntervalValue:
		return intervalText(v)
	case int32:
		if l.T.ID == catalog.Date {
			return "DATE '" + string(sqlval.AppendDate(nil, int64(v))) + "'"
		}
	case int64:
		if l.T.ID == catalog.Timestamp {
			return "TIMESTAMP '" + string(sqlval.AppendTimestamp(nil, v, sqlval.FracMillis)) + "'"
		}
	}
	if d, ok := decimalValue(l); ok {
		return d.ToString(l.T.Scale)
	}
	return l.String()
}

func intervalText(v scalar.IntervalValue) string {
	var parts []string
	if v.Months != 0 {
		parts = append(parts, strconv.Itoa(int(v.Months))+" MONTH")
	}
	if v.Millis != 0 || v.Months == 0 {
		parts = append(parts, formatMillis(v.Millis))
	}
	return "INTERVAL " + strings.Join(parts, " ")
}

// formatMillis renders a duration in its largest exact unit: 4s, 5m, 1h,
// 2d, 1500ms.
func formatMillis(ms int64) string {
	units := []struct {
		ms   int64
		name string
	}{{msPerDay, "d"}, {3600_000, "h"}, {60_000, "m"}, {1000, "s"}}
	for _, u := range units {
		if ms != 0 && ms%u.ms == 0 {
			return strconv.FormatInt(ms/u.ms, 10) + u.name
		}
	}
	return strconv.FormatInt(ms, 10) + "ms"
}

// stripParens removes one pair of parentheses enclosing all of s,
// ignoring parentheses inside string literals.
func stripParens(s string) string {
	if len(s) < 2 || s[0] != '(' || s[len(s)-1] != ')' {
		return s
	}
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 && i < len(s)-1 {
				return s
			}
		}
	}
	return s[1 : len(s)-1]
}
