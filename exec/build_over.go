package exec

import (
	"fmt"

	"github.com/sqlstream/sqlstream/planner"
)

func init() { RegisterNodeBuilder(planner.PhysOver, buildOver) }

// buildOver builds an Over for a planner.OverNode, tracks its state, then
// builds its input.
func buildOver(b *Builder, n planner.Physical, out Stream) error {
	node, ok := n.(*planner.OverNode)
	if !ok {
		return fmt.Errorf("build over: got a %T", n)
	}
	cfg := OverConfig{
		Input:     node.Input.Props().Schema,
		Partition: node.Partition,
		Order:     node.Order,
		Calls:     node.Calls,
		Limit:     node.Limit,
		Output:    node.P.Schema.Arrow(),
	}
	op, err := NewOver(cfg, out, b.Env().Alloc)
	if err != nil {
		return err
	}
	in := node.Input.Props().Schema
	b.Track(fmt.Sprintf("over partition (%s) order by %s", columnList(in, node.Partition), in.Columns[node.Order].Name), op)
	return b.Node(node.Input, op)
}
