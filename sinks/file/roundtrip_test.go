package file

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sqlstream/sqlstream/exec/exectest"
)

const allTypes = "b:boolean, i:int, n:bigint, d:double, m:decimal(18,2), w:decimal(38,10), s:varchar, dt:date, ts:timestamp, nn:bigint not null"

const allRows = `
+I true 1 10 1.5 12.34 1234567890123456789012345678.0123456789 hello 2024-01-01 '2024-01-01 10:00:00.123' 1
+I false -2147483648 -9223372036854775808 -0.25 -0.01 -0.0000000001 'with space, comma' 1969-12-31 '1969-12-31 23:59:59.999' 2
+I NULL NULL NULL NULL NULL NULL NULL NULL NULL 3
+I true 2147483647 9223372036854775807 1e300 99999999999999.99 0 '' 2099-12-31 '2099-12-31 23:59:59.000' 4
+I false 0 0 -0 -99999999999999.99 -9999999999999999999999999999.9999999999 'say "hi"' 0001-01-01 '1970-01-01 00:00:00.001' 5
`

func TestParquetRoundTripAllTypes(t *testing.T) {
	s := schema(t, allTypes)
	dir := t.TempDir()
	sk, mem := openSink(t, sinkDef(s, "path", "out", "format", "parquet"), dir)
	in := batch(t, mem, s, allRows)
	deliver(t, sk, 1, in)
	files := listFiles(t, filepath.Join(dir, "out"))
	equalLines(t, "files", files, []string{MarkerName, "part-0000000001-0.parquet"})
	got, fs := readParquet(t, filepath.Join(dir, "out", "part-0000000001-0.parquet"))
	equalLines(t, "rows", got, exectest.FormatBatch(in))
	for i, f := range fs.Fields() {
		want := s.Arrow().Field(i)
		if f.Name != want.Name || !arrow.TypeEqual(f.Type, want.Type) || f.Nullable != want.Nullable {
			t.Errorf("column %d: read back %s, wrote %s", i, f, want)
		}
	}
}

func TestParquetCompressionOption(t *testing.T) {
	s := schema(t, "id:bigint, s:varchar")
	for _, c := range []struct{ opt, codec string }{{"", "ZSTD"}, {"snappy", "SNAPPY"}, {"zstd", "ZSTD"}, {"none", "UNCOMPRESSED"}, {"gzip", "GZIP"}} {
		t.Run(c.codec+"/"+c.opt, func(t *testing.T) {
			dir := t.TempDir()
			opts := []string{"path", dir}
			if c.opt != "" {
				opts = append(opts, "parquet.compression", c.opt)
			}
			sk, mem := openSink(t, sinkDef(s, opts...), "")
			deliver(t, sk, 1, batch(t, mem, s, "+I 1 a\n+I 2 b"))
			path := filepath.Join(dir, "part-0000000001-0.parquet")
			md := openParquet(t, path).MetaData()
			for j := range 2 {
				cc, err := md.RowGroup(0).ColumnChunk(j)
				if err != nil {
					t.Fatal(err)
				}
				if got := cc.Compression().String(); !strings.EqualFold(got, c.codec) {
					t.Errorf("column %d compression %s, want %s", j, got, c.codec)
				}
			}
			rows, _ := readParquet(t, path)
			equalLines(t, "rows", rows, []string{"+I 1 a", "+I 2 b"})
		})
	}
}

func TestCSVRoundTripAllTypes(t *testing.T) {
	s := schema(t, allTypes)
	dir := t.TempDir()
	sk, mem := openSink(t, sinkDef(s, "path", dir, "format", "csv"), "")
	deliver(t, sk, 1, batch(t, mem, s, allRows))
	data, err := os.ReadFile(filepath.Join(dir, "part-0000000001-0.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := `b,i,n,d,m,w,s,dt,ts,nn
true,1,10,1.5,12.34,1234567890123456789012345678.0123456789,hello,2024-01-01,2024-01-01 10:00:00.123,1
false,-2147483648,-9223372036854775808,-0.25,-0.01,-0.0000000001,"with space, comma",1969-12-31,1969-12-31 23:59:59.999,2
,,,,,,,,,3
true,2147483647,9223372036854775807,1e+300,99999999999999.99,0.0000000000,,2099-12-31,2099-12-31 23:59:59,4
false,0,0,-0.0,-99999999999999.99,-9999999999999999999999999999.9999999999,"say ""hi""",0001-01-01,1970-01-01 00:00:00.001,5
`
	if string(data) != want {
		t.Errorf("csv:\n got:\n%s\nwant:\n%s", data, want)
	}
	// Every field reads back with encoding/csv as its text.
	recs, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 6 || recs[2][6] != "with space, comma" || recs[5][6] != `say "hi"` {
		t.Errorf("csv reads back as %q", recs)
	}
}

// TestCSVQuotingMatchesEncodingCSV: the sink quotes exactly as the
// encoding/csv writer behind `query --format csv`.
func TestCSVQuotingMatchesEncodingCSV(t *testing.T) {
	for _, v := range []string{"", "a", "a,b", `a"b`, "a\nb", "a\r\nb", " lead", "\tlead", "trail ", `\.`, `\.x`, "\u00a0nbsp", "ünï", "NULL"} {
		var sb strings.Builder
		w := csv.NewWriter(&sb)
		if err := w.Write([]string{v}); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		want := strings.TrimSuffix(sb.String(), "\n")
		if got := string(appendCSVField(nil, []byte(v))); got != want {
			t.Errorf("field %q: got %q, encoding/csv writes %q", v, got, want)
		}
	}
}
