package benchrun

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sqlstream/sqlstream/parser"
)

// queriesDir is the repository's queries directory, from this package.
const queriesDir = "../../../queries"

func benchConfig(t *testing.T, queries ...string) Config {
	t.Helper()
	return Config{Queries: queries, Dir: queriesDir, Events: 20000, Cores: 1, Baseline: true,
		TempDir: t.TempDir()}
}

// q0 and q1 over 20 000 events: every event counted, every bid through
// the engine and out of the view, DuckDB timed over the same bids.
func TestBenchNexmarkText(t *testing.T) {
	var out bytes.Buffer
	cfg := benchConfig(t, "q0", "q1")
	cfg.Out = &out
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 {
		t.Fatalf("%d results, want 2", len(res))
	}
	for _, r := range res {
		// 46 of every 50 events are bids; q0 and q1 pass every bid.
		if r.Events != 20000 || r.RowsIn != 18400 || r.RowsOut != 18400 {
			t.Errorf("%s: events %d, rows in %d, out %d; want 20000, 18400, 18400", r.Query, r.Events, r.RowsIn, r.RowsOut)
		}
		if r.Seconds <= 0 || r.EventsPerSec <= 0 || r.PeakHeapBytes == 0 {
			t.Errorf("%s: no measurement: %+v", r.Query, r)
		}
		if r.DuckDB == nil || len(r.DuckDB.Views) != 1 || r.DuckDB.Views[0].Rows != 18400 || r.DuckDB.Ratio <= 0 {
			t.Errorf("%s: baseline %+v, want one view of 18400 rows", r.Query, r.DuckDB)
		}
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	last := lines[len(lines)-1]
	for _, want := range []string{"q1", "events=20000", "events/s", "/core", "peak-mem", "peak-state", "duckdb"} {
		if !strings.Contains(last, want) {
			t.Errorf("line %q lacks %q", last, want)
		}
	}
	if !strings.Contains(out.String(), "duckdb seconds / engine seconds") {
		t.Errorf("no header explaining the ratio:\n%s", out.String())
	}
}

// A bank workload with a baseline per view, as JSON: one object per
// query that parses back, with a time and a row count for every view.
func TestBenchBankJSON(t *testing.T) {
	var out bytes.Buffer
	cfg := benchConfig(t, "trace_join")
	cfg.Events, cfg.JSON, cfg.Out = 30000, true, &out
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&out)
	var got []Result
	for sc.Scan() {
		var r Result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%q: %v", sc.Text(), err)
		}
		got = append(got, r)
	}
	if len(got) != 1 {
		t.Fatalf("%d JSON objects, want 1:\n%s", len(got), out.String())
	}
	r := got[0]
	// 30 000 events: 10 000 actions for each of the three sources.
	if r.Query != "trace_join" || r.Events != 30000 || r.RowsIn < 29000 || r.PeakStateRows == 0 {
		t.Errorf("result %+v", r)
	}
	if r.DuckDB == nil || len(r.DuckDB.Views) != 2 {
		t.Fatalf("baseline %+v, want action and incomplete_action", r.DuckDB)
	}
	for _, v := range r.DuckDB.Views {
		if v.Rows == 0 {
			t.Errorf("baseline of %s produced no rows", v.View)
		}
	}
}

// A short latency run yields finite percentiles in order.
func TestBenchLatency(t *testing.T) {
	cfg := benchConfig(t, "q0")
	cfg.Events, cfg.Latency, cfg.Rate = 50000, true, DefaultRate
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	l := res[0].Latency
	if l == nil || l.Observations == 0 || l.View != "q0" || l.Column != "date_time" {
		t.Fatalf("latency %+v", l)
	}
	for _, v := range []float64{l.P50Ms, l.P99Ms, l.MaxMs, l.AchievedRate} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("latency %+v is not finite", l)
		}
	}
	if !(l.P50Ms <= l.P99Ms && l.P99Ms <= l.MaxMs) {
		t.Errorf("percentiles out of order: %+v", l)
	}
	if res[0].RowsIn != 46000 {
		t.Errorf("rows in %d, want 46000", res[0].RowsIn)
	}
}

func TestResolve(t *testing.T) {
	qs, err := resolve(queriesDir, []string{"q0", "bank", "q0"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, q := range qs {
		names = append(names, q.Name)
	}
	if got := strings.Join(names, ","); got != "q0,retail_dw,trace_join,process_metrics" {
		t.Errorf("resolved %s", got)
	}
	if len(qs[1].Baselines) < 10 {
		t.Errorf("retail_dw has %d baselines, want one per view", len(qs[1].Baselines))
	}
	if _, err := resolve(queriesDir, []string{"q999"}); err == nil || !strings.Contains(err.Error(), "no pipeline") {
		t.Errorf("q999: error %v", err)
	}
	nex, err := resolve(queriesDir, []string{"nexmark"})
	if err != nil || len(nex) < 3 || nex[0].Name != "q0" || nex[1].Name != "q1" {
		t.Errorf("nexmark: %v, %v", nex, err)
	}
}

// Sizing: Nexmark sources all get rows = events; other generators are
// scaled to add up to events in their written proportions; with a rate,
// each source gets its share and wall-clock event time.
func TestSizeSources(t *testing.T) {
	f, events, err := parseSized(filepath.Join(queriesDir, "retail_dw", "pipeline.sql"), "", sizing{events: 1600, rate: 800})
	if err != nil {
		t.Fatal(err)
	}
	if events != 1600 {
		t.Errorf("events %d, want 1600", events)
	}
	var got []string
	for _, g := range datagenOf(t, f) {
		got = append(got, g)
	}
	// customer 20 000 : account 40 000 : txn 100 000 as written.
	want := "customer rows=200 rate=100 event_time=wall,account rows=400 rate=200 event_time=wall,txn rows=1000 rate=500 event_time=wall"
	if strings.Join(got, ",") != want {
		t.Errorf("sized\n%s\nwant\n%s", strings.Join(got, ","), want)
	}
	tmp := filepath.Join(t.TempDir(), "kafka.sql")
	os.WriteFile(tmp, []byte("CREATE SOURCE s (a BIGINT) WITH (connector = 'kafka', topic = 't');"), 0o644)
	if _, _, err := parseSized(tmp, "", sizing{events: 10}); err == nil || !strings.Contains(err.Error(), "only datagen") {
		t.Errorf("kafka source: error %v", err)
	}
}

// Sinks are pointed at the blackhole: q10's file sink would otherwise
// write Parquet files next to the query.
func TestSinksBecomeBlackholes(t *testing.T) {
	tmp := filepath.Join(t.TempDir(), "sink.sql")
	os.WriteFile(tmp, []byte(`CREATE SOURCE bid (auction BIGINT) WITH (connector = 'datagen', generator = 'nexmark', kind = 'bid');
CREATE SINK out AS SELECT auction FROM bid WITH (connector = 'file', path = 'out', format = 'parquet');`), 0o644)
	f, _, err := parseSized(tmp, "", sizing{events: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range f.Statements {
		if cs, ok := st.(*parser.CreateSink); ok {
			if len(cs.With) != 1 || cs.With[0].Key != "connector" || cs.With[0].Value != "blackhole" {
				t.Errorf("sink options %+v, want only connector = 'blackhole'", cs.With)
			}
		}
	}
}
