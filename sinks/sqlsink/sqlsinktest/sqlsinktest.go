// Package sqlsinktest holds the behaviour tests every database sink and
// lookup connector built on sqlsink must pass (postgres, mysql): each
// connector's tests run them against a live database through a DB
// adapter, with table names of their own.
package sqlsinktest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
)

// DB is a test's handle on the database under a connector.
type DB interface {
	// Exec runs a statement, failing the test on error.
	Exec(t *testing.T, sql string)
	// Rows runs a query and renders each row as its columns' text
	// joined by '|', NULL as NULL.
	Rows(t *testing.T, sql string) []string
	// Quote quotes an identifier.
	Quote(name string) string
}

// Connector opens the connector's sinks and lookups.
type Connector struct {
	Name       string
	DSN        string
	OpenSink   exec.SinkFactory
	OpenLookup exec.LookupFactory
	DB         DB
}

// RequireService skips the test when ping fails, unless CI=true: then it
// fails, so CI never passes by skipping.
func RequireService(t *testing.T, what string, ping func() error) {
	t.Helper()
	if err := ping(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is unreachable and CI=true: %v", what, err)
		}
		t.Skipf("%s is unreachable (set CI=true to fail instead): %v", what, err)
	}
}

// Schema parses "name:type" columns (exectest.ParseSchema).
func Schema(t testing.TB, cols ...string) catalog.Schema {
	t.Helper()
	s, err := exectest.ParseSchema(cols)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Batch parses changelog rows (exectest.ParseBatch).
func Batch(t testing.TB, s catalog.Schema, rows string) exec.Batch {
	t.Helper()
	b, err := exectest.ParseBatch(s, rows, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// SinkDef is a sink definition writing table with extra options.
func (c Connector) SinkDef(name, table string, s catalog.Schema, opts ...string) *catalog.Sink {
	o := catalog.Options{{Key: "connector", Value: c.Name}, {Key: "dsn", Value: c.DSN}, {Key: "table", Value: table}}
	for i := 0; i+1 < len(opts); i += 2 {
		o = append(o, catalog.Option{Key: opts[i], Value: opts[i+1]})
	}
	return &catalog.Sink{Name: name, Schema: s, Connector: c.Name, Options: o}
}

// Open opens a sink, failing the test on error; it is closed at cleanup.
func (c Connector) Open(t *testing.T, def *catalog.Sink, key []int, mode catalog.ChangelogMode) exec.EpochSink {
	t.Helper()
	s, err := c.OpenSink(context.Background(), def, exec.SinkEnv{Alloc: memory.DefaultAllocator, Schema: def.Schema.Arrow(), Key: key, Changelog: mode})
	if err != nil {
		t.Fatalf("open sink %s: %v", def.Name, err)
	}
	es, ok := s.(exec.EpochSink)
	if !ok {
		t.Fatalf("sink %s is a %T, not an exec.EpochSink", def.Name, s)
	}
	t.Cleanup(func() { s.Close() })
	return es
}

// Drop drops tables (and the sink's marker row) before and after a test.
func (c Connector) Drop(t *testing.T, tables ...string) {
	t.Helper()
	drop := func() {
		for _, tb := range tables {
			c.DB.Exec(t, "DROP TABLE IF EXISTS "+c.DB.Quote(tb))
		}
	}
	drop()
	t.Cleanup(drop)
}

// Deliver delivers one epoch of changelog rows.
func Deliver(t *testing.T, s exec.EpochSink, epoch uint64, schema catalog.Schema, rows ...string) {
	t.Helper()
	var bs []exec.Batch
	for _, r := range rows {
		bs = append(bs, Batch(t, schema, r))
	}
	defer func() {
		for _, b := range bs {
			b.Rec.Release()
		}
	}()
	if err := s.Deliver(context.Background(), epoch, bs); err != nil {
		t.Fatalf("deliver epoch %d: %v", epoch, err)
	}
}

// Expect compares a query's rows with want.
func (c Connector) Expect(t *testing.T, query string, want ...string) {
	t.Helper()
	got := c.DB.Rows(t, query)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s\n got:\n  %s\nwant:\n  %s", query, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestUpsertNetting checks netting per key within and across epochs:
// inserts, updates (-U/+U), deletes, a key deleted then re-inserted in
// one epoch, and a -U without its +U (a delete).
func (c Connector) TestUpsertNetting(t *testing.T, table string) {
	c.Drop(t, table)
	s := Schema(t, "id:bigint", "name:varchar", "total:decimal(12,2)")
	def := c.SinkDef(table+"_sink", table, s, "sink.create-table", "true", "sink.epoch-table", table+"_epochs")
	c.Drop(t, table+"_epochs")
	sink := c.Open(t, def, []int{0}, catalog.Retract)
	Deliver(t, sink, 1, s, `
+I 1 a 10.00
+I 2 b 20.50
+I 3 c 30.00
-U 2 b 20.50
+U 2 b2 21.25
`, `
-D 3 c 30.00
+I 3 c2 33.00
-D 1 a 10.00
+I 4 d -0.05
-U 4 d -0.05
`)
	q := fmt.Sprintf("SELECT id, name, total FROM %s ORDER BY id", c.DB.Quote(table))
	c.Expect(t, q, "2|b2|21.25", "3|c2|33.00")
	Deliver(t, sink, 2, s, `
-U 2 b2 21.25
+U 2 b3 -1234567890.99
+I 5 e NULL
-D 3 c2 33.00
`)
	c.Expect(t, q, "2|b3|-1234567890.99", "5|e|NULL")
	// Nothing to write still moves the marker.
	Deliver(t, sink, 3, s)
	if e, err := sink.LastDelivered(context.Background()); err != nil || e != 3 {
		t.Errorf("LastDelivered = %d, %v; want 3", e, err)
	}
}

// TestEpochMarker checks the marker: LastDelivered, and a redelivered
// (older or equal) epoch writes nothing.
func (c Connector) TestEpochMarker(t *testing.T, table string) {
	c.Drop(t, table, table+"_epochs")
	s := Schema(t, "k:varchar", "n:bigint")
	def := c.SinkDef(table+"_sink", table, s, "sink.create-table", "true", "sink.epoch-table", table+"_epochs")
	sink := c.Open(t, def, []int{0}, catalog.Upsert)
	ctx := context.Background()
	if e, err := sink.LastDelivered(ctx); err != nil || e != 0 {
		t.Fatalf("fresh LastDelivered = %d, %v; want 0", e, err)
	}
	Deliver(t, sink, 7, s, "+I x 1\n+I y 2")
	if e, err := sink.LastDelivered(ctx); err != nil || e != 7 {
		t.Fatalf("LastDelivered = %d, %v; want 7", e, err)
	}
	Deliver(t, sink, 7, s, "+U x 100\n-D y 2")
	Deliver(t, sink, 5, s, "+U x 200")
	q := fmt.Sprintf("SELECT k, n FROM %s ORDER BY k", c.DB.Quote(table))
	c.Expect(t, q, "x|1", "y|2")
	Deliver(t, sink, 8, s, "+U x 100\n-D y 2")
	c.Expect(t, q, "x|100")
	// A second sink over the same marker table sees the epoch too.
	again := c.Open(t, def, []int{0}, catalog.Upsert)
	if e, err := again.LastDelivered(ctx); err != nil || e != 8 {
		t.Fatalf("reopened LastDelivered = %d, %v; want 8", e, err)
	}
	c.Expect(t, fmt.Sprintf("SELECT sink, epoch FROM %s", c.DB.Quote(table+"_epochs")), table+"_sink|8")
}

// TestKeylessAndGlobal checks keyless append-only input (plain inserts,
// duplicates kept), a keyless changelog (refused at open) and an empty
// key (a one-row table replaced on change).
func (c Connector) TestKeylessAndGlobal(t *testing.T, table string) {
	c.Drop(t, table, table+"_one", table+"_epochs")
	s := Schema(t, "a:int", "b:varchar")
	def := c.SinkDef(table+"_sink", table, s, "sink.create-table", "true", "sink.epoch-table", table+"_epochs")
	if _, err := c.OpenSink(context.Background(), def, exec.SinkEnv{Schema: s.Arrow(), Changelog: catalog.Retract}); err == nil ||
		!strings.Contains(err.Error(), "without a unique key") {
		t.Errorf("keyless changelog: err = %v, want a refusal naming the missing key", err)
	}
	sink := c.Open(t, def, nil, catalog.AppendOnly)
	Deliver(t, sink, 1, s, "+I 1 x\n+I 1 x\n+I 2 'tab\there'")
	Deliver(t, sink, 2, s, "+I 3 NULL")
	c.Expect(t, fmt.Sprintf("SELECT a, b FROM %s ORDER BY a", c.DB.Quote(table)), "1|x", "1|x", "2|tab\there", "3|NULL")

	g := Schema(t, "cnt:bigint", "total:decimal(20,2)")
	gdef := c.SinkDef(table+"_one_sink", table+"_one", g, "sink.create-table", "true", "sink.epoch-table", table+"_epochs")
	one := c.Open(t, gdef, []int{}, catalog.Retract)
	Deliver(t, one, 1, g, "+I 1 5.00")
	Deliver(t, one, 2, g, "-U 1 5.00\n+U 2 7.50\n-U 2 7.50\n+U 3 9.99")
	q := fmt.Sprintf("SELECT cnt, total FROM %s", c.DB.Quote(table+"_one"))
	c.Expect(t, q, "3|9.99")
	Deliver(t, one, 3, g, "-D 3 9.99")
	c.Expect(t, q)
}

// TestIncompatibleTable checks that an existing table missing a column or
// with a column that cannot hold the sink's type is refused, naming it,
// and that a missing table is refused without 'sink.create-table'.
func (c Connector) TestIncompatibleTable(t *testing.T, table, ddl string) {
	c.Drop(t, table, table+"_missing", table+"_epochs")
	s := Schema(t, "id:bigint", "amount:decimal(12,2)", "note:varchar")
	miss := c.SinkDef(table+"_sink", table+"_missing", s, "sink.epoch-table", table+"_epochs")
	_, err := c.OpenSink(context.Background(), miss, exec.SinkEnv{Schema: s.Arrow(), Key: []int{0}, Changelog: catalog.Retract})
	if err == nil || !strings.Contains(err.Error(), "does not exist") || !strings.Contains(err.Error(), "sink.create-table") {
		t.Errorf("missing table: err = %v", err)
	}
	c.DB.Exec(t, ddl)
	def := c.SinkDef(table+"_sink", table, s, "sink.create-table", "true", "sink.epoch-table", table+"_epochs")
	_, err = c.OpenSink(context.Background(), def, exec.SinkEnv{Schema: s.Arrow(), Key: []int{0}, Changelog: catalog.Retract})
	if err == nil || !strings.Contains(err.Error(), "amount") || !strings.Contains(err.Error(), "note") {
		t.Errorf("incompatible table: err = %v, want it to name columns amount and note", err)
	}
}

// TestTypeRoundTrip writes every type (with NULLs, extreme decimals,
// timestamps before 1970) through a sink and reads them back through a
// lookup of the same table, comparing the Arrow values.
func (c Connector) TestTypeRoundTrip(t *testing.T, table string) {
	c.Drop(t, table, table+"_epochs")
	s := Schema(t, "id:int", "flag:boolean", "big:bigint", "ratio:double", "amount:decimal(38,10)", "small:decimal(5,2)",
		"name:varchar", "day:date", "at:timestamp")
	rows := `+I 1 true 9223372036854775807 0.1 1234567890123456789012345678.0123456789 -999.99 'héllo \ wörld' 2024-02-29 '2024-05-02 09:15:00.251'
+I 2 false -9223372036854775807 -1e300 -0.0000000001 0.05 '' 1969-12-31 '1969-12-31 23:59:59.999'
+I 3 NULL NULL NULL NULL NULL NULL NULL NULL
+I 4 true 0 2.5 0 0 'tab` + "\t" + `and ''quote''' 1900-01-01 '2038-01-19 03:14:08.001'`
	def := c.SinkDef(table+"_sink", table, s, "sink.create-table", "true", "sink.epoch-table", table+"_epochs")
	sink := c.Open(t, def, []int{0}, catalog.Upsert)
	in := Batch(t, s, rows)
	defer in.Rec.Release()
	if err := sink.Deliver(context.Background(), 1, []exec.Batch{in}); err != nil {
		t.Fatal(err)
	}
	c.Expect(t, fmt.Sprintf("SELECT id, amount, small, day, at FROM %s WHERE id <> 3 ORDER BY id", c.DB.Quote(table)),
		"1|1234567890123456789012345678.0123456789|-999.99|2024-02-29|2024-05-02 09:15:00.251",
		"2|-0.0000000001|0.05|1969-12-31|1969-12-31 23:59:59.999",
		"4|0.0000000000|0.00|1900-01-01|2038-01-19 03:14:08.001")
	tbl := &catalog.Table{Name: table, Schema: s, Connector: c.Name, Options: catalog.Options{{Key: "dsn", Value: c.DSN}}}
	lt, err := c.OpenLookup(context.Background(), tbl, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	defer lt.Close()
	keys := Batch(t, Schema(t, "id:int"), "+I 1\n+I 2\n+I 3\n+I 4")
	defer keys.Rec.Release()
	got, keyRow, err := lt.Lookup(context.Background(), keys.Rec)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()
	want := exectest.FormatBatch(in)
	have := exectest.FormatBatch(exec.Batch{Rec: got})
	byKey := make([]string, 4)
	for i, r := range keyRow {
		byKey[r] = have[i]
	}
	if strings.Join(byKey, "\n") != strings.Join(want, "\n") {
		t.Errorf("round trip:\n got:\n  %s\nwant:\n  %s", strings.Join(byKey, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestLookups checks hits, misses, NULL keys, repeated keys and a
// composite key.
func (c Connector) TestLookups(t *testing.T, table, ddl string, inserts ...string) {
	c.Drop(t, table)
	c.DB.Exec(t, ddl)
	for _, q := range inserts {
		c.DB.Exec(t, q)
	}
	s := Schema(t, "region:varchar", "branch_id:int", "name:varchar", "opened:date")
	tbl := &catalog.Table{Name: "dim", Schema: s, Connector: c.Name,
		Options: catalog.Options{{Key: "dsn", Value: c.DSN}, {Key: "table", Value: table}}}
	ctx := context.Background()

	one, err := c.OpenLookup(ctx, tbl, []int{1})
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	keys := Batch(t, Schema(t, "b:int"), "+I 10\n+I 99\n+I NULL\n+I 20\n+I 10")
	defer keys.Rec.Release()
	c.expectLookup(t, one, keys, "0:north 10 'Beijing Main' 2019-03-01", "3:east 20 'Shanghai Pudong' NULL", "4:north 10 'Beijing Main' 2019-03-01")

	two, err := c.OpenLookup(ctx, tbl, []int{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	defer two.Close()
	keys2 := Batch(t, Schema(t, "r:varchar", "b:int"), "+I north 10\n+I south 10\n+I NORTH 10\n+I east 20\n+I NULL 20")
	defer keys2.Rec.Release()
	c.expectLookup(t, two, keys2, "0:north 10 'Beijing Main' 2019-03-01", "3:east 20 'Shanghai Pudong' NULL")

	empty := Batch(t, Schema(t, "b:int"), "")
	defer empty.Rec.Release()
	c.expectLookup(t, one, empty)

	bad := &catalog.Table{Name: "dim", Schema: Schema(t, "region:varchar", "nope:int"), Connector: c.Name,
		Options: catalog.Options{{Key: "dsn", Value: c.DSN}, {Key: "table", Value: table}}}
	if _, err := c.OpenLookup(ctx, bad, []int{1}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("lookup of a missing column: err = %v", err)
	}
}

func (c Connector) expectLookup(t *testing.T, lt exec.LookupTable, keys exec.Batch, want ...string) {
	t.Helper()
	rows, keyRow, err := lt.Lookup(context.Background(), keys.Rec)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Release()
	have := exectest.FormatBatch(exec.Batch{Rec: rows})
	var got []string
	for i, r := range keyRow {
		got = append(got, fmt.Sprintf("%d:%s", r, strings.TrimPrefix(have[i], "+I ")))
	}
	sortStrings(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lookup:\n got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// IsRetry reports whether err is transient (wraps exec.ErrRetry).
func IsRetry(err error) bool { return errors.Is(err, exec.ErrRetry) }
