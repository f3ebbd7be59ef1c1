package exec_test

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cockroachdb/datadriven"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/planner"
)

func init() { builders["over"] = buildOverGolden }

// buildOverGolden: over [partition=(col, ...)] order=<col> calls=(row_number(), lag(x[, n[, default col]]),
// lead(...), sum(x) [rows], count(*), ...) [limit=<n>]
func buildOverGolden(h *exectest.Harness, d *datadriven.TestData, in catalog.Schema, out exec.Stream) (exec.Stream, error) {
	cfg, err := overConfig(in, d)
	if err != nil {
		return nil, err
	}
	return exec.NewOver(cfg, out, h.Mem)
}

func overConfig(in catalog.Schema, d *datadriven.TestData) (exec.OverConfig, error) {
	cfg := exec.OverConfig{Input: in, Order: -1}
	for _, a := range d.CmdArgs {
		switch a.Key {
		case "partition":
			for _, v := range a.Vals {
				i := in.Index(strings.TrimSpace(v))
				if i < 0 {
					return cfg, fmt.Errorf("unknown partition column %q", v)
				}
				cfg.Partition = append(cfg.Partition, i)
			}
		case "order":
			cfg.Order = in.Index(a.Vals[0])
		case "limit":
			n, err := strconv.ParseInt(a.Vals[0], 10, 64)
			if err != nil {
				return cfg, err
			}
			cfg.Limit = n
		}
	}
	calls, _ := exectest.Arg(d, "calls")
	specs := splitTopLevel(calls)
	out := append([]catalog.Column(nil), in.Columns...)
	for _, spec := range specs {
		c, err := parseOverCall(in, spec)
		if err != nil {
			return cfg, err
		}
		cfg.Calls = append(cfg.Calls, c)
		out = append(out, catalog.Column{Name: spec, Type: c.T})
	}
	cfg.Output = catalog.Schema{Columns: out}.Arrow()
	return cfg, nil
}

// splitTopLevel splits "a(x, 1), b" at the commas outside parentheses.
func splitTopLevel(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	if rest := strings.TrimSpace(s[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

// parseOverCall reads row_number(), lag(x[, n[, d]]), lead(...) or an
// aggregate (hashagg syntax) optionally followed by " rows".
func parseOverCall(in catalog.Schema, spec string) (planner.OverCall, error) {
	c := planner.OverCall{Arg: -1, Default: -1, Offset: 1}
	body, rows := strings.CutSuffix(spec, " rows")
	fn, args, _ := strings.Cut(strings.TrimSuffix(body, ")"), "(")
	switch fn {
	case "row_number":
		c.Func, c.T = planner.OverRowNumber, catalog.BigIntType
		return c, nil
	case "lag", "lead":
		c.Func = planner.OverLag
		if fn == "lead" {
			c.Func = planner.OverLead
		}
		parts := splitTopLevel(args)
		if c.Arg = in.Index(parts[0]); c.Arg < 0 {
			return c, fmt.Errorf("%s: unknown column %s", spec, parts[0])
		}
		c.T = in.Columns[c.Arg].Type
		if len(parts) > 1 {
			n, err := strconv.ParseInt(parts[1], 10, 64)
			if err != nil {
				return c, err
			}
			c.Offset = n
		}
		if len(parts) > 2 {
			if c.Default = in.Index(parts[2]); c.Default < 0 {
				return c, fmt.Errorf("%s: unknown default column %s", spec, parts[2])
			}
		}
		return c, nil
	}
	a, err := parseAggCall(in, body)
	if err != nil {
		return c, err
	}
	c.Func, c.Agg, c.Arg, c.T, c.Rows = planner.OverAgg, a.Func, a.Arg, a.T, rows
	return c, nil
}
