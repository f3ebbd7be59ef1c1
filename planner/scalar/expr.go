package scalar

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/sqlstream/sqlstream/catalog"
)

// Expr is a bound, typed scalar expression over the columns of one input
// row. The binder (Bind in this package) produces it from TiDB's AST; exec/expr
// compiles it once per plan into columnar kernels. Expr trees are immutable.
type Expr interface {
	// Type is the result type.
	Type() catalog.Type
	// String renders the expression for EXPLAIN, with column names.
	String() string
	expr()
}

// ColRef reads column Index of the input row.
type ColRef struct {
	Index int
	Name  string // for EXPLAIN only
	T     catalog.Type
}

// Literal is a constant. Value holds, by T.ID:
//
//	Null: nil   Boolean: bool   Int, BigInt: int64   Double: float64
//	Decimal: decimal128.Num (unscaled, at T.Scale)   Varchar: string
//	Date: int32 days since epoch   Timestamp: int64 ms since epoch
//	Interval: IntervalValue
//
// A typed NULL (e.g. CAST(NULL AS INT)) has Value nil and a non-Null T.
type Literal struct {
	Value any
	T     catalog.Type
}

// IntervalValue is an INTERVAL literal: calendar months plus an exact
// number of milliseconds (days, hours, ... are converted to milliseconds).
type IntervalValue struct {
	Months int32
	Millis int64
}

// Call applies a built-in function or operator to its arguments.
type Call struct {
	Func Func
	Args []Expr
	T    catalog.Type
}

// Cast converts Arg to T (CAST(x AS t), and implicit coercions the binder
// inserts so that kernels always see arguments of the types they expect).
type Cast struct {
	Arg Expr
	T   catalog.Type
}

// Case is CASE [Operand] WHEN ... THEN ... [ELSE ...] END. With an Operand,
// each When.Cond is a value compared for equality with the operand; without,
// each When.Cond is a BOOLEAN. Else is nil for ELSE NULL.
type Case struct {
	Operand Expr
	Whens   []When
	Else    Expr
	T       catalog.Type
}

// When is one WHEN cond THEN result arm.
type When struct {
	Cond, Then Expr
}

func (*ColRef) expr()  {}
func (*Literal) expr() {}
func (*Call) expr()    {}
func (*Cast) expr()    {}
func (*Case) expr()    {}

func (e *ColRef) Type() catalog.Type  { return e.T }
func (e *Literal) Type() catalog.Type { return e.T }
func (e *Call) Type() catalog.Type    { return e.T }
func (e *Cast) Type() catalog.Type    { return e.T }
func (e *Case) Type() catalog.Type    { return e.T }

func (e *ColRef) String() string { return e.Name }
func (e *Literal) String() string {
	switch v := e.Value.(type) {
	case nil:
		return "NULL"
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case IntervalValue:
		return fmt.Sprintf("INTERVAL(%dmon %dms)", v.Months, v.Millis)
	case decimal128.Num:
		return v.ToString(e.T.Scale)
	case bool:
		return strings.ToUpper(fmt.Sprint(v))
	case int32:
		if e.T.ID == catalog.Date {
			return "DATE '" + formatDate(v) + "'"
		}
	case int64:
		if e.T.ID == catalog.Timestamp {
			return "TIMESTAMP '" + formatTimestamp(v) + "'"
		}
	}
	return fmt.Sprint(e.Value)
}
func (e *Cast) String() string { return fmt.Sprintf("CAST(%s AS %s)", e.Arg, e.T) }
func (e *Case) String() string {
	var b strings.Builder
	b.WriteString("CASE")
	if e.Operand != nil {
		b.WriteString(" " + e.Operand.String())
	}
	for _, w := range e.Whens {
		fmt.Fprintf(&b, " WHEN %s THEN %s", w.Cond, w.Then)
	}
	if e.Else != nil {
		fmt.Fprintf(&b, " ELSE %s", e.Else)
	}
	b.WriteString(" END")
	return b.String()
}
func (e *Call) String() string {
	info := e.Func.Info()
	args := make([]string, len(e.Args))
	for i, a := range e.Args {
		args[i] = a.String()
	}
	if e.Func == FuncTimestampDiff && len(e.Args) > 0 {
		if lit, ok := e.Args[0].(*Literal); ok {
			args[0], _ = lit.Value.(string) // the unit, printed bare as written
		}
	}
	switch {
	case info.Infix != "" && len(args) == 2:
		return "(" + args[0] + " " + info.Infix + " " + args[1] + ")"
	case info.Infix != "" && len(args) == 1:
		return info.Infix + args[0]
	}
	return info.Name + "(" + strings.Join(args, ", ") + ")"
}
