package exec_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/planner"
)

// ckBatches are the rows of the checkpoint tests' source, one batch each.
var ckBatches = []string{"+I 1\n+I 2", "+I 1", "+I 3\n+I 1", "+I 2", "+I 1\n+I 4", "+I 3"}

// ckPlan reads source name (mempos, k BIGINT) into a counting view, a
// plain view and the epoch sink <name>_out; ck says whether the counter
// checkpoints.
func ckPlan(t *testing.T, name string, ck bool) (*planner.Plan, *catalog.Source) {
	t.Helper()
	src := &catalog.Source{Name: name, Schema: mustSchema(t, "k:bigint"), Connector: "mempos"}
	sink := &planner.SinkWriteNode{Input: scanOf(src), Sink: &catalog.Sink{Name: name + "_out", Connector: "memepoch"}}
	sink.P = *sink.Input.Props()
	p := &planner.Plan{Roots: []planner.Physical{
		viewOf("counts", countOf(scanOf(src), ck)),
		viewOf("raw", scanOf(src)),
		sink,
	}}
	return p, src
}

// ckRun runs p on a checkpointing fake store over d, failing the commit
// of failAt (0: none), with a checkpoint after every batch.
func ckRun(t *testing.T, p *planner.Plan, d *ckData, failAt uint64, opts exec.RunOptions) error {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	opts.Alloc = mem
	if opts.CheckpointInterval == 0 {
		opts.CheckpointInterval = time.Nanosecond
	}
	st := newCkStore(d)
	st.failAt = failAt
	r, err := exec.NewRunner(p, st, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r.Run(context.Background())
}

func TestCheckpointResumeAfterCrash(t *testing.T) {
	// The reference: one uninterrupted run.
	setMem("ckref", &memData{batches: ckBatches})
	setEpochSink("ckref_out", &epochSinkData{})
	ref, _ := ckPlan(t, "ckref", true)
	refData := newCkData()
	refData.sinkSchemas["ckref_out"] = mustSchema(t, "k:bigint")
	if err := ckRun(t, ref, refData, 0, exec.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if !refData.complete || len(refData.outbox["ckref_out"]) != 0 {
		t.Errorf("a run to the end: complete=%v outbox=%v, want complete and trimmed", refData.complete, refData.outbox)
	}
	if got := refData.view("counts"); !strings.Contains(got, "+I 1 4") || !strings.Contains(got, "+I 3 2") {
		t.Fatalf("reference counts:\n%s", got)
	}

	for _, crashAt := range []uint64{1, 2, 3, 5, 6} {
		setMem("ck", &memData{batches: ckBatches})
		out := &epochSinkData{}
		setEpochSink("ck_out", out)
		p, _ := ckPlan(t, "ck", true)
		d := newCkData()
		d.sinkSchemas["ck_out"] = mustSchema(t, "k:bigint")
		if err := ckRun(t, p, d, crashAt, exec.RunOptions{}); err == nil || !strings.Contains(err.Error(), "crash before") {
			t.Fatalf("crash at %d: %v", crashAt, err)
		}
		if d.epoch != crashAt-1 {
			t.Fatalf("crash at %d: committed epoch %d", crashAt, d.epoch)
		}
		var resumed uint64
		err := ckRun(t, p, d, 0, exec.RunOptions{OnResume: func(e uint64) { resumed = e }})
		if err != nil {
			t.Fatalf("crash at %d: restart: %v", crashAt, err)
		}
		if resumed != crashAt-1 {
			t.Errorf("crash at %d: resumed from %d", crashAt, resumed)
		}
		for _, v := range []string{"counts", "raw"} {
			if got, want := d.view(v), refData.view(v); got != want {
				t.Errorf("crash at %d: view %s:\n%s\nwant:\n%s", crashAt, v, got, want)
			}
		}
		if got, want := out.sorted(), setData("ckref_out").sorted(); got != want {
			t.Errorf("crash at %d: sink rows:\n%s\nwant:\n%s", crashAt, got, want)
		}
		if d.commits[0] != 1 || (crashAt > 1 && d.commits[crashAt-1] != crashAt) {
			t.Errorf("crash at %d: commits %v, want the restart to go on after the last epoch", crashAt, d.commits)
		}
	}
}

func setData(name string) *epochSinkData {
	epochSinkMu.Lock()
	defer epochSinkMu.Unlock()
	return epochSinkDat[name]
}

func TestCheckpointResumeNeedsCheckpointer(t *testing.T) {
	setMem("cknock", &memData{batches: ckBatches})
	setEpochSink("cknock_out", &epochSinkData{})
	p, _ := ckPlan(t, "cknock", false)
	d := newCkData()
	d.sinkSchemas["cknock_out"] = mustSchema(t, "k:bigint")
	if err := ckRun(t, p, d, 3, exec.RunOptions{}); err == nil {
		t.Fatal("want the crash")
	}
	err := ckRun(t, p, d, 0, exec.RunOptions{})
	if err == nil || !strings.Contains(err.Error(), "operator op0 (count) cannot restore its state; run with --reset") {
		t.Fatalf("resume with an operator that does not checkpoint: %v", err)
	}
}

func TestCheckpointSinkRetry(t *testing.T) {
	setMem("ckretry", &memData{batches: ckBatches})
	out := &epochSinkData{fail: 3}
	setEpochSink("ckretry_out", out)
	p, _ := ckPlan(t, "ckretry", true)
	d := newCkData()
	d.sinkSchemas["ckretry_out"] = mustSchema(t, "k:bigint")
	var mu sync.Mutex
	var logs []string
	err := ckRun(t, p, d, 0, exec.RunOptions{RetryBackoff: time.Millisecond, Log: func(l string) {
		mu.Lock()
		defer mu.Unlock()
		logs = append(logs, l)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(logs) != 4 || !strings.Contains(logs[0], "sink ckretry_out: deliver epoch 1: broker went away: transient failure; retrying in 1ms (attempt 1)") ||
		!strings.Contains(logs[2], "retrying in 4ms (attempt 3)") || !strings.Contains(logs[3], "succeeded after 4 attempts") {
		t.Errorf("log:\n%s", strings.Join(logs, "\n"))
	}
	if got := strings.Count(out.sorted(), "+I"); got != 9 {
		t.Errorf("sink holds %d rows, want 9:\n%s", got, out.sorted())
	}
	for i, e := range out.delivered {
		if i > 0 && e <= out.delivered[i-1] {
			t.Errorf("epochs delivered out of order: %v", out.delivered)
		}
	}
}

func TestCheckpointSinkRetryTimeout(t *testing.T) {
	setMem("cktimeout", &memData{batches: ckBatches})
	out := &epochSinkData{down: true}
	setEpochSink("cktimeout_out", out)
	p, _ := ckPlan(t, "cktimeout", true)
	d := newCkData()
	d.sinkSchemas["cktimeout_out"] = mustSchema(t, "k:bigint")
	start := time.Now()
	err := ckRun(t, p, d, 0, exec.RunOptions{RetryTimeout: 100 * time.Millisecond, RetryBackoff: 10 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "sink cktimeout_out: deliver epoch 1: no progress for 100ms ('sink.retry.timeout')") ||
		!strings.Contains(err.Error(), "the checkpoint of epoch 1 is committed and intact") {
		t.Fatalf("err = %v", err)
	}
	if el := time.Since(start); el < 100*time.Millisecond || el > 5*time.Second {
		t.Errorf("gave up after %s", el)
	}
	if d.epoch != 1 || len(d.outbox["cktimeout_out"]) != 1 {
		t.Fatalf("checkpoint after the failure: epoch %d, outbox %v", d.epoch, d.outbox)
	}
	// Once the sink is back, the next run delivers epoch 1 and the rest.
	out.mu.Lock()
	out.down = false
	out.mu.Unlock()
	if err := ckRun(t, p, d, 0, exec.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(out.sorted(), "+I"); got != 9 || out.delivered[0] != 1 {
		t.Errorf("sink holds %d rows (epochs %v), want 9 from epoch 1:\n%s", got, out.delivered, out.sorted())
	}
}

func TestCheckpointFreshRunNumbersAfterSink(t *testing.T) {
	setMem("ckfresh", &memData{batches: ckBatches})
	out := &epochSinkData{last: 41} // the sink holds epochs of an earlier run
	setEpochSink("ckfresh_out", out)
	p, _ := ckPlan(t, "ckfresh", true)
	d := newCkData()
	d.sinkSchemas["ckfresh_out"] = mustSchema(t, "k:bigint")
	if err := ckRun(t, p, d, 0, exec.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if d.commits[0] != 42 || out.delivered[0] != 42 || strings.Count(out.sorted(), "+I") != 9 {
		t.Errorf("commits %v, delivered %v, want epochs from 42 and every row", d.commits, out.delivered)
	}
}

func TestCheckpointStoreWithoutRecovery(t *testing.T) {
	// A plain store runs as before: the epoch sink is pushed to directly.
	setMem("ckplain", &memData{batches: ckBatches})
	setEpochSink("ckplain_out", &epochSinkData{})
	p, _ := ckPlan(t, "ckplain", true)
	if _, _, err := run(t, p, exec.RunOptions{}); err == nil || !strings.Contains(err.Error(), "push to an epoch sink") {
		t.Fatalf("err = %v, want the sink's own Push", err)
	}
}

func TestFingerprint(t *testing.T) {
	const pipeline = `%s
CREATE SOURCE fp_src (k BIGINT, v BIGINT) WITH (connector = 'memtest');
CREATE MATERIALIZED VIEW fp_v AS SELECT k, SUM(v) AS s FROM fp_src GROUP BY k;
`
	base := exec.Fingerprint(planSQL(t, strings.Replace(pipeline, "%s", "", 1)))
	for set, same := range map[string]bool{
		"":                                    true,
		"SET 'checkpoint.interval' = '10s';":  true,
		"SET 'sink.retry.timeout' = '1 min';": true,
		"SET 'late.policy' = 'drop';":         false,
		"SET 'source.idle_timeout' = '5s';":   false,
	} {
		fp := exec.Fingerprint(planSQL(t, strings.Replace(pipeline, "%s", set, 1)))
		if (fp == base) != same {
			t.Errorf("%q: same fingerprint = %v, want %v", set, fp == base, same)
		}
	}
	other := strings.Replace(pipeline, "SUM(v)", "MAX(v)", 1)
	if exec.Fingerprint(planSQL(t, strings.Replace(other, "%s", "", 1))) == base {
		t.Error("another aggregate: want another fingerprint")
	}
}
