package exec

import (
	"fmt"
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec/expr"
	"github.com/sqlstream/sqlstream/planner"
)

func init() { RegisterNodeBuilder(planner.PhysIntervalJoin, buildIntervalJoin) }

// buildIntervalJoin builds an IntervalJoin for a planner.IntervalJoinNode,
// registers it for state reporting, then builds both inputs, each
// emitting into its port.
func buildIntervalJoin(b *Builder, node planner.Physical, out Stream) error {
	n, ok := node.(*planner.IntervalJoinNode)
	if !ok {
		return fmt.Errorf("build interval join: got %T", node)
	}
	if n.Bound == nil {
		return fmt.Errorf("build interval join: no time bound")
	}
	ls, rs := n.Left.Props().Schema, n.Right.Props().Schema
	cfg := IntervalJoinConfig{
		Type: n.Type, Left: ls.Arrow(), Right: rs.Arrow(), Out: n.P.Schema.Arrow(),
		LeftKeys: n.LeftKeys, RightKeys: n.RightKeys,
		LeftTime: n.Bound.LeftTime, RightTime: n.Bound.RightTime, Lower: n.Bound.Lower, Upper: n.Bound.Upper,
	}
	if n.Residual != nil {
		p, err := expr.CompilePredicate(n.Residual, expr.Options{Now: b.Env().Now})
		if err != nil {
			return fmt.Errorf("interval %s join residual %s: %w", n.Type, n.Residual, err)
		}
		cfg.Residual = p
	}
	j, err := NewIntervalJoin(cfg, out, b.Env().Alloc)
	if err != nil {
		return fmt.Errorf("interval %s join: %w", n.Type, err)
	}
	b.Track(fmt.Sprintf("interval join %s on %s = %s", n.Type, ivColumns(ls, n.LeftKeys), ivColumns(rs, n.RightKeys)), j)
	if err := b.Node(n.Left, j.Left()); err != nil {
		return err
	}
	return b.Node(n.Right, j.Right())
}

// ivColumns names columns of s: "(a, b)".
func ivColumns(s catalog.Schema, idx []int) string {
	names := make([]string, len(idx))
	for i, c := range idx {
		names[i] = s.Columns[c].Name
	}
	return "(" + strings.Join(names, ", ") + ")"
}
