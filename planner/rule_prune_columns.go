package planner

import (
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// pruneColumns narrows every scan to the source columns the plan above it
// reads, and drops projected columns nobody reads. The root keeps all its
// output columns. A scan always keeps the source's watermark column (the
// source derives watermarks from it) and, on a changelog (retract/upsert)
// source, its primary key (the changelog is keyed by it).
type pruneColumns struct{}

var _ Rule = pruneColumns{}

func (pruneColumns) Name() string { return "prune-columns" }

func (pruneColumns) Rewrite(root Logical) (Logical, bool) {
	req := make([]bool, root.Schema().Len())
	for i := range req {
		req[i] = true
	}
	pr := &pruner{}
	out, _ := pr.prune(root, req)
	return out, pr.changed
}

type pruner struct{ changed bool }

// prune returns a node computing at least the columns of n marked in req,
// and the mapping from n's column indexes to the new node's (-1: dropped).
func (pr *pruner) prune(n Logical, req []bool) (Logical, []int) {
	switch n := n.(type) {
	case *LogicalScan:
		return pr.pruneScan(n, req)
	case *LogicalViewScan:
		return n, identityMapping(n.Schema().Len()) // never pruned
	case *LogicalFilter:
		need := append([]bool(nil), req...)
		usedColumns(n.Cond, need)
		in, m := pr.prune(n.Input, need)
		return &LogicalFilter{Input: in, Cond: remap(n.Cond, m)}, m
	case *LogicalProject:
		return pr.pruneProject(n, req)
	case *LogicalAgg:
		return pr.pruneAgg(n)
	case *LogicalJoin:
		return pr.pruneJoin(n, req)
	case *LogicalLookupJoin:
		return pr.pruneLookupJoin(n, req)
	case prunable:
		return n.prune(pr, req)
	}
	return n, identityMapping(n.Schema().Len())
}

// prunable is a logical node that prunes itself and its input (the
// event-time nodes). Nodes that are neither listed above nor prunable keep
// every column, and nothing below them is pruned.
type prunable interface {
	Logical
	prune(pr *pruner, req []bool) (Logical, []int)
}

func (pr *pruner) pruneScan(n *LogicalScan, req []bool) (Logical, []int) {
	cols := n.columnIndexes()
	keep := append([]bool(nil), req...)
	for i, c := range cols {
		if alwaysScanned(n.Source, c) {
			keep[i] = true
		}
	}
	mapping := make([]int, len(cols))
	var out []int
	for i, c := range cols {
		mapping[i] = -1
		if keep[i] {
			mapping[i] = len(out)
			out = append(out, c)
		}
	}
	if len(out) == 0 && len(cols) > 0 { // keep one column so rows still count
		mapping[0], out = 0, []int{cols[0]}
	}
	if len(out) == len(cols) {
		return n, mapping
	}
	pr.changed = true
	return &LogicalScan{Source: n.Source, Columns: out}, mapping
}

// alwaysScanned reports the source columns pruning must keep.
func alwaysScanned(s *catalog.Source, col int) bool {
	if s.Watermark != nil && s.Watermark.Column == col {
		return true
	}
	if s.Changelog != catalog.AppendOnly {
		for _, k := range s.PrimaryKey {
			if k == col {
				return true
			}
		}
	}
	return false
}

func (pr *pruner) pruneProject(n *LogicalProject, req []bool) (Logical, []int) {
	need := make([]bool, n.Input.Schema().Len())
	mapping := make([]int, len(n.Exprs))
	kept := 0
	for i, e := range n.Exprs {
		mapping[i] = -1
		if req[i] {
			usedColumns(e, need)
			mapping[i] = kept
			kept++
		}
	}
	in, m := pr.prune(n.Input, need)
	exprs := make([]scalar.Expr, 0, kept)
	names := make([]string, 0, kept)
	for i, e := range n.Exprs {
		if req[i] {
			exprs = append(exprs, remap(e, m))
			names = append(names, n.Names[i])
		}
	}
	if kept < len(n.Exprs) {
		pr.changed = true
	}
	return &LogicalProject{Input: in, Exprs: exprs, Names: names}, mapping
}

func identityMapping(n int) []int {
	m := make([]int, n)
	for i := range m {
		m[i] = i
	}
	return m
}
