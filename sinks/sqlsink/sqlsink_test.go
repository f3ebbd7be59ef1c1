package sqlsink

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/catalog/sqlval"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
)

func schema(t *testing.T, cols ...string) catalog.Schema {
	t.Helper()
	s, err := exectest.ParseSchema(cols)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func batch(t *testing.T, s catalog.Schema, rows string) exec.Batch {
	t.Helper()
	b, err := exectest.ParseBatch(s, rows, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func types(s catalog.Schema) []catalog.Type {
	var out []catalog.Type
	for _, c := range s.Columns {
		out = append(out, c.Type)
	}
	return out
}

// render lists the netted changes as "U <row>" / "D <row>".
func render(ch *Changes) []string {
	var out []string
	if ch.ReplaceAll {
		out = append(out, "replace all")
	}
	for _, r := range ch.Deletes {
		out = append(out, "D "+exectest.FormatBatch(ch.Batches[r.Batch])[r.Row][3:])
	}
	for _, r := range ch.Upserts {
		out = append(out, "U "+exectest.FormatBatch(ch.Batches[r.Batch])[r.Row][3:])
	}
	return out
}

func TestNetterLastChangeWins(t *testing.T) {
	s := schema(t, "k:varchar", "n:bigint")
	b1 := batch(t, s, "+I a 1\n+I b 1\n+I c 1\n-U a 1\n+U a 2")
	b2 := batch(t, s, "-D b 1\n-U c 1\n+I NULL 5\n+I b 3\n-D d 9")
	n, err := NewNetter(types(s), []int{0})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := n.Net([]exec.Batch{b1, b2})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(render(ch), "\n")
	want := "D c 1\nD d 9\nU a 2\nU b 3\nU NULL 5"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	// Buffers are reused: a second Net starts afresh.
	ch, _ = n.Net([]exec.Batch{b2})
	if got := strings.Join(render(ch), "\n"); got != "D c 1\nD d 9\nU b 3\nU NULL 5" {
		t.Errorf("second net:\n%s", got)
	}
}

func TestNetterKeylessAndGlobal(t *testing.T) {
	s := schema(t, "k:varchar", "n:bigint")
	keyless, _ := NewNetter(types(s), nil)
	ch, err := keyless.Net([]exec.Batch{batch(t, s, "+I a 1\n+I a 1")})
	if err != nil || strings.Join(render(ch), ",") != "U a 1,U a 1" {
		t.Errorf("keyless: %v %v", render(ch), err)
	}
	if _, err := keyless.Net([]exec.Batch{batch(t, s, "+I a 1\n-D a 1")}); err == nil {
		t.Error("keyless netter accepted a -D")
	}
	global, _ := NewNetter(types(s), []int{})
	ch, _ = global.Net([]exec.Batch{batch(t, s, "-U x 1\n+U x 2")})
	if got := strings.Join(render(ch), ","); got != "replace all,U x 2" {
		t.Errorf("global: %s", got)
	}
	ch, _ = global.Net([]exec.Batch{batch(t, s, "-D x 2")})
	if got := strings.Join(render(ch), ","); got != "replace all" {
		t.Errorf("global delete: %s", got)
	}
	ch, _ = global.Net(nil)
	if !ch.Empty() {
		t.Errorf("nothing netted is not empty: %v", render(ch))
	}
}

func TestSinkKey(t *testing.T) {
	def := &catalog.Sink{Name: "s", Connector: "postgres"}
	if k, err := SinkKey(def, exec.SinkEnv{Key: []int{1}, Changelog: catalog.Retract}); err != nil || len(k) != 1 {
		t.Errorf("keyed: %v %v", k, err)
	}
	if k, err := SinkKey(def, exec.SinkEnv{Changelog: catalog.AppendOnly}); err != nil || k != nil {
		t.Errorf("append-only: %v %v", k, err)
	}
	if _, err := SinkKey(def, exec.SinkEnv{Changelog: catalog.Upsert}); err == nil || !strings.Contains(err.Error(), "without a unique key") {
		t.Errorf("keyless changelog: %v", err)
	}
}

func TestValueTextRoundTrip(t *testing.T) {
	s := schema(t, "b:boolean", "i:int", "l:bigint", "d:double", "x:decimal(38,4)", "s:varchar", "day:date", "ts:timestamp")
	rows := `+I true -2147483648 -9223372036854775807 -1.5e-300 -12345678901234567890123456789012.3456 'a	b\c' 0001-01-01 '1969-12-31 23:59:59.999'
+I false 7 0 NaN 0.0001 '' 9999-12-31 '2024-02-29 12:00:00.000'
+I NULL NULL NULL NULL NULL NULL NULL NULL`
	in := batch(t, s, rows)
	defer in.Rec.Release()
	out := NewTextColumns([]string{"b", "i", "l", "d", "x", "s", "day", "ts"}, types(s), memory.DefaultAllocator)
	defer out.Release()
	ws := make([]ValueWriter, len(s.Columns))
	for i, c := range s.Columns {
		w, err := NewValueWriter(in.Rec.Column(i), c.Type, PlainText)
		if err != nil {
			t.Fatal(err)
		}
		ws[i] = w
	}
	for r := 0; r < in.NumRows(); r++ {
		cells := make([][]byte, len(ws))
		for i := range ws {
			if !ws[i].IsNull(r) {
				cells[i] = ws[i].Append([]byte{}, r)
			}
		}
		if err := out.AppendRow(cells); err != nil {
			t.Fatal(err)
		}
	}
	rec := out.NewRecord(s.Arrow())
	defer rec.Release()
	got, want := exectest.FormatBatch(exec.Batch{Rec: rec}), exectest.FormatBatch(in)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("round trip:\n got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCopyAndLiteralEscaping(t *testing.T) {
	s := schema(t, "s:varchar", "ts:timestamp", "n:int")
	in := batch(t, s, "+I 'tab\there\\ \u00e9' '2024-01-02 03:04:05.006' NULL")
	defer in.Rec.Release()
	var got []string
	for _, f := range []Flavor{CopyText, MySQLLiteral} {
		var line []byte
		for i, c := range s.Columns {
			w, _ := NewValueWriter(in.Rec.Column(i), c.Type, f)
			line = append(w.Append(line, 0), '|')
		}
		got = append(got, string(line))
	}
	want := []string{`tab\there\\ é|2024-01-02 03:04:05.006|\N|`, `_utf8mb4 X'7461620968657265 5c20c3a9'|'2024-01-02 03:04:05.006'|NULL|`}
	want[1] = strings.ReplaceAll(want[1], " 5c", "5c")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseDecimal(t *testing.T) {
	for _, c := range []struct {
		in   string
		p, s int32
		want string
		bad  bool
	}{
		{"12.5", 10, 2, "12.50", false},
		{"-0.05", 5, 2, "-0.05", false},
		{"3", 5, 0, "3", false},
		{"1.230", 5, 2, "1.23", false},
		{"1.235", 5, 2, "", true},
		{"123456", 5, 2, "", true},
		{"99999999999999999999999999999999999999", 38, 0, "99999999999999999999999999999999999999", false},
		{"abc", 5, 2, "", true},
	} {
		n, err := ParseDecimal(c.in, c.p, c.s)
		if c.bad {
			if err == nil {
				t.Errorf("ParseDecimal(%q, %d, %d) accepted", c.in, c.p, c.s)
			}
			continue
		}
		if err != nil || string(sqlval.AppendDecimal(nil, n, c.s)) != c.want {
			t.Errorf("ParseDecimal(%q) = %s, %v; want %s", c.in, sqlval.AppendDecimal(nil, n, c.s), err, c.want)
		}
	}
	if got := string(sqlval.AppendDecimal(nil, decimal128.FromI64(-5), 3)); got != "-0.005" {
		t.Errorf("AppendDecimal(-5, 3) = %s", got)
	}
}

// fakeTarget records applied epochs; failures are scripted.
type fakeTarget struct {
	last    uint64
	applied []string
	fail    []error // returned by successive Apply calls while non-empty
	closed  bool
}

func (f *fakeTarget) LastDelivered(context.Context) (uint64, error) { return f.last, nil }

func (f *fakeTarget) Apply(_ context.Context, epoch uint64, ch *Changes) (bool, error) {
	if len(f.fail) > 0 {
		err := f.fail[0]
		f.fail = f.fail[1:]
		return false, err
	}
	if epoch <= f.last {
		return false, nil
	}
	f.last = epoch
	f.applied = append(f.applied, fmt.Sprintf("%d:%s", epoch, strings.Join(render(ch), ",")))
	return true, nil
}

func (f *fakeTarget) Close() error { f.closed = true; return nil }

func TestSinkStreamMode(t *testing.T) {
	s := schema(t, "k:varchar", "n:bigint")
	ft := &fakeTarget{fail: []error{Retry(errors.New("connection reset"))}}
	sink, err := NewSink(context.Background(), "s", ft, types(s), []int{0}, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	b := batch(t, s, "+I a 1\n-U a 1\n+U a 2")
	if err := sink.Push(b); err != nil {
		t.Fatal(err)
	}
	b.Rec.Release() // the sink keeps its own reference
	if err := sink.Barrier(1); err != nil {
		t.Fatalf("barrier after a transient failure: %v", err)
	}
	if err := sink.Barrier(2); err != nil { // an empty epoch still moves the marker
		t.Fatal(err)
	}
	if got := strings.Join(ft.applied, " "); got != "1:U a 2 2:" {
		t.Errorf("applied %q", got)
	}
	if e, _ := sink.LastDelivered(context.Background()); e != 2 {
		t.Errorf("LastDelivered = %d", e)
	}
	// A fatal error is not retried.
	ft.fail = []error{errors.New("value too long"), nil}
	sink.Push(batch(t, s, "+I b 1"))
	if err := sink.Barrier(3); err == nil || errors.Is(err, exec.ErrRetry) || !strings.Contains(err.Error(), "value too long") {
		t.Errorf("fatal: %v", err)
	}
	// Pushed but never barriered rows are discarded at Close.
	sink.Push(batch(t, s, "+I c 1"))
	if err := sink.Close(); err != nil || !ft.closed || len(ft.applied) != 2 {
		t.Errorf("close: %v closed=%v applied=%v", err, ft.closed, ft.applied)
	}
}

func TestSinkRetryTimeout(t *testing.T) {
	s := schema(t, "k:varchar", "n:bigint")
	ft := &fakeTarget{}
	for range 100 {
		ft.fail = append(ft.fail, Retry(errors.New("server gone")))
	}
	sink, _ := NewSink(context.Background(), "s", ft, types(s), []int{0}, 250*time.Millisecond)
	start := time.Now()
	err := sink.Barrier(1)
	if err == nil || !errors.Is(err, exec.ErrRetry) || !strings.Contains(err.Error(), "sink.retry.timeout") {
		t.Errorf("err = %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("gave up after %s", d)
	}
}

func TestDescribeRow(t *testing.T) {
	s := schema(t, "a:int", "b:varchar", "c:date")
	b := batch(t, s, "+I 1 NULL 2024-01-02")
	defer b.Rec.Release()
	if got := DescribeRow(b, 0, []int{0, 2}, []string{"a", "b", "c"}, types(s)); got != "a=1, c=2024-01-02" {
		t.Errorf("got %q", got)
	}
	if got := DescribeRow(b, 0, nil, []string{"a", "b", "c"}, types(s)); got != "a=1, b=NULL, c=2024-01-02" {
		t.Errorf("got %q", got)
	}
}
