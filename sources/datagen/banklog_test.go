package datagen

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sqlstream/sqlstream/sources/internal/colbuf"
)

const bankCommonSchema = "trace_id varchar, process_id varchar, step varchar, customer_id bigint, channel varchar, branch_id int, product varchar, ts timestamp"

// The generator pops records in arrival order; delays follow the 80/19/1
// split; event time is out of order.
func TestBanklogArrivalOrder(t *testing.T) {
	g := &banklog{kind: bankRequest, seed: 1, rows: 20000, maxDelay: time.Hour.Milliseconds(), r: seeded(1, 0x62616e6b), clock: bankBaseTime}
	var under5, under60, n, outOfOrder int
	var lastArrival, lastTs int64
	for g.actions < g.rows || len(g.heap) > 0 {
		exhausted := g.actions >= g.rows
		if len(g.heap) == 0 || (!exhausted && g.heap[0].arrival > g.clock) {
			g.action()
			continue
		}
		rec := g.pop()
		if rec.arrival < lastArrival {
			t.Fatalf("arrival %d after %d", rec.arrival, lastArrival)
		}
		if rec.ts < lastTs {
			outOfOrder++
		}
		lastArrival, lastTs = rec.arrival, rec.ts
		switch d := rec.arrival - rec.ts; {
		case d < 5000:
			under5++
		case d < 60000:
			under60++
		case d > time.Hour.Milliseconds():
			t.Fatalf("delay %d ms over max_delay", d)
		}
		n++
	}
	if n != 20000 {
		t.Fatalf("%d requests, want 20000", n)
	}
	if f := float64(under5) / float64(n); f < 0.77 || f > 0.83 {
		t.Errorf("%.3f of delays under 5s, want ~0.80", f)
	}
	if f := float64(under60) / float64(n); f < 0.17 || f > 0.21 {
		t.Errorf("%.3f of delays 5-60s, want ~0.19", f)
	}
	if outOfOrder < n/10 {
		t.Errorf("only %d of %d records out of event-time order", outOfOrder, n)
	}
}

// The three kinds see the same actions: every response and tracking trace
// has its request, ~0.5% of responses and ~1% of tracking records are
// missing, and the process data agrees.
func TestBanklogKindsAgree(t *testing.T) {
	load := func(kind, extra string) map[string]string {
		rows := collect(t, def(t, bankCommonSchema+", "+extra, "generator", "banklog", "kind", kind, "rows", "20000", "seed", "3"), 0)
		m := map[string]string{}
		for _, r := range rows {
			f := strings.SplitN(r, " | ", 2)
			if _, dup := m[f[0]]; dup {
				t.Fatalf("%s: duplicate trace %s", kind, f[0])
			}
			m[f[0]] = r
		}
		return m
	}
	req := load("request", "request_body varchar, amount decimal(18,2)")
	resp := load("response", "status varchar, latency_ms int")
	track := load("tracking", "page varchar, event varchar")
	if len(req) != 20000 {
		t.Fatalf("%d requests", len(req))
	}
	for name, m := range map[string]map[string]string{"response": resp, "tracking": track} {
		for id, row := range m {
			r, ok := req[id]
			if !ok {
				t.Fatalf("%s trace %s has no request", name, id)
			}
			// trace_id, process_id, step, customer_id, channel, branch_id, product agree.
			a, b := strings.Split(r, " | "), strings.Split(row, " | ")
			if strings.Join(a[:7], "|") != strings.Join(b[:7], "|") || b[7] <= a[7] {
				t.Fatalf("request %q and %s %q disagree", r, name, row)
			}
		}
	}
	if miss := 20000 - len(resp); miss < 50 || miss > 160 {
		t.Errorf("%d responses missing, want ~100", miss)
	}
	if miss := 20000 - len(track); miss < 120 || miss > 300 {
		t.Errorf("%d tracking records missing, want ~200", miss)
	}
}

// Processes move forward one step at a time after an 'ok' response,
// repeat the step after an 'error', and go back to an earlier step only
// after a 'rejected' one (a rollback, in about 1% of actions).
func TestBanklogRollbacks(t *testing.T) {
	const n = 20000
	order := map[string]int{}
	for i, s := range bankSteps {
		order[s] = i
	}
	status := map[string]string{}
	for _, r := range collect(t, def(t, "trace_id varchar, status varchar",
		"generator", "banklog", "kind", "response", "rows", "20000", "seed", "5"), 0) {
		f := strings.Split(strings.ReplaceAll(r, `"`, ""), " | ")
		status[f[0]] = f[1]
	}
	type action struct {
		trace, ts string
		step      int
	}
	procs := map[string][]action{}
	for _, r := range collect(t, def(t, "trace_id varchar, process_id varchar, step varchar, ts timestamp",
		"generator", "banklog", "kind", "request", "rows", "20000", "seed", "5"), 0) {
		f := strings.Split(strings.ReplaceAll(r, `"`, ""), " | ")
		procs[f[1]] = append(procs[f[1]], action{f[0], f[3], order[f[2]]})
	}
	rollbacks := 0
	for id, acts := range procs {
		sort.Slice(acts, func(i, j int) bool { return acts[i].ts < acts[j].ts })
		for i := 1; i < len(acts); i++ {
			prev, cur := acts[i-1], acts[i]
			want := map[string]bool{"ok": cur.step == prev.step+1, "error": cur.step == prev.step,
				"rejected": cur.step < prev.step}
			if cur.step < prev.step {
				rollbacks++
			}
			if st, ok := status[prev.trace]; ok && !want[st] || !want["ok"] && !want["error"] && !want["rejected"] {
				t.Errorf("process %s: step %d (status %q) followed by step %d", id, prev.step, st, cur.step)
			}
		}
	}
	if rollbacks < n/400 || rollbacks > n/40 {
		t.Errorf("%d rollbacks in %d actions, want ~1%%", rollbacks, n)
	}
}

func BenchmarkNexmarkBid(b *testing.B) {
	d := def(b, bidSchema, "generator", "nexmark", "kind", "bid")
	mk, err := newNexmark(config{kind: "bid", rows: -1}, d.Schema)
	if err != nil {
		b.Fatal(err)
	}
	cb := colbuf.New(nil, d.Schema, 4096)
	g := mk(cb)
	b.ResetTimer()
	rows := 0
	for i := 0; i < b.N; i++ {
		g.fill(cb, 4096)
		rec := cb.Finish()
		rows += int(rec.NumRows())
		rec.Release()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "bids/s")
}
