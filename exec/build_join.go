package exec

import (
	"fmt"
	"time"

	"github.com/sqlstream/sqlstream/exec/expr"
	"github.com/sqlstream/sqlstream/planner"
)

func init() { RegisterNodeBuilder(planner.PhysJoin, buildJoin) }

// buildJoin builds a Join for a planner.JoinNode and then both inputs,
// each emitting into its port.
func buildJoin(b *Builder, node planner.Physical, out Stream) error {
	n, ok := node.(*planner.JoinNode)
	if !ok {
		return fmt.Errorf("build join: got %T", node)
	}
	cfg := JoinConfig{
		Type: n.Type, Left: n.Left.Props().Schema.Arrow(), Right: n.Right.Props().Schema.Arrow(),
		LeftKeys: n.LeftKeys, RightKeys: n.RightKeys, Out: n.P.Schema.Arrow(),
		StateTTL: time.Duration(n.StateTTLMs) * time.Millisecond,
	}
	if n.Residual != nil {
		p, err := expr.CompilePredicate(n.Residual, expr.Options{Now: b.Env().Now})
		if err != nil {
			return fmt.Errorf("%s join residual %s: %w", n.Type, n.Residual, err)
		}
		cfg.Residual = p
	}
	j, err := NewJoin(cfg, out, b.Env().Alloc)
	if err != nil {
		return fmt.Errorf("%s join: %w", n.Type, err)
	}
	b.Track(fmt.Sprintf("join %s on %s = %s", n.Type, columnList(n.Left.Props().Schema, n.LeftKeys),
		columnList(n.Right.Props().Schema, n.RightKeys)), j)
	if err := b.Node(n.Left, j.Left()); err != nil {
		return err
	}
	return b.Node(n.Right, j.Right())
}
