package planner

import (
	"fmt"
	"slices"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// lower turns an optimized logical plan into physical nodes with their
// Props derived bottom-up.
func lower(n Logical) (Physical, error) {
	switch n := n.(type) {
	case *LogicalScan:
		return lowerScan(n), nil
	case *LogicalViewScan:
		return lowerViewScan(n), nil
	case *LogicalAgg:
		return lowerAgg(n)
	case *LogicalJoin:
		return lowerJoin(n)
	case *LogicalLookupJoin:
		return lowerLookupJoin(n)
	case *LogicalFilter:
		in, err := lower(n.Input)
		if err != nil {
			return nil, err
		}
		ip := in.Props()
		return &FilterNode{P: Props{Schema: ip.Schema, Mode: ip.Mode, Key: ip.Key, Time: ip.Time}, Input: in, Cond: n.Cond}, nil
	case *LogicalProject:
		return lowerProject(n)
	case lowerer:
		return n.lower()
	}
	return nil, fmt.Errorf("planner: cannot lower %T", n)
}

// lowerer is a logical node that lowers itself (the event-time nodes:
// windows, OVER), so that adding a node kind does not touch lower.
type lowerer interface {
	Logical
	lower() (Physical, error)
}

// lowerScan derives a scan's props: the source's changelog mode, and its
// primary key when every key column is scanned. An upsert source is
// normalized into a retract stream right above the scan.
func lowerScan(n *LogicalScan) Physical {
	cols := n.Columns
	if cols == nil {
		cols = n.columnIndexes()
	}
	scan := &SourceScan{
		P: Props{
			Schema: n.Schema(),
			Mode:   n.Source.Changelog,
			Key:    mapKey(declaredKey(n.Source.PrimaryKey), func(c int) int { return indexOf(cols, c) }),
			Time:   scanTime(n.Source, cols),
		},
		Source:  n.Source,
		Columns: n.Columns,
	}
	if scan.P.Mode != catalog.Upsert || scan.P.Key == nil {
		return scan
	}
	return &NormalizeNode{
		P:     Props{Schema: scan.P.Schema, Mode: catalog.Retract, Key: scan.P.Key, Stateful: true, Time: scan.P.Time},
		Input: scan,
		Key:   scan.P.Key,
	}
}

// lowerProject keeps the input's key when the projection passes every key
// column through unchanged. An upsert stream must keep its key: its
// deletes may carry only the key columns.
func lowerProject(n *LogicalProject) (Physical, error) {
	in, err := lower(n.Input)
	if err != nil {
		return nil, err
	}
	exprs := n.Exprs
	if inner, ok := in.(*ProjectNode); ok && onlyColumns(inner.Exprs) {
		// A projection only picking columns (one a join added to drop
		// its computed keys) merges into this one.
		exprs = make([]scalar.Expr, len(n.Exprs))
		for i, e := range n.Exprs {
			exprs[i] = substitute(e, inner.Exprs)
		}
		in = inner.Input
	}
	ip := in.Props()
	key := mapKey(ip.Key, func(c int) int { return passthrough(exprs, c) })
	if ip.Mode == catalog.Upsert && key == nil {
		return nil, fmt.Errorf("the query drops the upsert key %s of its input; select the key columns", keyNames(ip))
	}
	return &ProjectNode{P: Props{Schema: n.Schema(), Mode: ip.Mode, Key: key, Time: projectTime(ip.Time, exprs)}, Input: in, Exprs: exprs}, nil
}

// scanTime is the event-time column of a scan: the source's watermark
// column, at its position among the scanned columns.
func scanTime(s *catalog.Source, cols []int) []int {
	if s.Watermark == nil {
		return nil
	}
	if i := indexOf(cols, s.Watermark.Column); i >= 0 {
		return []int{i}
	}
	return nil
}

// projectTime maps event-time columns through a projection: every output
// that is a bare reference to one stays an event-time column (a column
// selected twice is so twice).
func projectTime(time []int, exprs []scalar.Expr) []int {
	var out []int
	for i, e := range exprs {
		if r, ok := e.(*scalar.ColRef); ok && slices.Contains(time, r.Index) {
			out = append(out, i)
		}
	}
	return out
}

// onlyColumns reports whether every expression is a bare column.
func onlyColumns(exprs []scalar.Expr) bool {
	for _, e := range exprs {
		if _, ok := e.(*scalar.ColRef); !ok {
			return false
		}
	}
	return true
}

// mapKey maps every key column through f; nil when some column is not
// found (f returns -1). The empty key (at most one row) stays empty; no
// key (nil) stays nil.
func mapKey(key []int, f func(int) int) []int {
	if key == nil {
		return nil
	}
	out := make([]int, len(key))
	for i, k := range key {
		if out[i] = f(k); out[i] < 0 {
			return nil
		}
	}
	return out
}

// passthrough returns the first output position that is a bare reference
// to input column c, or -1.
func passthrough(exprs []scalar.Expr, c int) int {
	for i, e := range exprs {
		if r, ok := e.(*scalar.ColRef); ok && r.Index == c {
			return i
		}
	}
	return -1
}

func indexOf(xs []int, x int) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

func keyNames(p *Props) string {
	names := make([]string, len(p.Key))
	for i, k := range p.Key {
		names[i] = p.Schema.Columns[k].Name
	}
	return fmt.Sprintf("%v", names)
}

// declaredKey is a declared PRIMARY KEY as a key: nil when none.
func declaredKey(pk []int) []int {
	if len(pk) == 0 {
		return nil
	}
	return pk
}
