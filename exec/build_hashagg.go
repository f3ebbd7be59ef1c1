package exec

import (
	"fmt"
	"time"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner"
)

func init() { RegisterNodeBuilder(planner.PhysHashAgg, buildHashAgg) }

// buildHashAgg builds a HashAgg for a planner.HashAggNode, then its input.
func buildHashAgg(b *Builder, n planner.Physical, out Stream) error {
	node, ok := n.(*planner.HashAggNode)
	if !ok {
		return fmt.Errorf("build hash-agg: got a %T", n)
	}
	cfg := HashAggConfig{
		Input:    node.Input.Props().Schema,
		GroupBy:  node.GroupBy,
		Aggs:     node.Aggs,
		Output:   node.P.Schema.Arrow(),
		StateTTL: time.Duration(node.StateTTLMs) * time.Millisecond,
		// An append-only input lets MIN/MAX keep only the extreme; a
		// retraction arriving anyway is an error, never a wrong result.
		AppendOnly: node.Input.Props().Mode == catalog.AppendOnly,
	}
	op, err := NewHashAgg(cfg, out, b.Env().Alloc)
	if err != nil {
		return err
	}
	name := "hash-agg (global)"
	if len(node.GroupBy) > 0 {
		name = "hash-agg group by " + columnList(cfg.Input, node.GroupBy)
	}
	b.Track(name, op)
	return b.Node(node.Input, op)
}
