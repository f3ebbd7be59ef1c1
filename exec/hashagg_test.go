package exec_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/planner"
)

func init() { builders["hashagg"] = buildHashAggGolden }

// buildHashAggGolden: hashagg [group=(col, ...)] aggs=(count(*), sum(x), count(distinct x), max(x) filter b, ...) [ttl=<ms>]
func buildHashAggGolden(h *exectest.Harness, d *datadriven.TestData, in catalog.Schema, out exec.Stream) (exec.Stream, error) {
	var group []string
	var aggs []string
	for _, a := range d.CmdArgs {
		switch a.Key {
		case "group":
			group = a.Vals
		case "aggs":
			aggs = a.Vals
		}
	}
	cfg, err := hashAggConfig(in, group, aggs)
	if err != nil {
		return nil, err
	}
	return exec.NewHashAgg(cfg, out, h.Mem)
}

// hashAggConfig builds a HashAgg config from column names and aggregate
// specs written `func(arg)`, `func(distinct arg)`, `count(*)`, each
// optionally followed by `filter <boolean column>`.
func hashAggConfig(in catalog.Schema, group, aggs []string) (exec.HashAggConfig, error) {
	cfg := exec.HashAggConfig{Input: in}
	var out catalog.Schema
	for _, g := range group {
		i := in.Index(strings.TrimSpace(g))
		if i < 0 {
			return cfg, fmt.Errorf("unknown group column %q in %s", g, in)
		}
		cfg.GroupBy = append(cfg.GroupBy, i)
		out.Columns = append(out.Columns, in.Columns[i])
	}
	for _, spec := range aggs {
		call, err := parseAggCall(in, strings.TrimSpace(spec))
		if err != nil {
			return cfg, err
		}
		cfg.Aggs = append(cfg.Aggs, call)
		out.Columns = append(out.Columns, catalog.Column{Name: call.Name, Type: call.T})
	}
	cfg.Output = out.Arrow()
	return cfg, nil
}

var aggFuncs = map[string]planner.AggFunc{
	"count": planner.AggCount, "sum": planner.AggSum, "avg": planner.AggAvg,
	"min": planner.AggMin, "max": planner.AggMax,
}

func parseAggCall(in catalog.Schema, spec string) (planner.AggCall, error) {
	call := planner.AggCall{Arg: -1, Filter: -1, Name: spec}
	body, filter, hasFilter := strings.Cut(spec, " filter ")
	if hasFilter {
		call.Filter = in.Index(strings.TrimSpace(filter))
		if call.Filter < 0 {
			return call, fmt.Errorf("unknown filter column in %q", spec)
		}
	}
	fn, arg, ok := strings.Cut(strings.TrimSuffix(body, ")"), "(")
	if !ok {
		return call, fmt.Errorf("aggregate %q: want func(arg)", spec)
	}
	if arg == "*" && fn == "count" {
		call.Func = planner.AggCountStar
		call.T = catalog.BigIntType
		return call, nil
	}
	if call.Func, ok = aggFuncs[fn]; !ok {
		return call, fmt.Errorf("aggregate %q: unknown function %s", spec, fn)
	}
	if rest, ok := strings.CutPrefix(arg, "distinct "); ok {
		call.Distinct, arg = true, rest
	}
	if call.Arg = in.Index(strings.TrimSpace(arg)); call.Arg < 0 {
		return call, fmt.Errorf("aggregate %q: unknown column %s", spec, arg)
	}
	call.T, ok = exec.AggResultType(call.Func, in.Columns[call.Arg].Type)
	if !ok {
		return call, fmt.Errorf("aggregate %q: %s does not apply to %s", spec, fn, in.Columns[call.Arg].Type)
	}
	return call, nil
}

// TestHashAggStateTTL: groups idle longer than the TTL (processing time)
// are dropped without output; a later change to the key starts afresh.
func TestHashAggStateTTL(t *testing.T) {
	h := exectest.NewHarness(nil)
	in, _ := exectest.ParseSchema([]string{"k:bigint", "v:bigint"})
	cfg, err := hashAggConfig(in, []string{"k"}, []string{"count(*)", "sum(v)"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	cfg.StateTTL, cfg.Clock = time.Minute, func() time.Time { return now }
	out := h.Capture()
	op, err := exec.NewHashAgg(cfg, out, h.Mem)
	if err != nil {
		t.Fatal(err)
	}
	push := func(rows string) string {
		t.Helper()
		b, err := exectest.ParseBatch(in, rows, h.Mem)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Release()
		if err := op.Push(b); err != nil {
			t.Fatal(err)
		}
		return out.Take()
	}
	push("+I 1 10\n+I 2 20")
	now = now.Add(50 * time.Second)
	push("+I 2 5")
	now = now.Add(30 * time.Second) // group 1 idle 80s, group 2 idle 30s
	if err := op.Barrier(1); err != nil {
		t.Fatal(err)
	}
	if got := out.Take(); got != "barrier 1\n" {
		t.Errorf("barrier emitted %q", got)
	}
	if groups, bytes := op.StateSize(); groups != 1 || bytes <= 0 {
		t.Errorf("state after TTL = %d groups, %d bytes; want 1 group", groups, bytes)
	}
	if got := push("+I 1 1\n+I 2 1"); got != "+I 1 1 1\n-U 2 2 25\n+U 2 3 26\n" {
		t.Errorf("after TTL:\n%s", got)
	}
	if err := op.Close(); err != nil {
		t.Fatal(err)
	}
	out.Take()
	h.Mem.AssertSize(t, 0)
}

// TestHashAggAppendOnly: an operator told its input never retracts keeps
// MIN/MAX as bare extremes and rejects a retraction instead of silently
// computing a wrong extreme.
func TestHashAggAppendOnly(t *testing.T) {
	h := exectest.NewHarness(nil)
	in, _ := exectest.ParseSchema([]string{"k:bigint", "v:double"})
	cfg, err := hashAggConfig(in, []string{"k"}, []string{"min(v)", "max(v)"})
	if err != nil {
		t.Fatal(err)
	}
	cfg.AppendOnly = true
	out := h.Capture()
	op, err := exec.NewHashAgg(cfg, out, h.Mem)
	if err != nil {
		t.Fatal(err)
	}
	push := func(rows string) error {
		t.Helper()
		b, err := exectest.ParseBatch(in, rows, h.Mem)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Release()
		return op.Push(b)
	}
	if err := push("+I 1 2.5\n+I 1 -1\n+I 2 NULL\n+U 1 7"); err != nil {
		t.Fatal(err)
	}
	if got, want := out.Take(), "+I 1 -1 7\n+I 2 NULL NULL\n"; got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
	if err := push("-U 1 7"); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("retraction: got error %v", err)
	}
	if err := op.Close(); err != nil {
		t.Fatal(err)
	}
	out.Take()
	h.Mem.AssertSize(t, 0)
}
