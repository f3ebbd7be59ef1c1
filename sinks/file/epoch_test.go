package file

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

func TestEpochDeliveryAndLastDelivered(t *testing.T) {
	s := schema(t, "id:bigint, day:date")
	dir := t.TempDir()
	def := sinkDef(s, "path", dir, "partition.by", "day")
	sk, mem := openSink(t, def, "")
	ctx := context.Background()
	if e, err := sk.LastDelivered(ctx); err != nil || e != 0 {
		t.Fatalf("LastDelivered of an empty directory = %d, %v; want 0", e, err)
	}
	deliver(t, sk, 1, batch(t, mem, s, "+I 1 2024-01-01\n+I 2 2024-01-02"))
	deliver(t, sk, 2, batch(t, mem, s, "+I 3 2024-01-01"))
	deliver(t, sk, 5) // an epoch without rows only moves the marker
	if e, err := sk.LastDelivered(ctx); err != nil || e != 5 {
		t.Fatalf("LastDelivered = %d, %v; want 5", e, err)
	}
	equalLines(t, "files", listFiles(t, dir), []string{
		MarkerName,
		"day=2024-01-01/part-0000000001-0.parquet",
		"day=2024-01-01/part-0000000002-0.parquet",
		"day=2024-01-02/part-0000000001-1.parquet",
	})
	err := sk.Deliver(ctx, 5, []exec.Batch{batch(t, mem, s, "+I 4 2024-01-01")})
	if err == nil || !strings.Contains(err.Error(), "epoch 5 is already delivered") {
		t.Fatalf("redelivering epoch 5: %v, want an error", err)
	}
	// A new sink on the same directory reads the marker.
	sk2, _ := openSink(t, def, "")
	if e, err := sk2.LastDelivered(ctx); err != nil || e != 5 {
		t.Fatalf("reopened LastDelivered = %d, %v; want 5", e, err)
	}
}

// TestCrashLeftoversRemovedOnOpen: a crash leaves temporary files of the
// epoch being written and files of an epoch renamed into place before its
// marker; opening the sink removes both and keeps the delivered epochs.
func TestCrashLeftoversRemovedOnOpen(t *testing.T) {
	s := schema(t, "id:bigint, day:date")
	dir := t.TempDir()
	def := sinkDef(s, "path", dir, "partition.by", "day")
	sk, mem := openSink(t, def, "")
	deliver(t, sk, 1, batch(t, mem, s, "+I 1 2024-01-01"))
	deliver(t, sk, 2, batch(t, mem, s, "+I 2 2024-01-01"))
	for _, f := range []string{
		"day=2024-01-01/.tmp-part-0000000003-0.parquet.inprogress", // half-written
		"day=2024-01-02/part-0000000003-1.parquet",                 // renamed, no marker
		"day=2024-01-03/.tmp-part-0000000002-0.parquet.inprogress", // stray tmp of a delivered epoch
		".tmp-_sqlstream_epochs.inprogress",                        // the marker being written
		"day=2024-01-01/notes.txt",                                 // not ours: kept
	} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("junk"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sk2, mem2 := openSink(t, def, "")
	equalLines(t, "files after open", listFiles(t, dir), []string{
		MarkerName,
		"day=2024-01-01/notes.txt",
		"day=2024-01-01/part-0000000001-0.parquet",
		"day=2024-01-01/part-0000000002-0.parquet",
	})
	if e, err := sk2.LastDelivered(context.Background()); err != nil || e != 2 {
		t.Fatalf("LastDelivered = %d, %v; want 2", e, err)
	}
	deliver(t, sk2, 3, batch(t, mem2, s, "+I 3 2024-01-02"))
	rows, _ := readParquet(t, filepath.Join(dir, "day=2024-01-02/part-0000000003-0.parquet"))
	equalLines(t, "redelivered epoch 3", rows, []string{"+I 3"})
}

// TestInterruptedDeliveryIsRedelivered: the marker cannot be written, so
// Deliver fails after renaming the data files; the marker still says the
// previous epoch, reopening removes the epoch's files, and the same epoch
// is delivered again.
func TestInterruptedDeliveryIsRedelivered(t *testing.T) {
	s := schema(t, "id:bigint")
	dir := t.TempDir()
	def := sinkDef(s, "path", dir)
	sk, mem := openSink(t, def, "")
	deliver(t, sk, 1, batch(t, mem, s, "+I 1"))
	// A directory where the marker's temporary file goes makes its write fail.
	blocker := filepath.Join(dir, tmpPrefix+MarkerName+tmpSuffix)
	if err := os.Mkdir(blocker, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := sk.Deliver(context.Background(), 2, []exec.Batch{batch(t, mem, s, "+I 2")}); err == nil {
		t.Fatal("Deliver succeeded without its marker")
	}
	equalLines(t, "files after the failed delivery", listFiles(t, dir), []string{MarkerName, "part-0000000001-0.parquet", "part-0000000002-0.parquet"})
	if err := os.Remove(blocker); err != nil {
		t.Fatal(err)
	}
	sk2, mem2 := openSink(t, def, "")
	if e, _ := sk2.LastDelivered(context.Background()); e != 1 {
		t.Fatalf("LastDelivered = %d, want 1", e)
	}
	equalLines(t, "files after reopening", listFiles(t, dir), []string{MarkerName, "part-0000000001-0.parquet"})
	deliver(t, sk2, 2, batch(t, mem2, s, "+I 2"))
	rows, _ := readParquet(t, filepath.Join(dir, "part-0000000002-0.parquet"))
	equalLines(t, "epoch 2", rows, []string{"+I 2"})
}

// TestPushBarrierWithoutStore: used as a plain stream, the sink delivers
// each barrier's rows as an epoch counted after what the directory held
// when it was opened, and the rest at Close.
func TestPushBarrierWithoutStore(t *testing.T) {
	s := schema(t, "id:bigint")
	dir := t.TempDir()
	def := sinkDef(s, "path", dir, "format", "csv")
	run := func(rows ...string) {
		sk, mem := openSink(t, def, "")
		for i, r := range rows {
			if r != "" {
				if err := sk.Push(batch(t, mem, s, r)); err != nil {
					t.Fatal(err)
				}
			}
			if i < len(rows)-1 {
				if err := sk.Barrier(uint64(i + 1)); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := sk.Watermark(exec.MaxWatermark); err != nil {
			t.Fatal(err)
		}
		if err := sk.Close(); err != nil {
			t.Fatal(err)
		}
	}
	run("+I 1\n+I 2", "", "+I 3") // barriers 1, 2 (empty), then Close
	run("+I 4", "+I 5")           // a second run appends
	equalLines(t, "files", listFiles(t, dir), []string{
		MarkerName,
		"part-0000000001-0.csv",
		"part-0000000003-0.csv",
		"part-0000000004-0.csv",
		"part-0000000005-0.csv",
	})
	for f, want := range map[string]string{"part-0000000001-0.csv": "id\n1\n2\n", "part-0000000003-0.csv": "id\n3\n", "part-0000000005-0.csv": "id\n5\n"} {
		got, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", f, got, err, want)
		}
	}
	sk, _ := openSink(t, def, "")
	if e, _ := sk.LastDelivered(context.Background()); e != 5 {
		t.Errorf("LastDelivered = %d, want 5", e)
	}
}

func TestChangelogInputRejected(t *testing.T) {
	s := schema(t, "id:bigint, v:varchar")
	sk, mem := openSink(t, sinkDef(s, "path", t.TempDir()), "")
	b := batch(t, mem, s, "+I 1 a\n-U 1 a\n+U 1 b")
	const want = "a file sink writes append-only data; its input has a -U row"
	if err := sk.Push(b); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Push of a changelog: %v, want %q", err, want)
	}
	if err := sk.Deliver(context.Background(), 1, []exec.Batch{b}); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Deliver of a changelog: %v, want %q", err, want)
	}
	if err := CheckAppendOnly("lake", catalog.AppendOnly); err != nil {
		t.Error(err)
	}
	if err := CheckAppendOnly("lake", catalog.Retract); err == nil || !strings.Contains(err.Error(), "a file sink writes append-only data; its input is a changelog (retract:") {
		t.Errorf("CheckAppendOnly(retract) = %v", err)
	}
	if err := sk.Close(); err != nil {
		t.Error(err)
	}
}

func TestOpenThroughRegistry(t *testing.T) {
	s := schema(t, "id:bigint, day:date")
	base := t.TempDir()
	def := sinkDef(s, "connector", "file", "path", "lake/txn", "partition.by", "day")
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	snk, err := exec.OpenSink(context.Background(), def, exec.SinkEnv{Alloc: mem, BaseDir: base, Schema: s.Arrow()})
	if err != nil {
		t.Fatal(err)
	}
	es, ok := snk.(exec.EpochSink)
	if !ok {
		t.Fatalf("the file sink is a %T, not an exec.EpochSink", snk)
	}
	if err := es.Deliver(context.Background(), 1, []exec.Batch{batch(t, mem, s, "+I 1 2024-03-04")}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(base, "lake/txn/day=2024-03-04/part-0000000001-0.parquet")); err != nil {
		t.Error(err)
	}
	if err := snk.Close(); err != nil {
		t.Error(err)
	}
	_, err = exec.OpenSink(context.Background(), def, exec.SinkEnv{Alloc: mem, BaseDir: base, Schema: s.Arrow(), Changelog: catalog.Upsert})
	if err == nil || !strings.Contains(err.Error(), "sink lake: a file sink writes append-only data; its input is a changelog (upsert:") {
		t.Errorf("opening over an upsert changelog: %v", err)
	}
}

func TestOptionErrors(t *testing.T) {
	s := schema(t, "id:bigint, ts:timestamp, day:date, v:varchar")
	for _, c := range []struct {
		opts []string
		key  string
		msg  string
	}{
		{[]string{}, "path", "option 'path' is required"},
		{[]string{"path", "x", "format", "json"}, "format", "unknown format 'json'"},
		{[]string{"path", "x", "compression", "zstd"}, "compression", "unknown option 'compression'"},
		{[]string{"path", "x", "partition.by", "ts"}, "partition.by", "column ts is TIMESTAMP(3); partition by a DATE"},
		{[]string{"path", "x", "partition.by", "nope"}, "partition.by", "no column nope in the sink's input"},
		{[]string{"path", "x", "partition.by", "day, day"}, "partition.by", "column day is listed twice"},
		{[]string{"path", "x", "partition.by", "id,ts,day,v"}, "partition.by", "column ts is TIMESTAMP(3)"},
		{[]string{"path", "x", "sort.by", "id,"}, "sort.by", "want a comma-separated list"},
		{[]string{"path", "x", "partition.by", "day", "sort.by", "day"}, "sort.by", "day is a partition column"},
		{[]string{"path", "x", "parquet.compression", "lz5"}, "parquet.compression", "want 'zstd', 'snappy', 'gzip' or 'none'"},
		{[]string{"path", "x", "parquet.row-group-rows", "0"}, "parquet.row-group-rows", "want a positive number"},
		{[]string{"path", "x", "parquet.row-group-rows", "many"}, "parquet.row-group-rows", "not an integer"},
		{[]string{"path", "x", "format", "csv", "parquet.compression", "snappy"}, "parquet.compression", "applies to format 'parquet'"},
	} {
		_, err := ParseConfig(sinkDef(s, c.opts...), "")
		var oe *exec.OptionError
		if err == nil || !errors.As(err, &oe) || oe.Key != c.key || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("options %v: error %v, want one about '%s' saying %q", c.opts, err, c.key, c.msg)
		}
	}
	_, err := ParseConfig(sinkDef(schema(t, "day:date, v:varchar"), "path", "x", "partition.by", "v,day"), "")
	var oe *exec.OptionError
	if err == nil || !errors.As(err, &oe) || oe.Key != "partition.by" || !strings.Contains(err.Error(), "nothing would be left") {
		t.Errorf("partitioning by every column: %v", err)
	}
	cfg, err := ParseConfig(sinkDef(s, "connector", "file", "path", "lake", "format", "CSV", "partition.by", "day", "sort.by", "v, ts", "sink.retry.timeout", "1 min"), "/base")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Dir != "/base/lake" || cfg.Format != CSV || len(cfg.PartitionBy) != 1 || cfg.PartitionBy[0] != 2 || len(cfg.SortBy) != 2 || cfg.SortBy[0] != 3 || cfg.SortBy[1] != 1 {
		t.Errorf("config = %+v", cfg)
	}
}
