package file

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/internal/srctest"
)

// benchRows is the number of bid records in the benchmark file.
const benchRows = 1_000_000

const benchSchema = "auction bigint, bidder bigint, price bigint, channel varchar, url varchar, date_time timestamp, extra varchar"

// writeBids writes n Nexmark-like bids as JSON lines.
func writeBids(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var buf []byte
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		buf = append(buf[:0], `{"auction":`...)
		buf = strconv.AppendInt(buf, int64(1000+i/30), 10)
		buf = append(buf, `,"bidder":`...)
		buf = strconv.AppendInt(buf, int64(1000+(i*7919)%5000), 10)
		buf = append(buf, `,"price":`...)
		buf = strconv.AppendInt(buf, int64((i*104729)%1000000), 10)
		buf = append(buf, `,"channel":"channel-`...)
		buf = strconv.AppendInt(buf, int64(i%10000), 10)
		buf = append(buf, `","url":"https://www.nexmark.com/abcde/fghij/klmno/item.htm?query=1&channel_id=`...)
		buf = strconv.AppendInt(buf, int64(i%10000), 10)
		buf = append(buf, `","date_time":"`...)
		buf = base.Add(time.Duration(i)*100*time.Microsecond).AppendFormat(buf, "2006-01-02 15:04:05.000")
		buf = append(buf, `","extra":"qwertyuiopasdfghjkl"}`...)
		buf = append(buf, '\n')
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// BenchmarkJSONLinesVsDuckDB decodes the same JSON-lines file of bids with
// the file source and with DuckDB's read_json (one thread, materialized
// with CREATE TABLE AS) and reports both rates and their ratio.
//
//	GOFLAGS=-tags=duckdb_arrow GOMAXPROCS=1 go test ./sources/file -run XXX -bench JSONLinesVsDuckDB -benchtime 1x
func BenchmarkJSONLinesVsDuckDB(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bids.jsonl")
	if err := writeBids(path, benchRows); err != nil {
		b.Fatal(err)
	}
	sch, err := srctest.ParseSchema(benchSchema)
	if err != nil {
		b.Fatal(err)
	}
	def := &catalog.Source{Name: "bid", Schema: sch, Connector: "file",
		Options: catalog.Options{{Key: "path", Value: path}, {Key: "format", Value: "json"}}}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("SET threads = 1"); err != nil {
		b.Fatal(err)
	}
	query := fmt.Sprintf(`CREATE OR REPLACE TABLE bids AS SELECT * FROM read_json('%s', format = 'newline_delimited',
		columns = {auction: 'BIGINT', bidder: 'BIGINT', price: 'BIGINT', channel: 'VARCHAR', url: 'VARCHAR', date_time: 'TIMESTAMP_MS', extra: 'VARCHAR'})`, path)
	var ours, duck time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if n := readAll(b, def); n != benchRows {
			b.Fatalf("file source read %d rows, want %d", n, benchRows)
		}
		ours += time.Since(start)
		start = time.Now()
		if _, err := db.Exec(query); err != nil {
			b.Fatal(err)
		}
		duck += time.Since(start)
	}
	oursRate := float64(benchRows*b.N) / ours.Seconds()
	duckRate := float64(benchRows*b.N) / duck.Seconds()
	b.ReportMetric(oursRate, "records/s")
	b.ReportMetric(duckRate, "duckdb-records/s")
	b.ReportMetric(oursRate/duckRate, "ratio")
}

func readAll(b *testing.B, def *catalog.Source) int {
	src, err := exec.OpenSource(context.Background(), def, exec.SourceEnv{})
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	n := 0
	for {
		batch, err := src.Next(context.Background())
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		n += batch.NumRows()
		batch.Release()
	}
}
