package planner

import (
	"fmt"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// lower turns an optimized logical plan into physical nodes with their
// Props derived bottom-up.
func lower(n Logical) (Physical, error) {
	switch n := n.(type) {
	case *LogicalScan:
		return lowerScan(n), nil
	case *LogicalFilter:
		in, err := lower(n.Input)
		if err != nil {
			return nil, err
		}
		ip := in.Props()
		if ip.Mode == catalog.Upsert {
			// An upsert delete may carry only the key: the condition cannot
			// be evaluated on it. Needs upsert→retract normalization first.
			return nil, fmt.Errorf("not supported yet: WHERE on an upsert changelog (keyed by %s)", keyNames(ip))
		}
		return &FilterNode{P: Props{Schema: ip.Schema, Mode: ip.Mode, Key: ip.Key}, Input: in, Cond: n.Cond}, nil
	case *LogicalProject:
		return lowerProject(n)
	}
	return nil, fmt.Errorf("planner: cannot lower %T", n)
}

// lowerScan derives a scan's props: the source's changelog mode, and its
// primary key when every key column is scanned.
func lowerScan(n *LogicalScan) *SourceScan {
	cols := n.Columns
	if cols == nil {
		cols = n.columnIndexes()
	}
	return &SourceScan{
		P: Props{
			Schema: n.Schema(),
			Mode:   n.Source.Changelog,
			Key:    mapKey(n.Source.PrimaryKey, func(c int) int { return indexOf(cols, c) }),
		},
		Source:  n.Source,
		Columns: n.Columns,
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
	ip := in.Props()
	key := mapKey(ip.Key, func(c int) int { return passthrough(n.Exprs, c) })
	if ip.Mode == catalog.Upsert && key == nil {
		return nil, fmt.Errorf("the query drops the upsert key %s of its input; select the key columns", keyNames(ip))
	}
	return &ProjectNode{P: Props{Schema: n.Schema(), Mode: ip.Mode, Key: key}, Input: in, Exprs: n.Exprs}, nil
}

// mapKey maps every key column through f; nil when the key is empty or
// some column is not found (f returns -1).
func mapKey(key []int, f func(int) int) []int {
	if len(key) == 0 {
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
