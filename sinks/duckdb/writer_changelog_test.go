package duckdb

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// TestChangelogNettedMatchesSQL applies random keyed changelogs (composite
// keys with NULLs, several batches per commit, keys changed many times per
// commit) through the netted path and through flushChangelogSQL, and
// checks after every commit that both views equal the expected state.
func TestChangelogNettedMatchesSQL(t *testing.T) {
	for _, mode := range []catalog.ChangelogMode{catalog.Retract, catalog.Upsert} {
		for seed := range uint64(4) {
			t.Run(fmt.Sprintf("%s/%d", mode, seed), func(t *testing.T) { checkNetted(t, mode, seed) })
		}
	}
}

var nettedSchema = catalog.Schema{Columns: []catalog.Column{
	{Name: "r", Type: catalog.VarcharType}, {Name: "b", Type: catalog.IntType},
	{Name: "v", Type: catalog.BigIntType}, {Name: "ts", Type: catalog.TimestampType},
}}

func checkNetted(t *testing.T, mode catalog.ChangelogMode, seed uint64) {
	s := openMem(t)
	var ws [2]*writer
	for i, name := range []string{"netted", "viasql"} {
		st, err := s.ViewWriter(&catalog.View{Name: name, Schema: nettedSchema, Key: []int{0, 1}, Changelog: mode})
		if err != nil {
			t.Fatal(err)
		}
		ws[i] = st.(*writer)
	}
	ws[1].viaSQL = true
	rng := rand.New(rand.NewPCG(seed, 7))
	model := map[string]string{} // key JSON -> row JSON
	for epoch := uint64(1); epoch <= 12; epoch++ {
		for range 1 + rng.IntN(4) {
			rows, ops := randomChanges(rng, model, mode, 1+rng.IntN(30))
			for _, w := range ws {
				push(t, w, batch(t, nettedSchema, ops, "["+strings.Join(rows, ",")+"]"))
			}
		}
		commit(t, s, epoch)
		want := queryString(t, s, "SELECT * FROM viasql ORDER BY ALL NULLS FIRST")
		expect(t, queryString(t, s, "SELECT * FROM netted ORDER BY ALL NULLS FIRST"), want)
		if n := strings.Count(want, "\n") - 1; n != len(model) {
			t.Fatalf("epoch %d: view holds %d rows, model %d", epoch, n, len(model))
		}
	}
}

// randomChanges returns n well-formed changes for mode against model,
// updating it: a retract stream inserts absent keys with +I and updates
// with -U/+U; an upsert stream may insert with +U and update without -U.
func randomChanges(rng *rand.Rand, model map[string]string, mode catalog.ChangelogMode, n int) ([]string, []exec.Op) {
	var rows []string
	var ops []exec.Op
	add := func(row string, op exec.Op) { rows, ops = append(rows, row), append(ops, op) }
	for range n {
		r := []string{"null", `"eu"`, `"us"`, `"jp"`}[rng.IntN(4)]
		b := []string{"null", "1", "2"}[rng.IntN(3)]
		key := fmt.Sprintf(`"r": %s, "b": %s`, r, b)
		row := fmt.Sprintf(`{%s, "v": %d, "ts": %d}`, key, rng.IntN(5), 1704164645120+rng.IntN(3))
		old, present := model[key]
		switch {
		case !present && mode == catalog.Upsert && rng.IntN(2) == 0:
			add(row, exec.UpdateAfter)
		case !present:
			add(row, exec.Insert)
		case rng.IntN(3) == 0:
			add(old, exec.Delete)
			delete(model, key)
			continue
		case mode == catalog.Retract:
			add(old, exec.UpdateBefore)
			add(row, exec.UpdateAfter)
		default:
			add(row, exec.UpdateAfter)
		}
		model[key] = row
	}
	return rows, ops
}
