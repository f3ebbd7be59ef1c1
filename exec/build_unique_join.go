package exec

import (
	"fmt"
	"strings"

	"github.com/sqlstream/sqlstream/exec/expr"
	"github.com/sqlstream/sqlstream/planner"
)

func init() { RegisterNodeBuilder(planner.PhysUniqueJoin, buildUniqueJoin) }

// buildUniqueJoin builds a UniqueJoin for a planner.UniqueJoinNode, tracks
// its state, then builds every input emitting into its port.
func buildUniqueJoin(b *Builder, node planner.Physical, out Stream) error {
	n, ok := node.(*planner.UniqueJoinNode)
	if !ok {
		return fmt.Errorf("build unique-key join: got %T", node)
	}
	cfg := UniqueJoinConfig{Keys: n.Keys, Times: n.Times, Out: n.P.Schema.Arrow()}
	for i, in := range n.Ins {
		cfg.Inputs = append(cfg.Inputs, in.Props().Schema.Arrow())
		cfg.Names = append(cfg.Names, fmt.Sprintf("input %d", i))
	}
	for i, st := range n.Steps {
		s := UniqueJoinStep{Type: st.Type, Ref: st.Ref, Lower: st.Lower, Upper: st.Upper}
		if st.Residual != nil {
			p, err := expr.CompilePredicate(st.Residual, expr.Options{Now: b.Env().Now})
			if err != nil {
				return fmt.Errorf("unique-key join input %d residual %s: %w", i+1, st.Residual, err)
			}
			s.Residual = p
		}
		cfg.Steps = append(cfg.Steps, s)
	}
	j, err := NewUniqueJoin(cfg, out, b.Env().Alloc)
	if err != nil {
		return err
	}
	keys := make([]string, len(n.Keys[0]))
	for i, k := range n.Keys[0] {
		keys[i] = n.Ins[0].Props().Schema.Columns[k].Name
	}
	b.Track(fmt.Sprintf("unique-key join on (%s) inputs=%d", strings.Join(keys, ", "), len(n.Ins)), j)
	for i, in := range n.Ins {
		if err := b.Node(in, j.Port(i)); err != nil {
			return err
		}
	}
	return nil
}
