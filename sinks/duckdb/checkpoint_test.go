package duckdb

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sinks/render"
)

func openFile(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustResume(t *testing.T, s *Store, fp string, want uint64) {
	t.Helper()
	got, err := s.Resume(fp)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("Resume(%s) = %d, want %d", fp, got, want)
	}
}

func mustCommit(t *testing.T, s *Store, epoch uint64) {
	t.Helper()
	if err := s.Commit(epoch); err != nil {
		t.Fatal(err)
	}
}

// stateOf renders op's committed state as sorted "k=v" lines.
func stateOf(t *testing.T, s *Store, op string) string {
	t.Helper()
	_, r, err := s.State(op)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	err = r.Scan(func(k, v []byte) error {
		lines = append(lines, string(k)+"="+string(v))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, " ")
}

func TestCheckpointState(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ck.duckdb")
	s := openFile(t, path)
	mustResume(t, s, "fp1", 0)
	w0, _, err := s.State("op0")
	if err != nil {
		t.Fatal(err)
	}
	w1, _, err := s.State("op1")
	if err != nil {
		t.Fatal(err)
	}
	key := []byte("a")
	val := []byte("1")
	must(t, w0.Put(key, val))
	key[0], val[0] = 'x', 'x' // Put copies its arguments
	must(t, w0.Put([]byte("b"), []byte("2")))
	must(t, w0.Put([]byte("c"), []byte("3")))
	must(t, w0.Put([]byte("c"), []byte("33"))) // last write wins
	must(t, w0.Put([]byte("d"), []byte("4")))
	must(t, w0.Delete([]byte("d")))
	must(t, w0.Put([]byte("e"), []byte{})) // an empty value is a value
	must(t, w1.Put([]byte("a"), []byte("other op")))
	expect(t, stateOf(t, s, "op0"), "")
	mustCommit(t, s, 1)
	expect(t, stateOf(t, s, "op0"), "a=1 b=2 c=33 e=")
	expect(t, stateOf(t, s, "op1"), "a=other op")

	// Epoch 2 overwrites, deletes and re-creates keys committed before.
	must(t, w0.Delete([]byte("a")))
	must(t, w0.Put([]byte("b"), []byte("22")))
	must(t, w0.Delete([]byte("c")))
	must(t, w0.Put([]byte("c"), []byte("333")))
	must(t, w0.Put([]byte("f"), []byte("6")))
	must(t, w0.Delete([]byte("zz"))) // deleting an absent key is fine
	mustCommit(t, s, 2)
	expect(t, stateOf(t, s, "op0"), "b=22 c=333 e= f=6")
	expect(t, stateOf(t, s, "op1"), "a=other op")
	// An epoch without changes keeps everything.
	mustCommit(t, s, 3)
	must(t, s.Close())

	s = openFile(t, path)
	defer s.Close()
	mustResume(t, s, "fp1", 3)
	expect(t, stateOf(t, s, "op0"), "b=22 c=333 e= f=6")
	expect(t, stateOf(t, s, "op1"), "a=other op")
	expect(t, stateOf(t, s, "op9"), "")
}

func TestCheckpointStateMany(t *testing.T) {
	s := openMem(t)
	mustResume(t, s, "fp", 0)
	w, _, err := s.State("op0")
	if err != nil {
		t.Fatal(err)
	}
	const n = 200_000 // several Arrow records
	for i := range n {
		must(t, w.Put(fmt.Appendf(nil, "k%d", i), fmt.Appendf(nil, "v%d", i)))
	}
	mustCommit(t, s, 1)
	for i := 0; i < n; i += 2 {
		must(t, w.Delete(fmt.Appendf(nil, "k%d", i)))
	}
	mustCommit(t, s, 2)
	// The log holds every change; the state is the newest entry per key.
	expect(t, queryString(t, s, "SELECT count(*) AS n FROM _sqlstream_state_log WHERE op = 'op0'"), "n\n300000\n")
	count := 0
	_, r, _ := s.State("op0")
	err = r.Scan(func(k, v []byte) error {
		if "v"+string(k[1:]) != string(v) {
			return fmt.Errorf("%s=%s", k, v)
		}
		count++
		return nil
	})
	if err != nil || count != n/2 {
		t.Fatalf("scan: %d entries, %v", count, err)
	}
}

func TestCheckpointPositions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ck.duckdb")
	s := openFile(t, path)
	mustResume(t, s, "fp", 0)
	if pos, err := s.Position("src"); err != nil || pos != nil {
		t.Fatalf("Position before any commit = %q, %v", pos, err)
	}
	p := []byte{1, 2, 3}
	must(t, s.SavePosition("src", p))
	p[0] = 9
	must(t, s.SavePosition("empty", []byte{}))
	mustCommit(t, s, 1)
	must(t, s.SavePosition("src", []byte{4}))
	mustCommit(t, s, 2)
	must(t, s.SavePosition("src", []byte{5})) // not committed
	must(t, s.Close())

	s = openFile(t, path)
	defer s.Close()
	mustResume(t, s, "fp", 2)
	if pos, err := s.Position("src"); err != nil || string(pos) != "\x04" {
		t.Errorf("Position(src) = %v, %v; want [4]", pos, err)
	}
	if pos, err := s.Position("empty"); err != nil || pos == nil || len(pos) != 0 {
		t.Errorf("Position(empty) = %#v, %v; want an empty position", pos, err)
	}
}

// renderBatches renders batches with their ops, one row a line.
func renderBatches(bs []exec.Batch) string {
	var lines []string
	for _, b := range bs {
		cols := render.Columns(b.Rec)
		for i := range b.NumRows() {
			row := []string{b.Op(i).String()}
			for _, c := range cols {
				text := ""
				if !c.IsNull(i) {
					text = string(c.AppendText(nil, i))
				}
				row = append(row, text)
			}
			lines = append(lines, strings.Join(row, " "))
		}
	}
	return strings.Join(lines, "\n")
}

func TestCheckpointOutbox(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ck.duckdb")
	schema := catalog.Schema{Columns: []catalog.Column{
		{Name: "k", Type: catalog.VarcharType}, {Name: "v", Type: catalog.DecimalType(10, 2)},
		{Name: "ts", Type: catalog.TimestampType},
	}}
	s := openFile(t, path)
	mustResume(t, s, "fp", 0)
	out, err := s.Outbox("pg")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Outbox("pg"); err == nil {
		t.Error("a second outbox of one sink: want an error")
	}
	U, A, D := exec.UpdateBefore, exec.UpdateAfter, exec.Delete
	push(t, out, batch(t, schema, nil, `[{"k": "a", "v": "1.50", "ts": "2024-01-02T03:04:05.123"}, {"k": null}]`))
	mustCommit(t, s, 1)
	push(t, out, batch(t, schema, []exec.Op{U, A}, `[{"k": "a", "v": "1.50"}, {"k": "a", "v": "2.00"}]`))
	push(t, out, batch(t, schema, []exec.Op{D}, `[{"k": "a", "v": "2.00"}]`))
	mustCommit(t, s, 2)
	mustCommit(t, s, 3) // an epoch without rows has no outbox entry
	must(t, s.Close())

	s = openFile(t, path)
	defer s.Close()
	mustResume(t, s, "fp", 3)
	pend, err := s.Pending("pg", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(pend) != 2 || pend[0].Epoch != 1 || pend[1].Epoch != 2 {
		t.Fatalf("pending epochs %+v, want 1 and 2", pend)
	}
	expect(t, renderBatches(pend[0].Batches), "+I a 1.50 2024-01-02 03:04:05.123\n+I   ")
	expect(t, renderBatches(pend[1].Batches), "-U a 1.50 \n+U a 2.00 \n-D a 2.00 ")
	if pend[0].Batches[0].Ops != nil {
		t.Error("an all-insert batch should come back with nil Ops")
	}
	if !arrow.TypeEqual(pend[0].Batches[0].Rec.Schema().Field(1).Type, schema.Arrow().Field(1).Type) {
		t.Errorf("schema %s, want %s", pend[0].Batches[0].Rec.Schema(), schema.Arrow())
	}
	for _, e := range pend {
		releaseBatches(e.Batches)
	}
	if pend, err = s.Pending("pg", 1); err != nil || len(pend) != 1 || pend[0].Epoch != 2 {
		t.Fatalf("Pending after 1 = %+v, %v", pend, err)
	}
	releaseBatches(pend[0].Batches)
	if pend, err = s.Pending("other", 0); err != nil || len(pend) != 0 {
		t.Fatalf("Pending of another sink = %+v, %v", pend, err)
	}
	must(t, s.Trim("pg", 1))
	if pend, _ = s.Pending("pg", 0); len(pend) != 2 {
		t.Error("Trim must wait for the next commit")
	}
	for _, e := range pend {
		releaseBatches(e.Batches)
	}
	mustCommit(t, s, 4)
	expect(t, queryString(t, s, "SELECT DISTINCT epoch FROM _sqlstream_outbox"), "epoch\n2\n")
}

func TestCheckpointFingerprint(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ck.duckdb")
	s := openFile(t, path)
	mustResume(t, s, "pipeline A", 0)
	w, _, _ := s.State("op0")
	must(t, w.Put([]byte("k"), []byte("v")))
	mustCommit(t, s, 1)
	must(t, s.Close())

	s = openFile(t, path)
	_, err := s.Resume("pipeline B")
	if err == nil || !strings.Contains(err.Error(), "different pipeline (plan changed); run with --reset to start over") {
		t.Fatalf("Resume of another pipeline: %v", err)
	}
	must(t, s.Close())

	// Reset drops the checkpoint: B starts fresh, A's state is gone.
	s = openFile(t, path)
	must(t, s.Reset())
	mustResume(t, s, "pipeline B", 0)
	expect(t, stateOf(t, s, "op0"), "")
	must(t, s.Close())

	// A fresh start that never committed leaves nothing to resume.
	s = openFile(t, path)
	mustResume(t, s, "pipeline A", 0)
	must(t, s.Close())
}

func TestCheckpointComplete(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ck.duckdb")
	s := openFile(t, path)
	mustResume(t, s, "A", 0)
	out, _ := s.Outbox("k")
	push(t, out, batch(t, catalog.Schema{Columns: []catalog.Column{{Name: "x", Type: catalog.IntType}}}, nil, `[{"x": 1}]`))
	must(t, s.MarkComplete())
	mustCommit(t, s, 1)
	must(t, s.Close())

	// The complete run's last epoch is still in the outbox: resume to
	// deliver it, even for another pipeline that asks.
	s = openFile(t, path)
	if _, err := s.Resume("B"); err == nil {
		t.Fatal("an undelivered outbox of another pipeline: want an error")
	}
	must(t, s.Close())
	s = openFile(t, path)
	mustResume(t, s, "A", 1)
	must(t, s.Trim("k", 1))
	must(t, s.MarkComplete())
	mustCommit(t, s, 2)
	must(t, s.Close())

	// Complete and delivered: any pipeline starts fresh.
	s = openFile(t, path)
	defer s.Close()
	mustResume(t, s, "B", 0)
}

func TestCheckpointResumeKeepsTables(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ck.duckdb")
	schema := catalog.Schema{Columns: []catalog.Column{{Name: "x", Type: catalog.IntType}}}
	src := &catalog.Source{Name: "src", Schema: schema, Watermark: &catalog.Watermark{}}
	view := &catalog.View{Name: "mv", Schema: schema, Materialized: true}
	fill := func(s *Store, epoch uint64, x int) {
		t.Helper()
		w, err := s.ViewWriter(view)
		if err != nil {
			t.Fatal(err)
		}
		push(t, w, batch(t, schema, nil, fmt.Sprintf(`[{"x": %d}]`, x)))
		l, err := s.Late(src)
		if err != nil {
			t.Fatal(err)
		}
		lschema := exec.LateSchema(src)
		push(t, l, batch(t, lschema, nil, fmt.Sprintf(`[{"x": %d, "_watermark": 0}]`, x)))
		e, err := s.Errors("src")
		if err != nil {
			t.Fatal(err)
		}
		must(t, e.BadRecord(exec.BadRecord{Source: "src", Raw: []byte("bad"), Reason: fmt.Sprint(x)}))
		mustCommit(t, s, epoch)
	}
	s := openFile(t, path)
	mustResume(t, s, "A", 0)
	fill(s, 1, 1)
	must(t, s.Close())

	s = openFile(t, path)
	mustResume(t, s, "A", 1)
	fill(s, 2, 2)
	expect(t, queryString(t, s, "SELECT string_agg(x::VARCHAR, ' ' ORDER BY x) AS xs FROM mv"), "xs\n1 2\n")
	expect(t, queryString(t, s, "SELECT string_agg(x::VARCHAR, ' ' ORDER BY x) AS xs FROM late_src"), "xs\n1 2\n")
	expect(t, queryString(t, s, "SELECT string_agg(reason, ' ' ORDER BY reason) AS r FROM errors_src"), "r\n1 2\n")
	must(t, s.MarkComplete())
	mustCommit(t, s, 3)
	must(t, s.Close())

	// A fresh run replaces the views and late tables and empties errors_.
	s = openFile(t, path)
	defer s.Close()
	mustResume(t, s, "A", 0)
	fill(s, 1, 3)
	expect(t, queryString(t, s, "SELECT string_agg(x::VARCHAR, ' ') AS xs FROM mv"), "xs\n3\n")
	expect(t, queryString(t, s, "SELECT string_agg(x::VARCHAR, ' ') AS xs FROM late_src"), "xs\n3\n")
	expect(t, queryString(t, s, "SELECT string_agg(reason, ' ') AS r FROM errors_src"), "r\n3\n")
}

func TestCheckpointNeedsResume(t *testing.T) {
	s := openMem(t)
	if _, _, err := s.State("op0"); err == nil || !strings.Contains(err.Error(), "Resume was not called") {
		t.Errorf("State before Resume: %v", err)
	}
	if err := s.SavePosition("x", nil); err == nil {
		t.Error("SavePosition before Resume: want an error")
	}
	mustResume(t, s, "A", 0)
	if _, err := s.Resume("A"); err == nil {
		t.Error("Resume twice: want an error")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestCheckpointStateLogCompacts: each commit appends only its changes;
// once the log holds more than twice its live entries (plus the floor)
// a commit compacts it to the live entries, deletes dropped.
func TestCheckpointStateLogCompacts(t *testing.T) {
	defer func(f int64) { compactFloor = f }(compactFloor)
	compactFloor = 10
	s := openMem(t)
	mustResume(t, s, "fp", 0)
	w, r, err := s.State("op0")
	if err != nil {
		t.Fatal(err)
	}
	logRows := func() int {
		var n int
		if err := s.conn.QueryRowContext(s.ctx, "SELECT count(*) FROM "+StateTable).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for i := range 100 {
		must(t, w.Put(fmt.Appendf(nil, "k%02d", i), []byte("v0")))
	}
	mustCommit(t, s, 1)
	if n := logRows(); n != 100 {
		t.Fatalf("after the first commit the log has %d entries, want 100", n)
	}
	// Ten keys change per epoch: appended, not rewritten.
	for e := uint64(2); e <= 12; e++ {
		for i := range 10 {
			must(t, w.Put(fmt.Appendf(nil, "k%02d", i), fmt.Appendf(nil, "v%d", e)))
		}
		must(t, w.Delete(fmt.Appendf(nil, "k%02d", 90+e%10)))
		mustCommit(t, s, e)
		if n := logRows(); n > 2*100+10+11 {
			t.Fatalf("epoch %d: the log has %d entries, more than twice the live ones plus the floor", e, n)
		}
	}
	got := map[string]string{}
	must(t, r.Scan(func(k, v []byte) error { got[string(k)] = string(v); return nil }))
	if len(got) != 90 || got["k00"] != "v12" || got["k50"] != "v0" || got["k95"] != "" {
		t.Fatalf("state after compactions: %d keys, k00=%q k50=%q k95 present=%v", len(got), got["k00"], got["k50"], got["k95"] != "")
	}
	if n := logRows(); n >= 100+11*11 {
		t.Fatalf("the log was never compacted: %d entries", n)
	}
}
