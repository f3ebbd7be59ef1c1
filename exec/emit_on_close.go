package exec

import (
	"fmt"

	"github.com/sqlstream/sqlstream/planner"
)

func init() { RegisterNodeBuilder(planner.PhysEmitOnClose, buildEmitOnClose) }

// buildEmitOnClose builds the operator of a planner.EmitOnCloseNode, a
// plain GROUP BY written with EMIT ON WINDOW CLOSE, then its input: a
// WindowAgg whose groups close when the watermark passes the group's
// event time t (at t+1: rows of time t may arrive while the watermark is
// t).
func buildEmitOnClose(b *Builder, n planner.Physical, out Stream) error {
	node, ok := n.(*planner.EmitOnCloseNode)
	if !ok {
		return fmt.Errorf("build emit-on-close: got a %T", n)
	}
	op, err := NewWindowAgg(WindowAggConfig{
		Input: node.Input.Props().Schema, GroupBy: node.GroupBy, Aggs: node.Aggs, Output: node.P.Schema.Arrow(),
		CloseKey: node.TimeKey, CloseOffset: 1, Name: "emit-on-close-agg",
	}, out, b.Env().Alloc)
	if err != nil {
		return err
	}
	b.Track(op.Name(), op)
	return b.Node(node.Input, op)
}
