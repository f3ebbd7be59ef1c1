package exec_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cockroachdb/datadriven"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/exec/exectest"
	"github.com/sqlstream/sqlstream/planner"
)

func init() { builders["join"] = buildJoinGolden }

// joinTypes maps the golden spelling of a join type.
var joinTypes = map[string]planner.JoinType{
	"inner": planner.InnerJoin, "left": planner.LeftJoin, "right": planner.RightJoin, "full": planner.FullJoin,
}

// buildJoinGolden: join type=<inner|left|right|full> left=(<schema>)
// right=(<schema>) lkeys=(<cols>) rkeys=(<cols>) [residual=(<sql>)]
// Column names must differ between the sides; the residual is bound over
// left++right.
func buildJoinGolden(h *exectest.Harness, d *datadriven.TestData, _ catalog.Schema, out exec.Stream) (exec.Stream, error) {
	cfg, ls, rs, err := joinGoldenConfig(h, d)
	if err != nil {
		return nil, err
	}
	j, err := exec.NewJoin(cfg, out, h.Mem)
	if err != nil {
		return nil, err
	}
	return &joinPorts{j: j, left: ls, right: rs}, nil
}

func joinGoldenConfig(h *exectest.Harness, d *datadriven.TestData) (exec.JoinConfig, catalog.Schema, catalog.Schema, error) {
	var cfg exec.JoinConfig
	typ, _ := exectest.Arg(d, "type")
	var ok bool
	if cfg.Type, ok = joinTypes[typ]; !ok {
		return cfg, catalog.Schema{}, catalog.Schema{}, fmt.Errorf("join: type=%q, want inner, left, right or full", typ)
	}
	ls, err1 := schemaOf(d, "left")
	rs, err2 := schemaOf(d, "right")
	if err := errors.Join(err1, err2); err != nil {
		return cfg, ls, rs, err
	}
	all := catalog.Schema{Columns: append(append([]catalog.Column(nil), ls.Columns...), rs.Columns...)}
	for i := range all.Columns {
		all.Columns[i].NotNull = false
	}
	cfg.Left, cfg.Right, cfg.Out = ls.Arrow(), rs.Arrow(), all.Arrow()
	if cfg.LeftKeys, err1 = columnsOf(d, "lkeys", ls); err1 != nil {
		return cfg, ls, rs, err1
	}
	if cfg.RightKeys, err1 = columnsOf(d, "rkeys", rs); err1 != nil {
		return cfg, ls, rs, err1
	}
	if sql, ok := exectest.Arg(d, "residual"); ok {
		p, err := exectest.CompilePredicate(all, sql, h.Now)
		if err != nil {
			return cfg, ls, rs, err
		}
		cfg.Residual = p
	}
	return cfg, ls, rs, nil
}

func schemaOf(d *datadriven.TestData, key string) (catalog.Schema, error) {
	for _, a := range d.CmdArgs {
		if a.Key == key {
			return exectest.ParseSchema(a.Vals)
		}
	}
	return catalog.Schema{}, fmt.Errorf("join: want %s=(name:type, ...)", key)
}

func columnsOf(d *datadriven.TestData, key string, s catalog.Schema) ([]int, error) {
	v, ok := exectest.Arg(d, key)
	if !ok {
		return nil, fmt.Errorf("join: want %s=(col, ...)", key)
	}
	var out []int
	for _, name := range strings.Split(v, ",") {
		i := s.Index(strings.TrimSpace(name))
		if i < 0 {
			return nil, fmt.Errorf("join: %s: unknown column %q in %s", key, name, s)
		}
		out = append(out, i)
	}
	return out, nil
}

// joinPorts exposes a Join's ports to the harness. Without port=, a
// watermark, barrier or close goes to both ports.
type joinPorts struct {
	j           *exec.Join
	left, right catalog.Schema
}

var _ exectest.Ports = (*joinPorts)(nil)

func (p *joinPorts) Port(name string) (exec.Stream, catalog.Schema, error) {
	switch name {
	case "left":
		return p.j.Left(), p.left, nil
	case "right":
		return p.j.Right(), p.right, nil
	}
	return nil, catalog.Schema{}, fmt.Errorf("join has ports left and right, not %q", name)
}

func (p *joinPorts) Push(exec.Batch) error {
	return fmt.Errorf("join: push needs port=left or port=right")
}

func (p *joinPorts) Watermark(t int64) error {
	return errors.Join(p.j.Left().Watermark(t), p.j.Right().Watermark(t))
}

func (p *joinPorts) Barrier(e uint64) error {
	return errors.Join(p.j.Left().Barrier(e), p.j.Right().Barrier(e))
}

func (p *joinPorts) Close() error { return errors.Join(p.j.Left().Close(), p.j.Right().Close()) }
