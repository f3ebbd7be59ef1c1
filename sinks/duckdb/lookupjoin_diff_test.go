package duckdb

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/planner"
)

// Differential test of the lookup join over the store's lookup, through a
// small cache, into a view without a key (the multiset writer): after a
// random changelog, the view equals DuckDB's join of the final input.

var (
	ljInput = catalog.Schema{Columns: []catalog.Column{
		{Name: "acct", Type: catalog.BigIntType}, {Name: "branch", Type: catalog.BigIntType}, {Name: "amt", Type: catalog.BigIntType},
	}}
	ljDim = catalog.Schema{Columns: []catalog.Column{
		{Name: "branch_id", Type: catalog.BigIntType}, {Name: "name", Type: catalog.VarcharType}, {Name: "lvl", Type: catalog.BigIntType},
	}}
)

// amtAtMostLvl is the residual amt <= lvl over input ++ table columns.
type amtAtMostLvl struct{}

func (amtAtMostLvl) Select(rec arrow.RecordBatch, _ memory.Allocator, dst []int32) ([]int32, error) {
	amt, lvl := rec.Column(2).(*array.Int64), rec.Column(5).(*array.Int64)
	dst = dst[:0]
	for i := range int(rec.NumRows()) {
		if amt.IsValid(i) && lvl.IsValid(i) && amt.Value(i) <= lvl.Value(i) {
			dst = append(dst, int32(i))
		}
	}
	return dst, nil
}

type ljRow struct{ acct, branch, amt int64 } // branch < 0 is NULL

// ljChangelog returns random batches of inserts, updates and deletes and
// the rows live at the end.
func ljChangelog(rng *rand.Rand, batches, perBatch int) ([][]ljRow, [][]exec.Op, []ljRow) {
	var live []ljRow
	var rows [][]ljRow
	var ops [][]exec.Op
	next := int64(0)
	newRow := func() ljRow {
		next++
		return ljRow{acct: next % 7, branch: int64(rng.IntN(25)) - 2, amt: int64(rng.IntN(10))}
	}
	for range batches {
		var br []ljRow
		var bo []exec.Op
		for range perBatch {
			switch p := rng.IntN(10); {
			case p < 2 && len(live) > 0:
				i := rng.IntN(len(live))
				br, bo = append(br, live[i]), append(bo, exec.Delete)
				live = append(live[:i], live[i+1:]...)
			case p < 4 && len(live) > 0:
				i := rng.IntN(len(live))
				nr := newRow()
				br, bo = append(br, live[i], nr), append(bo, exec.UpdateBefore, exec.UpdateAfter)
				live[i] = nr
			default:
				nr := newRow()
				br, bo = append(br, nr), append(bo, exec.Insert)
				live = append(live, nr)
			}
		}
		rows, ops = append(rows, br), append(ops, bo)
	}
	return rows, ops, live
}

func ljBatch(rows []ljRow, ops []exec.Op) exec.Batch {
	b := array.NewRecordBuilder(memory.DefaultAllocator, ljInput.Arrow())
	defer b.Release()
	for _, r := range rows {
		b.Field(0).(*array.Int64Builder).Append(r.acct)
		if r.branch < 0 {
			b.Field(1).AppendNull()
		} else {
			b.Field(1).(*array.Int64Builder).Append(r.branch)
		}
		b.Field(2).(*array.Int64Builder).Append(r.amt)
	}
	return exec.Batch{Rec: b.NewRecordBatch(), Ops: ops}
}

// ljDimTable creates the dimension: branches 0..19, some twice, lvl 0..9.
func ljDimTable(t testing.TB, s *Store, rng *rand.Rand, n int) *catalog.Table {
	tab := &catalog.Table{Name: "dim", Schema: ljDim}
	if err := s.InitTable(&planner.TableInit{Table: tab}); err != nil {
		t.Fatal(err)
	}
	q := fmt.Sprintf("INSERT INTO dim SELECT i %% %d, 'branch ' || i, %d + (i * 7919) %% 10 FROM range(%d) t(i)", n*4/5, rng.IntN(2), n)
	if err := s.exec(q); err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestLookupJoinDifferential(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			s := openMem(t)
			tab := ljDimTable(t, s, rng, 25)
			left := seed%2 == 0
			out := catalog.Schema{Columns: append(append([]catalog.Column(nil), ljInput.Columns...), ljDim.Columns...)}
			w, err := s.ViewWriter(&catalog.View{Name: "out", Schema: out, Changelog: catalog.Retract})
			if err != nil {
				t.Fatal(err)
			}
			lt, err := s.Lookup(tab, []int{0})
			if err != nil {
				t.Fatal(err)
			}
			j, err := exec.NewLookupJoin(exec.LookupJoinConfig{
				Table: exec.NewCachedLookup(lt, 5, 0, nil), Name: "dim", Left: left, InputKeys: []int{1},
				Residual: amtAtMostLvl{}, Schema: out.Arrow(), InputWidth: ljInput.Len(),
			}, w, memory.DefaultAllocator)
			if err != nil {
				t.Fatal(err)
			}
			rows, ops, live := ljChangelog(rng, 30, 40)
			for i := range rows {
				push(t, j, ljBatch(rows[i], ops[i]))
				if i%7 == 6 {
					commit(t, s, uint64(i))
				}
			}
			if err := j.Close(); err != nil {
				t.Fatal(err)
			}
			final, err := s.ViewWriter(&catalog.View{Name: "final_input", Schema: ljInput})
			if err != nil {
				t.Fatal(err)
			}
			if len(live) > 0 {
				push(t, final, ljBatch(live, nil))
			}
			commit(t, s, 1000)
			kind := "JOIN"
			if left {
				kind = "LEFT JOIN"
			}
			want := queryString(t, s, "SELECT * FROM final_input AS i "+kind+" dim AS d ON d.branch_id = i.branch AND i.amt <= d.lvl ORDER BY ALL")
			expect(t, queryString(t, s, "SELECT * FROM out ORDER BY ALL"), want)
		})
	}
}
