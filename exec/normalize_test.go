package exec_test

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/cockroachdb/datadriven"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
)

func init() { builders["normalize"] = buildNormalize }

// buildNormalize: normalize key=(col, ...)
func buildNormalize(h *exectest.Harness, d *datadriven.TestData, in catalog.Schema, out exec.Stream) (exec.Stream, error) {
	var key []int
	for _, a := range d.CmdArgs {
		if a.Key != "key" {
			continue
		}
		for _, v := range a.Vals {
			i := in.Index(strings.TrimSpace(v))
			if i < 0 {
				return nil, fmt.Errorf("key column %s is not in the schema", v)
			}
			key = append(key, i)
		}
	}
	return exec.NewNormalize(in.Arrow(), key, out, h.Mem)
}

// TestNormalizeRandom replays random upsert streams (repeated keys, NULLs,
// deletes of unknown keys, key-only deletes, redundant -U) through
// Normalize in random batch sizes and checks that the output is a
// consistent retract stream: every -U/-D retracts exactly the row last
// emitted for its key, and the final table equals last-write-wins.
func TestNormalizeRandom(t *testing.T) {
	schema, err := exectest.ParseSchema([]string{"id:bigint", "name:varchar", "amount:decimal(18,2)", "ok:boolean", "d:date"})
	if err != nil {
		t.Fatal(err)
	}
	for seed := uint64(0); seed < 20; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		capt := &exectest.Capture{}
		op, err := exec.NewNormalize(schema.Arrow(), []int{0}, capt, mem)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{} // key → row (last write wins)
		var in []string
		for i := 0; i < 400; i++ {
			key := fmt.Sprint(rng.IntN(30))
			if rng.IntN(10) == 0 {
				key = "NULL"
			}
			switch x := rng.IntN(10); {
			case x < 2:
				in = append(in, "-D "+key+" NULL NULL NULL NULL")
				delete(want, key)
			case x < 3:
				in = append(in, "-U "+key+" zz 0.00 false 2024-01-01")
			default:
				row := fmt.Sprintf("%s %s %s %s %s", key, randName(rng), randAmount(rng), []string{"true", "false", "NULL"}[rng.IntN(3)], "2024-01-0"+fmt.Sprint(1+rng.IntN(2)))
				in = append(in, []string{"+I ", "+U "}[rng.IntN(2)]+row)
				want[key] = row
			}
		}
		for len(in) > 0 {
			n := min(len(in), 1+rng.IntN(40))
			b, err := exectest.ParseBatch(schema, strings.Join(in[:n], "\n"), mem)
			if err != nil {
				t.Fatal(err)
			}
			in = in[n:]
			if err := op.Push(b); err != nil {
				t.Fatal(err)
			}
			b.Release()
		}
		got := replayRetract(t, capt.Take())
		if g, w := sortedRows(got), sortedRows(want); g != w {
			t.Fatalf("seed %d: final table\n%s\nwant\n%s", seed, g, w)
		}
		if rows, _ := op.StateSize(); rows != int64(len(want)) {
			t.Errorf("seed %d: state rows %d, want %d", seed, rows, len(want))
		}
		mem.AssertSize(t, 0)
	}
}

func randName(rng *rand.Rand) string {
	if rng.IntN(8) == 0 {
		return "NULL"
	}
	return []string{"ann", "bob", "'c d'", "x"}[rng.IntN(4)]
}

func randAmount(rng *rand.Rand) string {
	if rng.IntN(8) == 0 {
		return "NULL"
	}
	return fmt.Sprintf("%d.%02d", rng.IntN(3), rng.IntN(2)*50)
}

// replayRetract applies a rendered retract stream to a table keyed by the
// first value, checking that each retraction matches the stored row.
func replayRetract(t *testing.T, out string) map[string]string {
	t.Helper()
	table := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		op, row, _ := strings.Cut(line, " ")
		key, _, _ := strings.Cut(row, " ")
		cur, ok := table[key]
		switch op {
		case "+I":
			if ok {
				t.Fatalf("+I of existing key: %s (stored %s)", line, cur)
			}
			table[key] = row
		case "-U", "-D":
			if !ok || cur != row {
				t.Fatalf("%s retracts %q, stored %q (present %v)", op, row, cur, ok)
			}
			delete(table, key)
		case "+U":
			if ok {
				t.Fatalf("+U without -U: %s", line)
			}
			table[key] = row
		}
	}
	return table
}

func sortedRows(m map[string]string) string {
	var rows []string
	for _, r := range m {
		rows = append(rows, r)
	}
	sort.Strings(rows)
	return strings.Join(rows, "\n")
}
