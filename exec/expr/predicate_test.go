package expr

import (
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

func TestPredicate(t *testing.T) {
	rec := testBatch(t)
	defer rec.Release()
	cases := []struct {
		e    scalar.Expr
		want []int32
	}{
		{tB, []int32{0, 3}},
		{call(scalar.FuncOr, boolT, tB, null(boolT)), []int32{0, 3}},
		{call(scalar.FuncNot, boolT, tB), []int32{1, 4}},
		{lit(true, boolT), []int32{0, 1, 2, 3, 4}},
		{null(boolT), []int32{}},
		{call(scalar.FuncEq, boolT, call(scalar.FuncMod, catalog.BigIntType, tI4, i64(2)), i64(0)), []int32{0, 3}},
	}
	for _, c := range cases {
		p, err := CompilePredicate(c.e, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.Select(rec, memory.DefaultAllocator, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got == nil {
			got = []int32{}
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %v want %v", c.e, got, c.want)
		}
	}
	if _, err := CompilePredicate(tI, Options{}); err == nil {
		t.Error("BIGINT condition accepted")
	}
}
