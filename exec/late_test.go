package exec

import (
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
)

// lateRef is the per-row definition: row i is late when its time is below
// max(earlier non-NULL times) - delay; NULL times are never late.
func lateRef(ts []int64, valid []bool, delay int64) (late []int, lateWm []int64) {
	wm := MinWatermark
	for i, t := range ts {
		if !valid[i] {
			continue
		}
		if t < wm {
			late, lateWm = append(late, i), append(lateWm, wm)
			continue
		}
		wm = max(wm, t-delay)
	}
	return late, lateWm
}

// TestLateSplitAnyBatching checks scan against lateRef for the same rows
// cut into batches of every size (slices, so array offsets are exercised
// too): which rows are late, the watermark each was behind, and the
// watermark after each batch.
func TestLateSplitAnyBatching(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rng := rand.New(rand.NewSource(7))
	const n, delay = 300, 50
	ts, valid := make([]int64, n), make([]bool, n)
	tb := array.NewTimestampBuilder(mem, &arrow.TimestampType{Unit: arrow.Millisecond})
	defer tb.Release()
	for i := range ts {
		ts[i] = int64(i*10 + rng.Intn(200) - 100) // mostly rising, often out of order
		valid[i] = rng.Intn(10) != 0
		if valid[i] {
			tb.Append(arrow.Timestamp(ts[i]))
		} else {
			tb.AppendNull()
		}
	}
	col := tb.NewArray()
	defer col.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "ts", Type: col.DataType(), Nullable: true}}, nil)
	rec := array.NewRecordBatch(schema, []arrow.Array{col}, n)
	defer rec.Release()
	wantLate, wantWm := lateRef(ts, valid, delay)
	if len(wantLate) < 10 {
		t.Fatalf("test data has only %d late rows", len(wantLate))
	}
	for _, size := range []int{1, 2, 3, 7, 64, 299, 300} {
		l := newLateSplit(&catalog.Watermark{Column: 0, DelayMs: delay})
		wm := MinWatermark
		var gotLate []int
		var gotWm []int64
		for start := 0; start < n; start += size {
			end := min(start+size, n)
			part := rec.NewSlice(int64(start), int64(end))
			after, nLate, err := l.scan(part, wm)
			part.Release()
			if err != nil {
				t.Fatal(err)
			}
			if nLate != len(l.late) || (nLate > 0 && len(l.on)+nLate != end-start) {
				t.Fatalf("size %d: %d late, %d on time for %d rows", size, nLate, len(l.on), end-start)
			}
			for j, i := range l.late {
				gotLate = append(gotLate, start+int(i))
				gotWm = append(gotWm, l.lateWm[j])
			}
			// The watermark after the batch is the one after its last row.
			want := MinWatermark
			for i := 0; i < end; i++ {
				if valid[i] {
					want = max(want, ts[i]-delay)
				}
			}
			if after != want {
				t.Fatalf("size %d: watermark after rows [%d, %d) = %d, want %d", size, start, end, after, want)
			}
			wm = after
		}
		if !slices.Equal(gotLate, wantLate) || !slices.Equal(gotWm, wantWm) {
			t.Errorf("size %d: late rows %v (watermarks %v)\nwant %v (%v)", size, gotLate, gotWm, wantLate, wantWm)
		}
	}
}

// TestLateBatch checks the late rows' batch: the rows, the op column of a
// changelog source and the watermark column.
func TestLateBatch(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	def := &catalog.Source{
		Name: "s", Changelog: catalog.Retract, Watermark: &catalog.Watermark{Column: 1},
		Schema: catalog.Schema{Columns: []catalog.Column{
			{Name: "id", Type: catalog.BigIntType, NotNull: true}, {Name: "ts", Type: catalog.TimestampType},
		}},
	}
	rec, _, err := array.RecordFromJSON(mem, def.Schema.Arrow(), strings.NewReader(`[
		{"id": 1, "ts": 100}, {"id": 2, "ts": 50}, {"id": 3, "ts": null}, {"id": 4, "ts": 99}, {"id": 5, "ts": 200}]`))
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	b := Batch{Rec: rec, Ops: []Op{Insert, Delete, Insert, UpdateAfter, Insert}}
	l := newLateSplit(def.Watermark)
	wm, nLate, err := l.scan(rec, 60)
	if err != nil || nLate != 2 || wm != 200 || !slices.Equal(l.on, []int32{0, 2, 4}) {
		t.Fatalf("scan = %d, %d, %v; on time %v", wm, nLate, err, l.on)
	}
	lb, err := l.lateBatch(b, LateSchema(def).Arrow(), true, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer lb.Release()
	got, err := lb.Rec.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	// Row 1 (time 100) moved the watermark from 60 to 100 before rows 2
	// and 4 arrived.
	want := `[{"_op":"-D","_watermark":"1970-01-01T00:00:00.1","id":2,"ts":"1970-01-01T00:00:00.05"}
,{"_op":"+U","_watermark":"1970-01-01T00:00:00.1","id":4,"ts":"1970-01-01T00:00:00.099"}
]`
	if string(got) != want || lb.Ops != nil {
		t.Errorf("late batch (ops %v):\n%s\nwant:\n%s", lb.Ops, got, want)
	}
}
