package exec

import (
	"fmt"
	"strings"

	"github.com/sqlstream/sqlstream/planner"
)

func init() { RegisterNodeBuilder(planner.PhysTopN, buildTopN) }

// buildTopN builds a TopN for a planner.TopNNode, tracks its state, then
// builds its input.
func buildTopN(b *Builder, n planner.Physical, out Stream) error {
	node, ok := n.(*planner.TopNNode)
	if !ok {
		return fmt.Errorf("build top-n: got a %T", n)
	}
	in := node.Input.Props().Schema
	cfg := TopNConfig{Input: in.Arrow(), Partition: node.Partition, Limit: node.Limit, Output: node.P.Schema.Arrow()}
	order := make([]string, len(node.Order))
	for i, k := range node.Order {
		cfg.Order = append(cfg.Order, TopNOrder{Col: k.Col, Desc: k.Desc})
		order[i] = in.Columns[k.Col].Name
		if k.Desc {
			order[i] += " desc"
		}
	}
	op, err := NewTopN(cfg, out, b.Env().Alloc)
	if err != nil {
		return err
	}
	b.Track(fmt.Sprintf("top-%d partition (%s) order by %s", node.Limit, columnList(in, node.Partition), strings.Join(order, ", ")), op)
	return b.Node(node.Input, op)
}
