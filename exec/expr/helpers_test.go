package expr

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// The shared test batch: 5 rows, row 2 is NULL in every column.
var (
	tI  = &scalar.ColRef{Index: 0, Name: "i", T: catalog.BigIntType}
	tD  = &scalar.ColRef{Index: 1, Name: "d", T: catalog.DecimalType(10, 2)}
	tS  = &scalar.ColRef{Index: 2, Name: "s", T: catalog.VarcharType}
	tTS = &scalar.ColRef{Index: 3, Name: "ts", T: catalog.TimestampType}
	tF  = &scalar.ColRef{Index: 4, Name: "f", T: catalog.DoubleType}
	tB  = &scalar.ColRef{Index: 5, Name: "b", T: catalog.BooleanType}
	tDt = &scalar.ColRef{Index: 6, Name: "dt", T: catalog.DateType}
	tI4 = &scalar.ColRef{Index: 7, Name: "i4", T: catalog.IntType}
)

func testBatch(t testing.TB) arrow.RecordBatch {
	mem := memory.DefaultAllocator
	cols := []scalar.Expr{tI, tD, tS, tTS, tF, tB, tDt, tI4}
	rows := [][]any{
		{int64(1), dec("1.25", 2), "hello", ts("2024-01-31 13:45:06.789"), 2.5, true, int32(19753), int64(10)},
		{int64(-7), dec("-3.50", 2), "héllo wörld", ts("2023-02-28 00:00:00"), -2.5, false, int32(0), int64(-3)},
		{nil, nil, nil, nil, nil, nil, nil, nil},
		{int64(9223372036854775807), dec("0.05", 2), "", ts("1969-12-31 23:59:59.999"), 0.1, true, int32(-1), int64(0)},
		{int64(0), dec("100.00", 2), "  pad  ", ts("2024-02-29 12:00:00"), 1e20, false, int32(11016), int64(7)},
	}
	var fields []arrow.Field
	var arrs []arrow.Array
	for c, col := range cols {
		ref := col.(*scalar.ColRef)
		fields = append(fields, arrow.Field{Name: ref.Name, Type: ref.T.Arrow(), Nullable: true})
		b := array.NewBuilder(mem, ref.T.Arrow())
		for _, r := range rows {
			if err := appendValue(b, r[c]); err != nil {
				t.Fatal(err)
			}
		}
		arrs = append(arrs, b.NewArray())
		b.Release()
	}
	return array.NewRecordBatch(arrow.NewSchema(fields, nil), arrs, int64(len(rows)))
}

func dec(s string, scale int32) decimal128.Num {
	n, err := parseDecimal(s, 38, scale)
	if err != nil {
		panic(err)
	}
	return n
}

func ts(s string) int64 {
	v, err := parseTimestamp(s)
	if err != nil {
		panic(err)
	}
	return v
}

// Expression builders.
func lit(v any, t catalog.Type) *scalar.Literal { return &scalar.Literal{Value: v, T: t} }
func i64(v int64) *scalar.Literal               { return lit(v, catalog.BigIntType) }
func str(v string) *scalar.Literal              { return lit(v, catalog.VarcharType) }
func decLit(s string, p, sc int32) *scalar.Literal {
	return lit(dec(s, sc), catalog.DecimalType(p, sc))
}
func null(t catalog.Type) *scalar.Literal { return lit(nil, t) }
func call(f scalar.Func, t catalog.Type, args ...scalar.Expr) *scalar.Call {
	return &scalar.Call{Func: f, Args: args, T: t}
}
func cast(e scalar.Expr, t catalog.Type) *scalar.Cast { return &scalar.Cast{Arg: e, T: t} }

var boolT = catalog.BooleanType

// render prints each row of a: NULL, or the value as SQL would print it.
func render(a arrow.Array, t catalog.Type) string {
	out := make([]string, a.Len())
	for i := range out {
		v := valueAt(a, i, t)
		switch x := v.(type) {
		case nil:
			out[i] = "NULL"
		case decimal128.Num:
			out[i] = x.ToString(t.Scale)
		case int32:
			out[i] = string(appendDate(nil, int64(x)))
		default:
			if t.ID == catalog.Timestamp {
				out[i] = string(appendTimestamp(nil, v.(int64)))
			} else {
				out[i] = fmt.Sprint(v)
			}
		}
	}
	return strings.Join(out, " | ")
}

type exprCase struct {
	name string
	e    scalar.Expr
	want string // rows joined by " | ", or "error: substring"
}

var testNow = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

func runCases(t *testing.T, cases []exprCase) {
	t.Helper()
	rec := testBatch(t)
	defer rec.Release()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := evalString(rec, c.e)
			if strings.HasPrefix(c.want, "error: ") {
				if !strings.Contains(got, strings.TrimPrefix(c.want, "error: ")) || !strings.HasPrefix(got, "error: ") {
					t.Fatalf("%s\n got: %s\nwant: %s", c.e, got, c.want)
				}
				return
			}
			if got != c.want {
				t.Fatalf("%s\n got: %s\nwant: %s", c.e, got, c.want)
			}
		})
	}
}

func evalString(rec arrow.RecordBatch, e scalar.Expr) string {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	k, err := Compile(e, Options{Now: testNow})
	if err != nil {
		return "error: " + err.Error()
	}
	a, err := k.Eval(rec, mem)
	if err != nil {
		return "error: " + err.Error()
	}
	defer func() {
		a.Release()
		if mem.CurrentAlloc() != 0 {
			panic(fmt.Sprintf("%s leaks %d bytes", e, mem.CurrentAlloc()))
		}
	}()
	if a.Len() != int(rec.NumRows()) {
		return fmt.Sprintf("error: %d rows", a.Len())
	}
	if !arrow.TypeEqual(a.DataType(), k.Type().Arrow()) {
		return fmt.Sprintf("error: type %s, want %s", a.DataType(), k.Type().Arrow())
	}
	return render(a, k.Type())
}
