package planner

import "github.com/sqlstream/sqlstream/catalog"

// Logical is a node of a logical plan: what a query computes, before the
// rewrite rules run and before changelog modes, keys and state are derived.
// Logical trees are immutable: rules build new nodes and may share
// unchanged subtrees (an inlined view is shared by every query using it).
type Logical interface {
	// Schema is the node's output row type.
	Schema() catalog.Schema
	// Children are the node's inputs, left to right.
	Children() []Logical
	// withChildren returns a copy of the node over new inputs of the same
	// schemas.
	withChildren(children []Logical) Logical
}

var (
	_ Logical = (*LogicalScan)(nil)
	_ Logical = (*LogicalFilter)(nil)
	_ Logical = (*LogicalProject)(nil)
	_ Logical = (*LogicalJoin)(nil)
	_ Logical = (*LogicalLookupJoin)(nil)
	_ Logical = (*LogicalAgg)(nil)
	_ Logical = (*LogicalViewScan)(nil)
)
