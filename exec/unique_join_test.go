package exec_test

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/cockroachdb/datadriven"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
)

func init() { builders["unique_join"] = buildUniqueJoinGolden }

// buildUniqueJoinGolden: unique_join ports=(a, b, ...) a=(<schema>)
// b=(<schema>) ... keys=(<key col of a>, <of b>, ...) times=(<time col of
// a>, ...) steps=(<inner|left> <ref port> <lower ms> <upper ms>, ...)
// [res_b=(<sql>) ...]. Column names must differ between inputs; a
// residual is bound over every input's columns. Without port=, a
// watermark, barrier or close goes to every port; `state` prints the
// state held.
func buildUniqueJoinGolden(h *exectest.Harness, d *datadriven.TestData, _ catalog.Schema, out exec.Stream) (exec.Stream, error) {
	portsArg, _ := exectest.Arg(d, "ports")
	names := splitList(portsArg)
	if len(names) < 2 {
		return nil, fmt.Errorf("unique_join: want ports=(a, b, ...)")
	}
	var cfg exec.UniqueJoinConfig
	var schemas []catalog.Schema
	var all catalog.Schema
	for _, n := range names {
		s, err := schemaOf(d, n)
		if err != nil {
			return nil, err
		}
		schemas = append(schemas, s)
		cfg.Inputs = append(cfg.Inputs, s.Arrow())
		all.Columns = append(all.Columns, s.Columns...)
	}
	for i := range all.Columns {
		all.Columns[i].NotNull = false
	}
	cfg.Out, cfg.Names = all.Arrow(), names
	keys, _ := exectest.Arg(d, "keys")
	times, _ := exectest.Arg(d, "times")
	steps, _ := exectest.Arg(d, "steps")
	kl, tl, sl := splitList(keys), splitList(times), splitList(steps)
	if len(kl) != len(names) || len(tl) != len(names) || len(sl) != len(names)-1 {
		return nil, fmt.Errorf("unique_join: want a key and a time per port and a step per port but the first")
	}
	for i, s := range schemas {
		k, t := s.Index(kl[i]), s.Index(tl[i])
		if k < 0 || t < 0 {
			return nil, fmt.Errorf("unique_join: %s has no column %s or %s", names[i], kl[i], tl[i])
		}
		cfg.Keys = append(cfg.Keys, []int{k})
		cfg.Times = append(cfg.Times, t)
	}
	for i, st := range sl {
		step, err := parseUJStep(st, names)
		if err != nil {
			return nil, err
		}
		if sql, ok := exectest.Arg(d, "res_"+names[i+1]); ok {
			p, err := exectest.CompilePredicate(all, sql, h.Now)
			if err != nil {
				return nil, err
			}
			step.Residual = p
		}
		cfg.Steps = append(cfg.Steps, step)
	}
	j, err := exec.NewUniqueJoin(cfg, out, h.Mem)
	if err != nil {
		return nil, err
	}
	return &ujPorts{j: j, names: names, schemas: schemas}, nil
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// parseUJStep reads `<inner|left> <ref port> <lower ms> <upper ms>`.
func parseUJStep(s string, names []string) (exec.UniqueJoinStep, error) {
	var st exec.UniqueJoinStep
	f := strings.Fields(s)
	if len(f) != 4 {
		return st, fmt.Errorf("unique_join: step %q: want <inner|left> <ref> <lower> <upper>", s)
	}
	var ok bool
	if st.Type, ok = joinTypes[f[0]]; !ok {
		return st, fmt.Errorf("unique_join: step %q: bad join type", s)
	}
	st.Ref = -1
	for i, n := range names {
		if n == f[1] {
			st.Ref = i
		}
	}
	lo, err1 := strconv.ParseInt(f[2], 10, 64)
	hi, err2 := strconv.ParseInt(f[3], 10, 64)
	if err := errors.Join(err1, err2); err != nil || st.Ref < 0 {
		return st, fmt.Errorf("unique_join: step %q: bad ref or bounds", s)
	}
	st.Lower, st.Upper = lo, hi
	return st, nil
}

// ujPorts exposes a UniqueJoin's ports to the harness.
type ujPorts struct {
	j       *exec.UniqueJoin
	names   []string
	schemas []catalog.Schema
}

var _ exectest.Ports = (*ujPorts)(nil)

func (p *ujPorts) Port(name string) (exec.Stream, catalog.Schema, error) {
	for i, n := range p.names {
		if n == name {
			return p.j.Port(i), p.schemas[i], nil
		}
	}
	return nil, catalog.Schema{}, fmt.Errorf("unique_join has ports %v, not %q", p.names, name)
}

// Push reports the state held (`push` without port= is how a golden
// asks for it): keys and rows now, and the peak.
func (p *ujPorts) Push(exec.Batch) error {
	rows, _ := p.j.StateSize()
	return fmt.Errorf("state: keys=%d rows=%d peak=%d", p.j.StateKeys(), rows, p.j.PeakStateRows())
}

func (p *ujPorts) each(f func(exec.Stream) error) error {
	var errs []error
	for i := range p.names {
		errs = append(errs, f(p.j.Port(i)))
	}
	return errors.Join(errs...)
}

func (p *ujPorts) Watermark(t int64) error {
	return p.each(func(s exec.Stream) error { return s.Watermark(t) })
}

func (p *ujPorts) Barrier(e uint64) error {
	return p.each(func(s exec.Stream) error { return s.Barrier(e) })
}

func (p *ujPorts) Close() error { return p.each(func(s exec.Stream) error { return s.Close() }) }
