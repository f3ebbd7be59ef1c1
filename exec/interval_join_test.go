package exec_test

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/cockroachdb/datadriven"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/planner"
)

func init() { builders["intervaljoin"] = buildIntervalJoinGolden }

// buildIntervalJoinGolden: intervaljoin type=<inner|left|right|full>
// left=(<schema>) right=(<schema>) lkeys=(<cols>) rkeys=(<cols>)
// ltime=<col> rtime=<col> lower=<ms> upper=<ms> [residual=(<sql>)]: a pair
// joins when left.ltime + lower <= right.rtime <= left.ltime + upper.
func buildIntervalJoinGolden(h *exectest.Harness, d *datadriven.TestData, _ catalog.Schema, out exec.Stream) (exec.Stream, error) {
	jc, ls, rs, err := joinGoldenConfig(h, d)
	if err != nil {
		return nil, err
	}
	cfg := exec.IntervalJoinConfig{Type: jc.Type, Left: jc.Left, Right: jc.Right, Out: jc.Out,
		LeftKeys: jc.LeftKeys, RightKeys: jc.RightKeys, Residual: jc.Residual}
	lt, err1 := columnsOf(d, "ltime", ls)
	rt, err2 := columnsOf(d, "rtime", rs)
	lo, err3 := intArg(d, "lower")
	up, err4 := intArg(d, "upper")
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return nil, err
	}
	cfg.LeftTime, cfg.RightTime, cfg.Lower, cfg.Upper = lt[0], rt[0], lo, up
	j, err := exec.NewIntervalJoin(cfg, out, h.Mem)
	if err != nil {
		return nil, err
	}
	return &ivPorts{j: j, left: ls, right: rs}, nil
}

func intArg(d *datadriven.TestData, key string) (int64, error) {
	v, ok := exectest.Arg(d, key)
	if !ok {
		return 0, fmt.Errorf("want %s=<ms>", key)
	}
	return strconv.ParseInt(v, 10, 64)
}

// ivPorts exposes an IntervalJoin's ports to the harness. Without port=,
// a watermark, barrier or close goes to both ports, left first.
type ivPorts struct {
	j           *exec.IntervalJoin
	left, right catalog.Schema
}

var _ exectest.Ports = (*ivPorts)(nil)

func (p *ivPorts) Port(name string) (exec.Stream, catalog.Schema, error) {
	switch name {
	case "left":
		return p.j.Left(), p.left, nil
	case "right":
		return p.j.Right(), p.right, nil
	}
	return nil, catalog.Schema{}, fmt.Errorf("interval join has ports left and right, not %q", name)
}

func (p *ivPorts) Push(exec.Batch) error {
	return fmt.Errorf("interval join: push needs port=left or port=right")
}

func (p *ivPorts) Watermark(t int64) error {
	return errors.Join(p.j.Left().Watermark(t), p.j.Right().Watermark(t))
}

func (p *ivPorts) Barrier(e uint64) error {
	return errors.Join(p.j.Left().Barrier(e), p.j.Right().Barrier(e))
}

func (p *ivPorts) Close() error { return errors.Join(p.j.Left().Close(), p.j.Right().Close()) }

// TestIntervalJoinState checks the state the join reports: rows held
// after each batch, freed by the other side's watermark, and the peak.
func TestIntervalJoinState(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ls := mustSchema(t, "lk:varchar", "lts:timestamp")
	rs := mustSchema(t, "rk:varchar", "rts:timestamp")
	all := catalog.Schema{Columns: append(append([]catalog.Column(nil), ls.Columns...), rs.Columns...)}
	j, err := exec.NewIntervalJoin(exec.IntervalJoinConfig{Type: planner.InnerJoin, Left: ls.Arrow(), Right: rs.Arrow(),
		Out: all.Arrow(), LeftKeys: []int{0}, RightKeys: []int{0}, LeftTime: 1, RightTime: 1, Lower: -100, Upper: 100}, &discard{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	push := func(port exec.Stream, s catalog.Schema, rows string) {
		t.Helper()
		b, err := exectest.ParseBatch(s, rows, mem)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Release()
		if err := port.Push(b); err != nil {
			t.Fatal(err)
		}
	}
	state := func(want int64) {
		t.Helper()
		rows, bytes := j.StateSize()
		if rows != want || (rows > 0 && bytes <= 0) {
			t.Fatalf("state %d rows, %d bytes; want %d rows", rows, bytes, want)
		}
	}
	push(j.Left(), ls, "+I a 1000\n+I b 2000\n+I c 3000\n+I NULL 3000\n")
	state(3)
	push(j.Right(), rs, "+I a 1050\n")
	state(4)
	// The right watermark 2101 frees left rows below 2001 (a and b);
	// the left watermark 1151 frees right rows below 1051 (a).
	if err := j.Right().Watermark(2101); err != nil {
		t.Fatal(err)
	}
	state(2)
	if err := j.Left().Watermark(1151); err != nil {
		t.Fatal(err)
	}
	state(1)
	if err := j.Left().Close(); err != nil {
		t.Fatal(err)
	}
	if err := j.Right().Close(); err != nil {
		t.Fatal(err)
	}
	state(0)
	if p := j.PeakStateRows(); p != 4 {
		t.Errorf("peak %d rows, want 4", p)
	}
}

// TestIntervalJoinConfigErrors checks that bad configurations are refused.
func TestIntervalJoinConfigErrors(t *testing.T) {
	ls := mustSchema(t, "lk:bigint", "lts:timestamp", "v:varchar")
	rs := mustSchema(t, "rk:bigint", "rts:timestamp")
	all := catalog.Schema{Columns: append(append([]catalog.Column(nil), ls.Columns...), rs.Columns...)}
	ok := exec.IntervalJoinConfig{Type: planner.LeftJoin, Left: ls.Arrow(), Right: rs.Arrow(), Out: all.Arrow(),
		LeftKeys: []int{0}, RightKeys: []int{0}, LeftTime: 1, RightTime: 1, Lower: 0, Upper: 10}
	if _, err := exec.NewIntervalJoin(ok, &discard{}, memory.NewGoAllocator()); err != nil {
		t.Fatal(err)
	}
	for want, mod := range map[string]func(c *exec.IntervalJoinConfig){
		"empty bounds":         func(c *exec.IntervalJoinConfig) { c.Lower = 11 },
		"want timestamp":       func(c *exec.IntervalJoinConfig) { c.LeftTime = 2 },
		"time column 5 out of": func(c *exec.IntervalJoinConfig) { c.RightTime = 5 },
		"unknown join type":    func(c *exec.IntervalJoinConfig) { c.Type = 0 },
		"cannot compare":       func(c *exec.IntervalJoinConfig) { c.LeftKeys = []int{2} },
		"output has 4 columns": func(c *exec.IntervalJoinConfig) {
			c.Out = mustSchema(t, "a:bigint", "b:bigint", "c:bigint", "d:bigint").Arrow()
		},
	} {
		c := ok
		mod(&c)
		if _, err := exec.NewIntervalJoin(c, &discard{}, memory.NewGoAllocator()); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v", want, err)
		}
	}
}
