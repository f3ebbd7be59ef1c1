package exec

import (
	"fmt"

	"github.com/sqlstream/sqlstream/planner"
)

func init() { RegisterNodeBuilder(planner.PhysNormalize, buildNormalize) }

// buildNormalize builds the Normalize operator of a planner.NormalizeNode.
func buildNormalize(b *Builder, p planner.Physical, out Stream) error {
	n, ok := p.(*planner.NormalizeNode)
	if !ok {
		return fmt.Errorf("build normalize: got %T", p)
	}
	op, err := NewNormalize(n.P.Schema.Arrow(), n.Key, out, b.Env().Alloc)
	if err != nil {
		return fmt.Errorf("build normalize: %w", err)
	}
	b.Track("normalize key "+columnList(n.P.Schema, n.Key), op)
	return b.Node(n.Input, op)
}
