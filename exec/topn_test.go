package exec_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/cockroachdb/datadriven"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/internal/difftest"
)

func init() { builders["topn"] = buildTopNGolden }

// buildTopNGolden: topn partition=(<col>, ...) order=(<col> [desc], ...)
// limit=<n> builds a TopN; the row number is the last output column.
func buildTopNGolden(h *exectest.Harness, d *datadriven.TestData, in catalog.Schema, out exec.Stream) (exec.Stream, error) {
	cfg := exec.TopNConfig{Input: in.Arrow()}
	for _, a := range d.CmdArgs {
		switch a.Key {
		case "partition":
			for _, v := range a.Vals {
				c := in.Index(strings.TrimSpace(v))
				if c < 0 {
					return nil, fmt.Errorf("topn: unknown partition column %q", v)
				}
				cfg.Partition = append(cfg.Partition, c)
			}
		case "order":
			for _, v := range a.Vals {
				name, desc := strings.CutSuffix(strings.TrimSpace(v), " desc")
				c := in.Index(name)
				if c < 0 {
					return nil, fmt.Errorf("topn: unknown order column %q", v)
				}
				cfg.Order = append(cfg.Order, exec.TopNOrder{Col: c, Desc: desc})
			}
		case "limit":
			n, err := strconv.ParseInt(a.Vals[0], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("topn: limit: %w", err)
			}
			cfg.Limit = n
		}
	}
	return exec.NewTopN(cfg, out, h.Mem)
}

// TestTopNRejectedRowsAllocateNothing pushes batches none of whose rows
// enters the top: nothing is emitted and nothing is allocated, whatever
// the batch size.
func TestTopNRejectedRowsAllocateNothing(t *testing.T) {
	schema, err := exectest.ParseSchema([]string{"k:bigint", "v:bigint", "s:varchar"})
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.NewGoAllocator()
	capture := difftest.NewCapture()
	op, err := exec.NewTopN(exec.TopNConfig{Input: schema.Arrow(), Partition: []int{0},
		Order: []exec.TopNOrder{{Col: 1, Desc: true}, {Col: 2}}, Limit: 2}, capture, mem)
	if err != nil {
		t.Fatal(err)
	}
	batch := func(n int, v int64) exec.Batch {
		var rows []difftest.Change
		for i := range n {
			rows = append(rows, difftest.Change{Op: exec.Insert, Row: difftest.Row{int64(i % 50), v, "x"}})
		}
		b, err := difftest.ToBatch(schema, rows, mem)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, v := range []int64{100, 90} { // fill every partition's top 2
		b := batch(50, v)
		if err := op.Push(b); err != nil {
			t.Fatal(err)
		}
		b.Release()
	}
	emitted := len(capture.Materialized())
	for _, n := range []int{10, 1000} {
		b := batch(n, 10)
		allocs := testing.AllocsPerRun(20, func() {
			if err := op.Push(b); err != nil {
				t.Fatal(err)
			}
		})
		b.Release()
		if allocs != 0 {
			t.Errorf("%d rejected rows: %.1f allocations per Push, want 0", n, allocs)
		}
	}
	if got := len(capture.Materialized()); got != emitted {
		t.Errorf("rejected rows changed the output: %d rows, want %d", got, emitted)
	}
	if rows, bytes := op.StateSize(); rows != 100 || bytes <= 0 {
		t.Errorf("StateSize = %d rows, %d bytes; want 100 rows", rows, bytes)
	}
}
