package postgres

import (
	"context"
	"os"
	"runtime"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sqlstream/sqlstream/catalog"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sinks/sqlsink/sqlsinktest"
)

// BenchmarkPostgresUpsertSink delivers 1 M upserts in 10 epochs of 100 k
// rows (ids over 500 k, so later epochs mostly update) with GOMAXPROCS=1
// and reports rows/s. Target: >= 100 k rows/s.
func BenchmarkPostgresUpsertSink(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	c := benchConnector(b)
	s := sqlsinktest.Schema(b, "id:bigint", "name:varchar", "amount:decimal(18,2)")
	const epochs, per, keys = 10, 100000, 500000
	in := make([]exec.Batch, epochs)
	for e := range in {
		in[e] = genRange(b, s, (e*per)%keys, per, int64(e+1))
	}
	defer func() {
		for _, x := range in {
			x.Rec.Release()
		}
	}()
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		c.exec(b, "DROP TABLE IF EXISTS h3pg_bench")
		c.exec(b, "DROP TABLE IF EXISTS h3pg_bench_epochs")
		def := c.def("h3pg_bench_sink", "h3pg_bench", s)
		sink, err := Open(ctx, def, sinkEnv(s, []int{0}))
		if err != nil {
			b.Fatal(err)
		}
		es := sink.(exec.EpochSink)
		b.StartTimer()
		for e := range in {
			if err := es.Deliver(ctx, uint64(e+1), in[e:e+1]); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		sink.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(epochs*per*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// benchDB is a plain connection for the benchmark's setup.
type benchDB struct{ conn *pgx.Conn }

func benchConnector(b *testing.B) benchDB {
	conn, err := pgx.Connect(context.Background(), testDSN())
	if err != nil {
		if os.Getenv("CI") == "true" {
			b.Fatalf("PostgreSQL is unreachable and CI=true: %v", err)
		}
		b.Skipf("PostgreSQL is unreachable: %v", err)
	}
	b.Cleanup(func() { conn.Close(context.Background()) })
	return benchDB{conn}
}

func (d benchDB) exec(b *testing.B, q string) {
	if _, err := d.conn.Exec(context.Background(), q); err != nil {
		b.Fatalf("%s: %v", q, err)
	}
}

func (d benchDB) def(name, table string, s catalog.Schema) *catalog.Sink {
	return &catalog.Sink{Name: name, Schema: s, Connector: Connector, Options: catalog.Options{
		{Key: "dsn", Value: testDSN()}, {Key: "table", Value: table},
		{Key: "sink.create-table", Value: "true"}, {Key: "sink.epoch-table", Value: table + "_epochs"}}}
}
