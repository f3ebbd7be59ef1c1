package exec_test

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/cockroachdb/datadriven"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/parser"
)

func init() {
	builders["windowagg"] = buildWindowAggGolden
	builders["emitonclose"] = buildEmitOnCloseGolden
}

var windowKinds = map[string]parser.WindowKind{
	"tumble": parser.Tumble, "hop": parser.Hop, "cumulate": parser.Cumulate, "session": parser.Session,
}

// buildWindowAggGolden: windowagg kind=<tumble|hop|cumulate|session>
// time=<column> sizes=(<ms>, ...) group=(...) aggs=(...) builds what the
// planner builds for a GROUP BY over a window table function: a
// WindowAssign, then a WindowAgg (SessionAgg for session) grouping its
// output; group may name window_start and window_end. Without group it
// builds the WindowAssign alone.
func buildWindowAggGolden(h *exectest.Harness, d *datadriven.TestData, in catalog.Schema, out exec.Stream) (exec.Stream, error) {
	kindArg, _ := exectest.Arg(d, "kind")
	kind, ok := windowKinds[kindArg]
	if !ok {
		return nil, fmt.Errorf("windowagg: kind=%q, want tumble, hop, cumulate or session", kindArg)
	}
	timeArg, _ := exectest.Arg(d, "time")
	timeCol := in.Index(timeArg)
	if timeCol < 0 {
		return nil, fmt.Errorf("windowagg: unknown time column %q", timeArg)
	}
	var sizes []int64
	var group, aggs []string
	for _, a := range d.CmdArgs {
		switch a.Key {
		case "sizes":
			for _, v := range a.Vals {
				ms, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
				if err != nil {
					return nil, fmt.Errorf("windowagg: size %q: %w", v, err)
				}
				sizes = append(sizes, ms)
			}
		case "group":
			group = a.Vals
		case "aggs":
			aggs = a.Vals
		}
	}
	return newWindowChain(kind, in, timeCol, sizes, group, aggs, out, h.Mem)
}

// newWindowChain builds WindowAssign → WindowAgg (SessionAgg for
// SESSION) over in as the planner plans a GROUP BY over a window table
// function (group may name window_start and window_end), or the
// WindowAssign alone when group is nil.
func newWindowChain(kind parser.WindowKind, in catalog.Schema, timeCol int, sizes []int64, group, aggs []string, out exec.Stream, mem memory.Allocator) (exec.Stream, error) {
	windowed := catalog.Schema{Columns: append(append([]catalog.Column(nil), in.Columns...),
		catalog.Column{Name: "window_start", Type: catalog.TimestampType, NotNull: true},
		catalog.Column{Name: "window_end", Type: catalog.TimestampType, NotNull: true})}
	assignCfg := exec.WindowAssignConfig{Kind: kind, TimeCol: timeCol, Sizes: sizes, Output: windowed.Arrow()}
	if group == nil {
		return exec.NewWindowAssign(assignCfg, out, mem)
	}
	cfg, err := hashAggConfig(windowed, group, aggs)
	if err != nil {
		return nil, err
	}
	start, end := -1, -1
	for i, g := range cfg.GroupBy {
		switch g {
		case in.Len():
			start = i
		case in.Len() + 1:
			end = i
		}
	}
	var agg interface {
		exec.Stream
		exec.StateReporter
	}
	if kind == parser.Session {
		agg, err = exec.NewSessionAgg(exec.SessionAggConfig{
			Input: windowed, GroupBy: cfg.GroupBy, Aggs: cfg.Aggs, Output: cfg.Output,
			StartKey: start, EndKey: end, Gap: sizes[0],
		}, out, mem)
	} else {
		closeKey, offset := end, int64(0)
		if end < 0 {
			closeKey, offset = start, sizes[len(sizes)-1]
		}
		agg, err = exec.NewWindowAgg(exec.WindowAggConfig{
			Input: windowed, GroupBy: cfg.GroupBy, Aggs: cfg.Aggs, Output: cfg.Output,
			CloseKey: closeKey, CloseOffset: offset,
		}, out, mem)
	}
	if err != nil {
		return nil, err
	}
	assign, err := exec.NewWindowAssign(assignCfg, agg, mem)
	if err != nil {
		return nil, err
	}
	return windowChain{Stream: assign, StateReporter: agg}, nil
}

// windowChain is the head of a window-assign → aggregation chain that
// reports the aggregation's state.
type windowChain struct {
	exec.Stream
	exec.StateReporter
}

// buildEmitOnCloseGolden: emitonclose group=(...) close=<group column>
// aggs=(...): a plain GROUP BY emitting each group once the watermark
// passes its close column, as planner.EmitOnCloseNode builds it.
func buildEmitOnCloseGolden(h *exectest.Harness, d *datadriven.TestData, in catalog.Schema, out exec.Stream) (exec.Stream, error) {
	var group, aggs []string
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
	closeArg, _ := exectest.Arg(d, "close")
	closeKey := -1
	for i, g := range cfg.GroupBy {
		if strings.EqualFold(in.Columns[g].Name, closeArg) {
			closeKey = i
		}
	}
	return exec.NewWindowAgg(exec.WindowAggConfig{
		Input: in, GroupBy: cfg.GroupBy, Aggs: cfg.Aggs, Output: cfg.Output,
		CloseKey: closeKey, CloseOffset: 1, Name: "emit-on-close-agg",
	}, out, h.Mem)
}
