package planner

import (
	"fmt"
	"slices"

	"github.com/sqlstream/sqlstream/catalog"
)

// LogicalOver appends OVER window function columns to its input (see
// OverNode): its schema is the input's columns, then one column per Calls
// named by Names. Partition and Order are input columns; OrderPos is the
// file offset of the ORDER BY column, for the error when it is not an
// event-time column of the lowered input; PartitionPos that of the
// PARTITION BY keyword (OrderPos without one), for check's state-growth
// findings. Limit > 0 is a Top-N bound set by the topN rule.
type LogicalOver struct {
	Input        Logical
	Partition    []int
	Order        int
	OrderPos     int
	PartitionPos int
	Calls        []OverCall
	Names        []string
	Limit        int64
	// Sort is the whole ORDER BY when it is not one ascending column (a
	// Top-N ordered by other columns or DESC, topn.go); Order is then its
	// first column.
	Sort []SortKey
}

var (
	_ lowerer  = (*LogicalOver)(nil)
	_ prunable = (*LogicalOver)(nil)
)

// Schema is the input's columns followed by the window columns.
// ROW_NUMBER and COUNT are never NULL.
func (n *LogicalOver) Schema() catalog.Schema {
	in := n.Input.Schema()
	cols := append([]catalog.Column(nil), in.Columns...)
	for i, c := range n.Calls {
		notNull := c.Func == OverRowNumber || (c.Func == OverAgg && (c.Agg == AggCount || c.Agg == AggCountStar))
		cols = append(cols, catalog.Column{Name: n.Names[i], Type: c.T, NotNull: notNull})
	}
	return catalog.Schema{Columns: cols}
}

// Children returns the input.
func (n *LogicalOver) Children() []Logical { return []Logical{n.Input} }

func (n *LogicalOver) withChildren(c []Logical) Logical {
	out := *n
	out.Input = c[0]
	return &out
}

// lower checks what the operator needs of its input: an append-only
// stream whose watermark bounds the ORDER BY column.
func (n *LogicalOver) lower() (Physical, error) {
	in, err := lower(n.Input)
	if err != nil {
		return nil, err
	}
	ip := in.Props()
	if n.Sort != nil || (topNOnly(n) && !slices.Contains(ip.Time, n.Order)) {
		return lowerSortedOver(n, in)
	}
	orderName := ip.Schema.Columns[n.Order].Name
	if ip.Mode != catalog.AppendOnly {
		return nil, &planError{pos: n.OrderPos, msg: fmt.Sprintf(
			"OVER window functions need an append-only input; this input is a %s changelog", modeText(ip))}
	}
	if !slices.Contains(ip.Time, n.Order) {
		return nil, &planError{pos: n.OrderPos, msg: fmt.Sprintf(
			"OVER needs ORDER BY an event-time column (a column with a WATERMARK, passed through unchanged); %s is not one", orderName)}
	}
	schema := n.Schema()
	return &OverNode{
		P: Props{
			Schema:   schema,
			Mode:     catalog.AppendOnly,
			Key:      ip.Key,
			Stateful: true,
			Time:     []int{n.Order},
		},
		Input:     in,
		Partition: n.Partition,
		Order:     n.Order,
		Calls:     n.Calls,
		Limit:     n.Limit,
		Pos:       n.PartitionPos,
	}, nil
}

// prune keeps the input columns required above and those the window
// functions read; every window column stays.
func (n *LogicalOver) prune(pr *pruner, req []bool) (Logical, []int) {
	w := n.Input.Schema().Len()
	need := append([]bool(nil), req[:w]...)
	need[n.Order] = true
	for _, k := range n.Sort {
		need[k.Col] = true
	}
	for _, c := range n.Partition {
		need[c] = true
	}
	for _, c := range n.Calls {
		for _, col := range []int{c.Arg, c.Default} {
			if col >= 0 {
				need[col] = true
			}
		}
	}
	in, m := pr.prune(n.Input, need)
	out := *n
	out.Input = in
	out.Order = m[n.Order]
	out.Partition = remapCols(n.Partition, m)
	out.Sort = remapSort(n.Sort, m)
	out.Calls = make([]OverCall, len(n.Calls))
	for i, c := range n.Calls {
		if c.Arg >= 0 {
			c.Arg = m[c.Arg]
		}
		if c.Default >= 0 {
			c.Default = m[c.Default]
		}
		out.Calls[i] = c
	}
	nw := in.Schema().Len()
	mapping := append([]int(nil), m...)
	for i := range n.Calls {
		mapping = append(mapping, nw+i)
	}
	return &out, mapping
}

// remapCols maps column indexes through a pruning mapping.
func remapCols(cols []int, m []int) []int {
	if cols == nil {
		return nil
	}
	out := make([]int, len(cols))
	for i, c := range cols {
		out[i] = m[c]
	}
	return out
}
