package file

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet/metadata"

	"github.com/sqlstream/sqlstream/exec"
)

func TestPartitionDirectories(t *testing.T) {
	s := schema(t, "id:bigint, day:date, region:varchar, amount:decimal(10,2)")
	dir := t.TempDir()
	sk, mem := openSink(t, sinkDef(s, "path", dir, "partition.by", "day, region"), "")
	b1 := batch(t, mem, s, `
+I 1 2024-01-02 eu 1.00
+I 2 2024-01-01 us 2.00
+I 3 2024-01-02 eu 3.00
+I 4 2024-01-01 NULL 4.00
`)
	b2 := batch(t, mem, s, `
+I 5 2024-01-02 a/b=c 5.00
+I 6 NULL eu 6.00
+I 7 2024-01-01 us 7.00
`)
	deliver(t, sk, 7, b1, b2)
	equalLines(t, "files", listFiles(t, dir), []string{
		"_sqlstream_epochs",
		"day=2024-01-01/region=NULL/part-0000000007-0.parquet",
		"day=2024-01-01/region=us/part-0000000007-1.parquet",
		"day=2024-01-02/region=a%2Fb%3Dc/part-0000000007-2.parquet",
		"day=2024-01-02/region=eu/part-0000000007-3.parquet",
		"day=NULL/region=eu/part-0000000007-4.parquet",
	})
	want := map[string][]string{
		"day=2024-01-01/region=NULL/part-0000000007-0.parquet":      {"+I 4 4.00"},
		"day=2024-01-01/region=us/part-0000000007-1.parquet":        {"+I 2 2.00", "+I 7 7.00"},
		"day=2024-01-02/region=a%2Fb%3Dc/part-0000000007-2.parquet": {"+I 5 5.00"},
		"day=2024-01-02/region=eu/part-0000000007-3.parquet":        {"+I 1 1.00", "+I 3 3.00"},
		"day=NULL/region=eu/part-0000000007-4.parquet":              {"+I 6 6.00"},
	}
	for f, rows := range want {
		got, fs := readParquet(t, filepath.Join(dir, f))
		equalLines(t, f, got, rows)
		if names := fmt.Sprint(fieldNames(fs.Fields())); names != "[id amount]" {
			t.Errorf("%s: columns %s, want the partition columns left out", f, names)
		}
	}
	marker, err := os.ReadFile(filepath.Join(dir, MarkerName))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(marker), "\nepoch 7\nfile day=2024-01-01/region=NULL/part-0000000007-0.parquet\n") {
		t.Errorf("marker:\n%s", marker)
	}
}

func TestPartitionByIntAndBoolCSV(t *testing.T) {
	s := schema(t, "k:int, flag:boolean, v:varchar")
	dir := t.TempDir()
	sk, mem := openSink(t, sinkDef(s, "path", dir, "format", "csv", "partition.by", "flag,k"), "")
	deliver(t, sk, 1, batch(t, mem, s, "+I -3 true x\n+I 10 false y\n+I -3 true z"))
	equalLines(t, "files", listFiles(t, dir), []string{
		"_sqlstream_epochs",
		"flag=false/k=10/part-0000000001-0.csv",
		"flag=true/k=-3/part-0000000001-1.csv",
	})
	data, err := os.ReadFile(filepath.Join(dir, "flag=true/k=-3/part-0000000001-1.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "v\nx\nz\n" {
		t.Errorf("csv = %q", data)
	}
}

func fieldNames(fs []arrow.Field) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name)
	}
	return out
}

// TestSortWithinFiles: rows arrive shuffled over several batches; each
// file is sorted by (customer_id, ts) ascending with NULLs first, and ties
// keep their arrival order.
func TestSortWithinFiles(t *testing.T) {
	s := schema(t, "seq:bigint, customer_id:bigint, ts:timestamp, day:date")
	dir := t.TempDir()
	sk, mem := openSink(t, sinkDef(s, "path", dir, "partition.by", "day", "sort.by", "customer_id, ts"), "")
	type row struct {
		seq, cust int64
		ts        int64
		day       string
		null      bool
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	var rows []row
	for i := range 600 {
		r := row{seq: int64(i), cust: rnd.Int64N(20), ts: 1704067200000 + rnd.Int64N(5)*1000, day: []string{"2024-01-01", "2024-01-02"}[rnd.IntN(2)]}
		r.null = rnd.IntN(25) == 0
		rows = append(rows, r)
	}
	var bs []exec.Batch
	for start := 0; start < len(rows); start += 97 {
		var sb strings.Builder
		for _, r := range rows[start:min(start+97, len(rows))] {
			cust := fmt.Sprint(r.cust)
			if r.null {
				cust = "NULL"
			}
			fmt.Fprintf(&sb, "+I %d %s %d %s\n", r.seq, cust, r.ts, r.day)
		}
		bs = append(bs, batch(t, mem, s, sb.String()))
	}
	deliver(t, sk, 1, bs...)
	for k, day := range []string{"2024-01-01", "2024-01-02"} {
		var want []row
		for _, r := range rows {
			if r.day == day {
				want = append(want, r)
			}
		}
		slices.SortStableFunc(want, func(a, b row) int {
			switch {
			case a.null != b.null:
				if a.null {
					return -1
				}
				return 1
			case !a.null && a.cust != b.cust:
				return int(a.cust - b.cust)
			}
			return int(a.ts - b.ts)
		})
		var wantLines []string
		for _, r := range want {
			cust := fmt.Sprint(r.cust)
			if r.null {
				cust = "NULL"
			}
			wantLines = append(wantLines, fmt.Sprintf("+I %d %s %s", r.seq, cust, tsText(r.ts)))
		}
		got, _ := readParquet(t, filepath.Join(dir, "day="+day, fmt.Sprintf("part-0000000001-%d.parquet", k)))
		equalLines(t, "day "+day, got, wantLines)
	}
}

func tsText(ms int64) string {
	return fmt.Sprintf("'2024-01-01 00:00:%02d.000'", (ms-1704067200000)/1000)
}

// TestRowGroupStatisticsSkip reads the Parquet metadata back: row groups
// hold consecutive ranges of the sort key (each group's min/max of
// customer_id starts where the previous ended), so a filter on one
// customer and a time range matches few row groups.
func TestRowGroupStatisticsSkip(t *testing.T) {
	s := schema(t, "customer_id:bigint, ts:timestamp, amount:decimal(18,2)")
	dir := t.TempDir()
	sk, mem := openSink(t, sinkDef(s, "path", dir, "sort.by", "customer_id, ts", "parquet.row-group-rows", "500"), "")
	rnd := rand.New(rand.NewPCG(3, 4))
	var bs []exec.Batch
	for range 20 {
		var sb strings.Builder
		for range 500 {
			fmt.Fprintf(&sb, "+I %d %d %d.%02d\n", rnd.Int64N(200), 1704067200000+rnd.Int64N(86400000), rnd.IntN(1000), rnd.IntN(100))
		}
		bs = append(bs, batch(t, mem, s, sb.String()))
	}
	deliver(t, sk, 1, bs...)
	r := openParquet(t, filepath.Join(dir, "part-0000000001-0.parquet"))
	md := r.MetaData()
	if md.NumRowGroups() != 20 {
		t.Fatalf("%d row groups, want 20 of 500 rows", md.NumRowGroups())
	}
	type span struct{ minC, maxC, minT, maxT int64 }
	spans := make([]span, md.NumRowGroups())
	for g := range spans {
		rg := md.RowGroup(g)
		if sc := rg.SortingColumns(); len(sc) != 2 || sc[0].ColumnIdx != 0 || sc[1].ColumnIdx != 1 || !sc[0].NullsFirst || sc[0].Descending {
			t.Errorf("row group %d sorting_columns = %+v, want customer_id, ts ascending nulls first", g, sc)
		}
		c := int64Stats(t, rg, 0)
		ts := int64Stats(t, rg, 1)
		spans[g] = span{c.Min(), c.Max(), ts.Min(), ts.Max()}
		if g > 0 && spans[g].minC < spans[g-1].maxC {
			t.Errorf("row group %d customer_id [%d, %d] overlaps row group %d [%d, %d]", g, spans[g].minC, spans[g].maxC, g-1, spans[g-1].minC, spans[g-1].maxC)
		}
	}
	// customer 77, 06:00-12:00: at most two row groups can match, of 20.
	lo, hi := int64(1704067200000+6*3600000), int64(1704067200000+12*3600000)
	match := 0
	for _, sp := range spans {
		if sp.minC <= 77 && 77 <= sp.maxC && sp.minT <= hi && lo <= sp.maxT {
			match++
		}
	}
	if match == 0 || match > 2 {
		t.Errorf("%d of 20 row groups may hold customer 77 between 06:00 and 12:00, want 1 or 2", match)
	}
}

func int64Stats(t *testing.T, rg *metadata.RowGroupMetaData, col int) *metadata.Int64Statistics {
	t.Helper()
	cc, err := rg.ColumnChunk(col)
	if err != nil {
		t.Fatal(err)
	}
	st, err := cc.Statistics()
	if err != nil || st == nil || !st.HasMinMax() {
		t.Fatalf("column %d: no min/max statistics (%v)", col, err)
	}
	return st.(*metadata.Int64Statistics)
}
