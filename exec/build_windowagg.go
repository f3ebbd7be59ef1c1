package exec

import (
	"fmt"

	"github.com/sqlstream/sqlstream/parser"
	"github.com/sqlstream/sqlstream/planner"
)

func init() {
	RegisterNodeBuilder(planner.PhysWindowAgg, buildWindowAgg)
	RegisterNodeBuilder(planner.PhysWindowAssign, buildWindowAssign)
}

// buildWindowAgg builds a SessionAgg for a planner.WindowAggNode over
// SESSION windows, else a WindowAgg closing groups by their window, then
// its input.
func buildWindowAgg(b *Builder, n planner.Physical, out Stream) error {
	node, ok := n.(*planner.WindowAggNode)
	if !ok {
		return fmt.Errorf("build window-agg: got a %T", n)
	}
	in := node.Input.Props().Schema
	var op interface {
		Operator
		StateReporter
	}
	var err error
	if node.Window == parser.Session {
		op, err = NewSessionAgg(SessionAggConfig{
			Input: in, GroupBy: node.GroupBy, Aggs: node.Aggs, Output: node.P.Schema.Arrow(),
			StartKey: node.StartKey, EndKey: node.EndKey, Gap: node.Sizes[0],
		}, out, b.Env().Alloc)
	} else {
		op, err = NewWindowAgg(WindowAggConfig{
			Input: in, GroupBy: node.GroupBy, Aggs: node.Aggs, Output: node.P.Schema.Arrow(),
			CloseKey: node.CloseKey, CloseOffset: node.CloseOffset,
		}, out, b.Env().Alloc)
	}
	if err != nil {
		return err
	}
	b.Track(op.Name(), op)
	return b.Node(node.Input, op)
}

// buildWindowAssign builds a WindowAssign for a planner.WindowAssignNode,
// then its input.
func buildWindowAssign(b *Builder, n planner.Physical, out Stream) error {
	node, ok := n.(*planner.WindowAssignNode)
	if !ok {
		return fmt.Errorf("build window-assign: got a %T", n)
	}
	op, err := NewWindowAssign(WindowAssignConfig{
		Kind: node.Window, TimeCol: node.TimeCol, Sizes: node.Sizes, Output: node.P.Schema.Arrow(),
	}, out, b.Env().Alloc)
	if err != nil {
		return err
	}
	return b.Node(node.Input, op)
}
