package exec_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/internal/difftest"
	"github.com/sqlstream/sqlstream/planner"
)

// The join's differential test: random changelogs on both sides (keys
// from a small domain, NULLs, duplicates, updates, deletes) interleaved
// in random batches, every join type, with and without a residual. The
// operator's output, materialized as a multiset, must equal DuckDB's join
// of the two sides' final tables.

var diffResiduals = []string{"", "lv < rv", "a <> b OR lv IS NULL"}

func TestJoinDifferential(t *testing.T) {
	db, err := difftest.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for seed := uint64(1); seed <= 12; seed++ {
		for _, typ := range []planner.JoinType{planner.InnerJoin, planner.LeftJoin, planner.RightJoin, planner.FullJoin} {
			for _, res := range diffResiduals {
				t.Run(fmt.Sprintf("seed=%d/%s/%s", seed, typ, res), func(t *testing.T) {
					diffJoin(t, db, seed, typ, res)
				})
			}
		}
	}
}

func diffJoin(t *testing.T, db *difftest.DB, seed uint64, typ planner.JoinType, residual string) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ls := mustSchema(t, "lk:bigint", "a:varchar", "lv:bigint")
	rs := mustSchema(t, "rk:bigint", "b:varchar", "rv:bigint")
	all := catalog.Schema{Columns: append(append([]catalog.Column(nil), ls.Columns...), rs.Columns...)}
	cfg := exec.JoinConfig{Type: typ, Left: ls.Arrow(), Right: rs.Arrow(), Out: all.Arrow(), LeftKeys: []int{0}, RightKeys: []int{0}}
	on := "lk = rk"
	if seed%3 == 0 { // a two-column key: the byte-string key table
		cfg.LeftKeys, cfg.RightKeys = []int{0, 1}, []int{0, 1}
		on = "lk = rk AND a = b"
	}
	if residual != "" {
		p, err := exectest.CompilePredicate(all, residual, exectest.NewHarness(nil).Now)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Residual = p
	}
	out := difftest.NewCapture()
	j, err := exec.NewJoin(cfg, out, mem)
	if err != nil {
		t.Fatal(err)
	}
	// Odd seeds use two values per column, so key groups grow long
	// and duplicates abound.
	domain := 6 - 4*int(seed%2)
	left := difftest.Gen{Schema: ls, Domain: domain}.Changelog(seed, 250)
	right := difftest.Gen{Schema: rs, Domain: domain}.Changelog(seed+1000, 250)
	pushInterleaved(t, j, [2]catalog.Schema{ls, rs}, [2][][]difftest.Change{
		difftest.Split(left, seed, 9), difftest.Split(right, seed+1, 9)}, seed, mem)
	if err := out.Err(); err != nil {
		t.Fatal(err)
	}
	lrows, err1 := difftest.Apply(ls, left)
	rrows, err2 := difftest.Apply(rs, right)
	for _, err := range []error{err1, err2, db.Load("l", ls, lrows), db.Load("r", rs, rrows)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if residual != "" {
		on += " AND (" + residual + ")"
	}
	want, err := db.Query(fmt.Sprintf("SELECT * FROM l %s JOIN r ON %s", strings.ToUpper(typ.String()), on))
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("DuckDB's join is empty: the test proves nothing")
	}
	if d := difftest.Diff(out.Materialized(), want, 0); d != "" {
		t.Errorf("join differs from DuckDB (%d rows left, %d right):\n%s", len(lrows), len(rrows), d)
	}
}

// pushInterleaved pushes both sides' batches in a random interleaving.
func pushInterleaved(t *testing.T, j *exec.Join, schemas [2]catalog.Schema, batches [2][][]difftest.Change, seed uint64, mem memory.Allocator) {
	t.Helper()
	ports := [2]exec.Stream{j.Left(), j.Right()}
	r := rand.New(rand.NewPCG(seed, 99))
	for len(batches[0])+len(batches[1]) > 0 {
		i := r.IntN(2)
		if len(batches[i]) == 0 {
			i = 1 - i
		}
		b, err := difftest.ToBatch(schemas[i], batches[i][0], mem)
		if err != nil {
			t.Fatal(err)
		}
		batches[i] = batches[i][1:]
		err = ports[i].Push(b)
		b.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestJoinAggDifferential chains a join into a HashAgg (join → aggregate):
// the aggregate must follow the join's retractions, including the NULL
// padding flips of an outer join.
func TestJoinAggDifferential(t *testing.T) {
	db, err := difftest.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for seed := uint64(1); seed <= 8; seed++ {
		for _, typ := range []planner.JoinType{planner.InnerJoin, planner.LeftJoin, planner.FullJoin} {
			t.Run(fmt.Sprintf("seed=%d/%s", seed, typ), func(t *testing.T) { diffJoinAgg(t, db, seed, typ) })
		}
	}
}

func diffJoinAgg(t *testing.T, db *difftest.DB, seed uint64, typ planner.JoinType) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ls := mustSchema(t, "lk:bigint", "a:varchar", "lv:bigint")
	rs := mustSchema(t, "rk:bigint", "b:varchar", "rv:bigint")
	all := catalog.Schema{Columns: append(append([]catalog.Column(nil), ls.Columns...), rs.Columns...)}
	aggOut := mustSchema(t, "lk:bigint", "n:bigint", "nrv:bigint", "srv:decimal(38,0)", "mb:varchar")
	out := difftest.NewCapture()
	h, err := exec.NewHashAgg(exec.HashAggConfig{Input: all, GroupBy: []int{0}, Output: aggOut.Arrow(), Aggs: []planner.AggCall{
		{Func: planner.AggCountStar, Arg: -1, Filter: -1, T: catalog.BigIntType},
		{Func: planner.AggCount, Arg: 5, Filter: -1, T: catalog.BigIntType},
		{Func: planner.AggSum, Arg: 5, Filter: -1, T: catalog.DecimalType(38, 0)},
		{Func: planner.AggMax, Arg: 4, Filter: -1, T: catalog.VarcharType},
	}}, out, mem)
	if err != nil {
		t.Fatal(err)
	}
	j, err := exec.NewJoin(exec.JoinConfig{Type: typ, Left: ls.Arrow(), Right: rs.Arrow(), Out: all.Arrow(),
		LeftKeys: []int{0}, RightKeys: []int{0}}, h, mem)
	if err != nil {
		t.Fatal(err)
	}
	domain := 6 - 4*int(seed%2)
	left := difftest.Gen{Schema: ls, Domain: domain}.Changelog(seed, 200)
	right := difftest.Gen{Schema: rs, Domain: domain}.Changelog(seed+1000, 200)
	pushInterleaved(t, j, [2]catalog.Schema{ls, rs}, [2][][]difftest.Change{
		difftest.Split(left, seed, 9), difftest.Split(right, seed+1, 9)}, seed, mem)
	if err := out.Err(); err != nil {
		t.Fatal(err)
	}
	lrows, err1 := difftest.Apply(ls, left)
	rrows, err2 := difftest.Apply(rs, right)
	for _, err := range []error{err1, err2, db.Load("l", ls, lrows), db.Load("r", rs, rrows)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	want, err := db.Query(fmt.Sprintf("SELECT lk, COUNT(*), COUNT(rv), SUM(rv), MAX(b) FROM l %s JOIN r ON lk = rk GROUP BY lk",
		strings.ToUpper(typ.String())))
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("DuckDB's result is empty: the test proves nothing")
	}
	if d := difftest.Diff(out.Materialized(), want, 0); d != "" {
		t.Errorf("join → aggregate differs from DuckDB:\n%s", d)
	}
}
