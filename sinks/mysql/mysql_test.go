package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sinks/sqlsink"
	"github.com/sqlstream/sqlstream/sinks/sqlsink/sqlsinktest"
)

// testDSN is the local service (root, no password); SQLSTREAM_MYSQL_DSN
// overrides it.
func testDSN() string {
	if d := os.Getenv("SQLSTREAM_MYSQL_DSN"); d != "" {
		return d
	}
	return "root@tcp(127.0.0.1:3306)/test"
}

// myDB is sqlsinktest's handle on MySQL.
type myDB struct{ db *sql.DB }

func (d myDB) Exec(t *testing.T, q string) {
	t.Helper()
	if _, err := d.db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func (d myDB) Rows(t *testing.T, q string) []string {
	t.Helper()
	rows, err := d.db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	cells := make([]sql.RawBytes, len(cols))
	dest := make([]any, len(cols))
	for i := range dest {
		dest[i] = &cells[i]
	}
	var out []string
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			t.Fatal(err)
		}
		var parts []string
		for _, v := range cells {
			if v == nil {
				parts = append(parts, "NULL")
			} else {
				parts = append(parts, string(v))
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

func (myDB) Quote(name string) string { return quoteIdent(name) }

// requireService connects to dsn, skipping the test when MySQL is
// unreachable unless CI=true (then it fails).
func requireService(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := openDB(dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(4)
	t.Cleanup(func() { db.Close() })
	sqlsinktest.RequireService(t, "MySQL at "+dsn, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		return db.PingContext(ctx)
	})
	return db
}

func connector(t *testing.T) sqlsinktest.Connector {
	t.Helper()
	db := requireService(t, testDSN())
	return sqlsinktest.Connector{Name: Connector, DSN: testDSN(), OpenSink: Open, OpenLookup: OpenLookup, DB: myDB{db}}
}

func TestMySQLUpsertNetting(t *testing.T) { connector(t).TestUpsertNetting(t, "h3my_netting") }

func TestMySQLEpochMarker(t *testing.T) { connector(t).TestEpochMarker(t, "h3my_marker") }

func TestMySQLKeylessAndGlobal(t *testing.T) { connector(t).TestKeylessAndGlobal(t, "h3my_keyless") }

func TestMySQLTypeRoundTrip(t *testing.T) { connector(t).TestTypeRoundTrip(t, "h3my_types") }

func TestMySQLIncompatibleTable(t *testing.T) {
	connector(t).TestIncompatibleTable(t, "h3my_incompat",
		"CREATE TABLE h3my_incompat (id BIGINT PRIMARY KEY, amount DECIMAL(12,1), other TEXT)")
}

func TestMySQLLookups(t *testing.T) {
	connector(t).TestLookups(t, "h3my_dim",
		// A case-insensitive collation: the lookup still matches exactly.
		"CREATE TABLE h3my_dim (region VARCHAR(20), branch_id INT, name TEXT, opened DATE, PRIMARY KEY (region, branch_id)) COLLATE utf8mb4_general_ci",
		"INSERT INTO h3my_dim VALUES ('north', 10, 'Beijing Main', '2019-03-01'), ('east', 20, 'Shanghai Pudong', NULL), ('west', 40, 'Chengdu', '2020-01-01')")
}

// TestMySQLFatalNamesKey: a value the table cannot hold is a fatal (not
// retried) error naming the table and the row's key; nothing is written.
func TestMySQLFatalNamesKey(t *testing.T) {
	c := connector(t)
	c.Drop(t, "h3my_fatal", "h3my_fatal_epochs")
	c.DB.Exec(t, "CREATE TABLE h3my_fatal (id BIGINT PRIMARY KEY, code VARCHAR(3))")
	s := sqlsinktest.Schema(t, "id:bigint", "code:varchar")
	sink := c.Open(t, c.SinkDef("h3my_fatal_sink", "h3my_fatal", s, "sink.epoch-table", "h3my_fatal_epochs"), []int{0}, catalog.Upsert)
	b := sqlsinktest.Batch(t, s, "+I 1 abc\n+I 42 abcdef\n+I 3 x")
	defer b.Rec.Release()
	err := sink.Deliver(context.Background(), 1, []exec.Batch{b})
	if err == nil || sqlsinktest.IsRetry(err) || !strings.Contains(err.Error(), "h3my_fatal") || !strings.Contains(err.Error(), "id=42") {
		t.Fatalf("err = %v, want a fatal error naming the table and id=42", err)
	}
	c.Expect(t, "SELECT count(*) FROM h3my_fatal", "0")
	nan := sqlsinktest.Schema(t, "id:bigint", "x:double")
	c.Drop(t, "h3my_nan")
	ns := c.Open(t, c.SinkDef("h3my_nan_sink", "h3my_nan", nan, "sink.create-table", "true", "sink.epoch-table", "h3my_fatal_epochs"), []int{0}, catalog.Upsert)
	nb := sqlsinktest.Batch(t, nan, "+I 7 NaN")
	defer nb.Rec.Release()
	if err := ns.Deliver(context.Background(), 1, []exec.Batch{nb}); err == nil || !strings.Contains(err.Error(), "id=7") {
		t.Fatalf("NaN: err = %v, want an error naming id=7", err)
	}
}

// TestMySQLRetryAfterKill: the sink's connection killed by the server
// makes the next delivery fail with a transient error or be replaced by
// the pool before use; either way the epoch ends up applied exactly once.
func TestMySQLRetryAfterKill(t *testing.T) {
	c := connector(t)
	c.Drop(t, "h3my_kill", "h3my_kill_epochs")
	s := sqlsinktest.Schema(t, "id:bigint", "n:bigint")
	def := c.SinkDef("h3my_kill_sink", "h3my_kill", s, "sink.create-table", "true", "sink.epoch-table", "h3my_kill_epochs")
	o, err := sqlsink.ParseOptions(Connector, def.Name, def.Options)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tg, err := openTarget(ctx, o, def.Name, s, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	sink, err := sqlsink.NewSink(ctx, def.Name, tg, sqlsink.ColumnTypes(s), []int{0}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	sqlsinktest.Deliver(t, sink, 1, s, "+I 1 1")
	var id int64
	if err := tg.db.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		t.Fatal(err)
	}
	c.DB.Exec(t, fmt.Sprintf("KILL CONNECTION %d", id))
	b := sqlsinktest.Batch(t, s, "+U 1 2\n+I 2 2")
	defer b.Rec.Release()
	err = sink.Deliver(ctx, 2, []exec.Batch{b})
	if err != nil && !sqlsinktest.IsRetry(err) {
		t.Fatalf("deliver on a killed connection: err = %v, want success or a transient error", err)
	}
	if err != nil {
		if err := sink.Deliver(ctx, 2, []exec.Batch{b}); err != nil {
			t.Fatalf("retried deliver: %v", err)
		}
	}
	c.Expect(t, "SELECT id, n FROM h3my_kill ORDER BY id", "1|2", "2|2")
}

// TestMySQLTransientClassification checks the classification of the
// errors the driver and server return.
func TestMySQLTransientClassification(t *testing.T) {
	db := requireService(t, testDSN())
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var id int64
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fmt.Sprintf("KILL CONNECTION %d", id)); err != nil {
		t.Fatal(err)
	}
	_, err = conn.ExecContext(ctx, "SELECT 1")
	if err == nil || !transient(err) {
		t.Errorf("query on a killed connection: err = %v, transient = %v", err, err != nil && transient(err))
	}
	_, err = db.Exec("SELECT * FROM h3my_no_such_table")
	if err == nil || transient(err) {
		t.Errorf("missing table: err = %v, want a fatal error", err)
	}
	if transient(context.Canceled) {
		t.Error("context.Canceled is transient")
	}
}
