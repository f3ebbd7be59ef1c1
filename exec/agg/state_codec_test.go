package agg_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/agg"
	"github.com/sqlstream/sqlstream/planner"
)

// TestStateRoundTrip folds random changes (200 distinct values, so MIN/MAX
// sets and DISTINCT sets outgrow their small forms, and retractions of
// live values) into every accumulator kind, copies each group's state
// into a new accumulator through AppendState/RestoreState, feeds both the
// same further changes, and compares their results group by group, then
// the states written again.
func TestStateRoundTrip(t *testing.T) {
	funcs := []planner.AggFunc{planner.AggCount, planner.AggSum, planner.AggAvg, planner.AggMin, planner.AggMax}
	types := []catalog.Type{catalog.BigIntType, catalog.IntType, catalog.DoubleType, catalog.DecimalType(10, 2),
		catalog.VarcharType, catalog.TimestampType, catalog.BooleanType}
	for _, typ := range types {
		for _, f := range funcs {
			for _, distinct := range []bool{false, true} {
				for _, appendOnly := range []bool{false, true} {
					res, ok := exec.AggResultType(f, typ)
					if !ok {
						continue
					}
					spec := agg.Spec{Func: f, Distinct: distinct, Arg: typ, Result: res, AppendOnly: appendOnly}
					name := fmt.Sprintf("%s/%s/distinct=%v/append-only=%v", f, typ, distinct, appendOnly)
					t.Run(name, func(t *testing.T) { roundTrip(t, spec) })
				}
			}
		}
	}
}

const rtGroups = 5

func roundTrip(t *testing.T, spec agg.Spec) {
	mem := memory.NewGoAllocator()
	r := rand.New(rand.NewPCG(1, 2))
	a, err := agg.New(spec)
	if err != nil {
		t.Fatal(err)
	}
	a.Grow(rtGroups)
	live := make([][]int, rtGroups) // values (as draws) per group
	feed := func(accs ...agg.Acc) {
		for range 20 {
			gids, signs, draws := changes(r, live, !spec.AppendOnly)
			arg := argArray(mem, spec.Arg, draws)
			for _, acc := range accs {
				acc.Update(arg, gids, signs)
			}
			arg.Release()
		}
	}
	feed(a)
	b, err := agg.New(spec)
	if err != nil {
		t.Fatal(err)
	}
	b.Grow(rtGroups)
	for g := range int32(rtGroups) {
		st := a.(agg.State).AppendState([]byte{0xAB}, g)
		rest, err := b.(agg.State).RestoreState(st[1:], g)
		if err != nil {
			t.Fatalf("group %d: %v", g, err)
		}
		if len(rest) != 0 {
			t.Fatalf("group %d: %d bytes left", g, len(rest))
		}
	}
	if got, want := results(mem, spec, b), results(mem, spec, a); got != want {
		t.Fatalf("restored results %s, want %s", got, want)
	}
	feed(a, b)
	if got, want := results(mem, spec, b), results(mem, spec, a); got != want {
		t.Fatalf("results after more changes %s, want %s", got, want)
	}
	for g := range int32(rtGroups) {
		if sa, sb := a.(agg.State).AppendState(nil, g), b.(agg.State).AppendState(nil, g); len(sa) != len(sb) {
			t.Fatalf("group %d: state of %d bytes, restored one writes %d", g, len(sa), len(sb))
		}
	}
}

// changes draws a batch of 100 rows: inserts of one of 200 values into a
// random group, and with retract, retractions of a live value.
func changes(r *rand.Rand, live [][]int, retract bool) ([]int32, []int8, []int) {
	var gids []int32
	var signs []int8
	var draws []int
	for range 100 {
		g := r.IntN(len(live))
		if retract && len(live[g]) > 0 && r.IntN(3) == 0 {
			i := r.IntN(len(live[g]))
			draws = append(draws, live[g][i])
			live[g][i] = live[g][len(live[g])-1]
			live[g] = live[g][:len(live[g])-1]
			signs = append(signs, -1)
		} else {
			d := r.IntN(200)
			live[g] = append(live[g], d)
			draws = append(draws, d)
			signs = append(signs, 1)
		}
		gids = append(gids, int32(g))
	}
	return gids, signs, draws
}

// argArray builds the argument column of draws for type t.
func argArray(mem memory.Allocator, t catalog.Type, draws []int) arrow.Array {
	b := array.NewBuilder(mem, t.Arrow())
	defer b.Release()
	for _, d := range draws {
		v := int64(d) - 100
		switch b := b.(type) {
		case *array.Int64Builder:
			b.Append(v * 1_000_000_007)
		case *array.Int32Builder:
			b.Append(int32(v))
		case *array.Float64Builder:
			b.Append(float64(v) / 7)
		case *array.Decimal128Builder:
			b.Append(decimal128.FromI64(v * 12345))
		case *array.StringBuilder:
			b.Append(fmt.Sprintf("v%03d", d))
		case *array.TimestampBuilder:
			b.Append(arrow.Timestamp(v * 3_600_000))
		case *array.BooleanBuilder:
			b.Append(d%2 == 0)
		}
	}
	return b.NewArray()
}

// results formats every group's result.
func results(mem memory.Allocator, spec agg.Spec, a agg.Acc) string {
	b := array.NewBuilder(mem, spec.Result.Arrow())
	defer b.Release()
	gs := make([]int32, rtGroups)
	for i := range gs {
		gs[i] = int32(i)
	}
	a.Append(gs, b)
	arr := b.NewArray()
	defer arr.Release()
	return arr.String()
}
