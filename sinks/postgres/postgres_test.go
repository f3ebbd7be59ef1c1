package postgres

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sqlstream/sqlstream/sinks/sqlsink/sqlsinktest"
)

// testDSN is the local service (trust auth); SQLSTREAM_PG_DSN overrides it.
func testDSN() string {
	if d := os.Getenv("SQLSTREAM_PG_DSN"); d != "" {
		return d
	}
	return "postgres://postgres@127.0.0.1:5432/test"
}

// pgDB is sqlsinktest's handle on PostgreSQL.
type pgDB struct{ conn *pgx.Conn }

func (d pgDB) Exec(t *testing.T, q string) {
	t.Helper()
	if _, err := d.conn.Exec(context.Background(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// Rows reads with the simple protocol, so every value comes back as text.
func (d pgDB) Rows(t *testing.T, q string) []string {
	t.Helper()
	rows, err := d.conn.Query(context.Background(), q, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var cells []string
		for _, v := range rows.RawValues() {
			if v == nil {
				cells = append(cells, "NULL")
			} else {
				cells = append(cells, string(v))
			}
		}
		out = append(out, strings.Join(cells, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

func (pgDB) Quote(name string) string { return quoteIdent(name) }

// requireService connects to dsn, skipping the test when PostgreSQL is
// unreachable unless CI=true (then it fails).
func requireService(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	var conn *pgx.Conn
	sqlsinktest.RequireService(t, "PostgreSQL at "+dsn, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		var err error
		conn, err = pgx.Connect(ctx, dsn)
		return err
	})
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func connector(t *testing.T) sqlsinktest.Connector {
	t.Helper()
	conn := requireService(t, testDSN())
	return sqlsinktest.Connector{Name: Connector, DSN: testDSN(), OpenSink: Open, OpenLookup: OpenLookup, DB: pgDB{conn}}
}

func TestPostgresUpsertNetting(t *testing.T) { connector(t).TestUpsertNetting(t, "h3pg_netting") }

func TestPostgresEpochMarker(t *testing.T) { connector(t).TestEpochMarker(t, "h3pg_marker") }

func TestPostgresKeylessAndGlobal(t *testing.T) { connector(t).TestKeylessAndGlobal(t, "h3pg_keyless") }

func TestPostgresTypeRoundTrip(t *testing.T) { connector(t).TestTypeRoundTrip(t, "h3pg_types") }

func TestPostgresIncompatibleTable(t *testing.T) {
	connector(t).TestIncompatibleTable(t, "h3pg_incompat",
		`CREATE TABLE h3pg_incompat (id BIGINT PRIMARY KEY, amount NUMERIC(12,1), other TEXT)`)
}

func TestPostgresLookups(t *testing.T) {
	connector(t).TestLookups(t, "h3pg_dim",
		`CREATE TABLE h3pg_dim (region TEXT, branch_id INTEGER, name TEXT, opened DATE, PRIMARY KEY (region, branch_id))`,
		`INSERT INTO h3pg_dim VALUES ('north', 10, 'Beijing Main', '2019-03-01'), ('east', 20, 'Shanghai Pudong', NULL), ('west', 40, 'Chengdu', '2020-01-01')`)
}

// TestPostgresNoUniqueKey: an existing table without a unique index on
// the key cannot be upserted.
func TestPostgresNoUniqueKey(t *testing.T) {
	c := connector(t)
	c.Drop(t, "h3pg_nokey", "h3pg_nokey_epochs")
	c.DB.Exec(t, `CREATE TABLE h3pg_nokey (id BIGINT, n BIGINT)`)
	s := sqlsinktest.Schema(t, "id:bigint", "n:bigint")
	def := c.SinkDef("h3pg_nokey_sink", "h3pg_nokey", s, "sink.epoch-table", "h3pg_nokey_epochs")
	_, err := Open(context.Background(), def, sinkEnv(s, []int{0}))
	if err == nil || !strings.Contains(err.Error(), "no primary key or unique index") {
		t.Fatalf("err = %v", err)
	}
}

// TestPostgresFatalNamesKey: a value the table cannot hold is a fatal
// (not retried) error naming the table and the row's key.
func TestPostgresFatalNamesKey(t *testing.T) {
	c := connector(t)
	c.Drop(t, "h3pg_fatal", "h3pg_fatal_epochs")
	c.DB.Exec(t, `CREATE TABLE h3pg_fatal (id BIGINT PRIMARY KEY, code VARCHAR(3))`)
	s := sqlsinktest.Schema(t, "id:bigint", "code:varchar")
	sink := c.Open(t, c.SinkDef("h3pg_fatal_sink", "h3pg_fatal", s, "sink.epoch-table", "h3pg_fatal_epochs"), []int{0}, 1)
	b := sqlsinktest.Batch(t, s, "+I 1 abc\n+I 42 abcdef\n+I 3 x")
	defer b.Rec.Release()
	err := sink.Deliver(context.Background(), 1, batches(b))
	if err == nil || sqlsinktest.IsRetry(err) || !strings.Contains(err.Error(), "h3pg_fatal") || !strings.Contains(err.Error(), "id=42") {
		t.Fatalf("err = %v, want a fatal error naming the table and id=42", err)
	}
	c.Expect(t, "SELECT count(*) FROM h3pg_fatal", "0")
}

// TestPostgresRetryAfterTerminate: a backend terminated between two
// deliveries makes the next one fail with a transient error; the one
// after reconnects and succeeds.
func TestPostgresRetryAfterTerminate(t *testing.T) {
	c := connector(t)
	c.Drop(t, "h3pg_idle", "h3pg_idle_epochs")
	app := fmt.Sprintf("h3pg_idle_%d", time.Now().UnixNano())
	c.DSN = testDSN() + "?application_name=" + app
	s := sqlsinktest.Schema(t, "id:bigint", "n:bigint")
	sink := c.Open(t, c.SinkDef("h3pg_idle_sink", "h3pg_idle", s, "sink.create-table", "true", "sink.epoch-table", "h3pg_idle_epochs"), []int{0}, 1)
	sqlsinktest.Deliver(t, sink, 1, s, "+I 1 1")
	c.Expect(t, fmt.Sprintf("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '%s') x", app), "1")
	b := sqlsinktest.Batch(t, s, "+U 1 2\n+I 2 2")
	defer b.Rec.Release()
	err := sink.Deliver(context.Background(), 2, batches(b))
	if !sqlsinktest.IsRetry(err) {
		t.Fatalf("deliver on a terminated backend: err = %v, want a transient error", err)
	}
	if err := sink.Deliver(context.Background(), 2, batches(b)); err != nil {
		t.Fatalf("retried deliver: %v", err)
	}
	c.Expect(t, "SELECT id, n FROM h3pg_idle ORDER BY id", "1|2", "2|2")
}

// TestPostgresTerminateMidDelivery is the fault test at the connector
// level: the backend is terminated while an epoch is being written; the
// delivery fails with a transient error, nothing of it is visible, and the
// retried delivery leaves the table exact.
func TestPostgresTerminateMidDelivery(t *testing.T) {
	c := connector(t)
	c.Drop(t, "h3pg_fault", "h3pg_fault_epochs")
	app := fmt.Sprintf("h3pg_fault_%d", time.Now().UnixNano())
	c.DSN = testDSN() + "?application_name=" + app
	s := sqlsinktest.Schema(t, "id:bigint", "name:varchar", "amount:decimal(18,2)")
	sink := c.Open(t, c.SinkDef("h3pg_fault_sink", "h3pg_fault", s, "sink.create-table", "true", "sink.epoch-table", "h3pg_fault_epochs"), []int{0}, 1)
	killer := requireService(t, testDSN())
	const n = 200000
	interrupted := false
	for epoch := uint64(1); epoch <= 3 && !interrupted; epoch++ {
		b := genBatch(t, s, n, int64(epoch))
		done := make(chan struct{})
		killed := make(chan bool, 1)
		go func() {
			defer close(killed)
			for {
				select {
				case <-done:
					killed <- false
					return
				default:
				}
				var k int
				err := killer.QueryRow(context.Background(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
					WHERE application_name = $1 AND state = 'active' AND (query LIKE 'COPY%' OR query LIKE 'INSERT%')`, app).Scan(&k)
				if err == nil && k > 0 {
					killed <- true
					return
				}
				time.Sleep(2 * time.Millisecond)
			}
		}()
		err := sink.Deliver(context.Background(), epoch, batches(b))
		close(done)
		wasKilled := <-killed
		if err == nil {
			b.Rec.Release()
			if wasKilled {
				t.Fatalf("epoch %d: the backend was terminated but Deliver reported success", epoch)
			}
			t.Logf("epoch %d finished before the backend could be terminated; again", epoch)
			continue
		}
		if !sqlsinktest.IsRetry(err) {
			t.Fatalf("epoch %d: err = %v, want a transient error", epoch, err)
		}
		interrupted = true
		if e, err := sink.LastDelivered(context.Background()); err != nil || e != epoch-1 {
			t.Fatalf("after the failure LastDelivered = %d, %v; want %d", e, err, epoch-1)
		}
		if err := sink.Deliver(context.Background(), epoch, batches(b)); err != nil {
			t.Fatalf("retried epoch %d: %v", epoch, err)
		}
		b.Rec.Release()
		want := int64(epoch)
		c.Expect(t, "SELECT count(*), sum(amount), min(name), max(name) FROM h3pg_fault",
			fmt.Sprintf("%d|%d.%02d|n%d_0|n%d_99999", n, sumAmount(n, want)/100, sumAmount(n, want)%100, want, want))
	}
	if !interrupted {
		t.Fatal("no delivery could be interrupted")
	}
}
