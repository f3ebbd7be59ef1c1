package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
)

// PhysTopN is the kind of a TopNNode.
const PhysTopN PhysKind = 64

// SortKey is one ORDER BY item of a window: an input column and its
// direction.
type SortKey struct {
	Col  int
	Desc bool
}

// TopNNode is `ROW_NUMBER() OVER (PARTITION BY p ORDER BY o1 [DESC], ...)`
// kept to `rn <= Limit` when the order is not one ascending event-time
// column (that case is an OverNode with a Limit, which emits in event-time
// order and never retracts). It keeps per partition the first Limit rows
// of its append-only input in ORDER BY order and emits them numbered; a
// row entering the top retracts the rows at and after its place and
// re-emits them renumbered, so the output is a retract changelog keyed by
// (partition, rn). Rows equal in every ORDER BY column rank by arrival.
// NULLs sort first ascending and last descending, as in MySQL.
//
// Output columns: the input's, then the row number (BIGINT NOT NULL).
// State: per partition at most Limit rows; partitions are never dropped.
type TopNNode struct {
	P         Props
	Input     Physical
	Partition []int
	Order     []SortKey
	Limit     int64
	// Pos is the file offset of the PARTITION BY (LogicalOver.PartitionPos).
	Pos int
}

// Kind implements Physical.
func (n *TopNNode) Kind() PhysKind { return PhysTopN }

// Props implements Physical.
func (n *TopNNode) Props() *Props { return &n.P }

// Inputs implements Physical.
func (n *TopNNode) Inputs() []Physical { return []Physical{n.Input} }

var _ explainer = (*TopNNode)(nil)

// explainLine: `top-n partition=[auction] order=[price desc, date_time]
// limit=1 rn=rownum  state=per-partition(top-1)  key=[auction, rownum]
// changelog=retract`.
func (n *TopNNode) explainLine() string {
	names := n.Input.Props().Schema.Names()
	parts := make([]string, len(n.Partition))
	for i, c := range n.Partition {
		parts[i] = names[c]
	}
	order := make([]string, len(n.Order))
	for i, o := range n.Order {
		order[i] = names[o.Col]
		if o.Desc {
			order[i] += " desc"
		}
	}
	rn := n.P.Schema.Columns[len(names)].Name
	return fmt.Sprintf("top-n partition=[%s] order=[%s] limit=%d rn=%s", strings.Join(parts, ", "),
		strings.Join(order, ", "), n.Limit, rn) + statefulProps(fmt.Sprintf("per-partition(top-%d)", n.Limit), &n.P, 0)
}

// lowerTopN lowers a LogicalOver holding only ROW_NUMBER with a Top-N
// Limit, ordered by sort (not one ascending event-time column), over the
// lowered input in.
func lowerTopN(n *LogicalOver, in Physical, sort []SortKey) (Physical, error) {
	ip := in.Props()
	if ip.Mode != catalog.AppendOnly {
		return nil, &planError{pos: n.OrderPos, msg: fmt.Sprintf(
			"not supported yet: a Top-N (ROW_NUMBER() ... WHERE rn <= N) over a %s changelog; its input must be append-only", modeText(ip))}
	}
	schema := n.Schema()
	rn := schema.Len() - 1
	// The output is keyed by (partition, rn); with a top-1 rn is always 1,
	// so the partition alone is a key, which survives projecting rn away
	// (the dedup pattern).
	key := append(slices.Clone(n.Partition), rn)
	if n.Limit == 1 && len(n.Partition) > 0 {
		key = slices.Clone(n.Partition)
	}
	return &TopNNode{
		P: Props{
			Schema:   schema,
			Mode:     catalog.Retract,
			Key:      key,
			Stateful: true,
		},
		Input:     in,
		Partition: n.Partition,
		Order:     sort,
		Limit:     n.Limit,
		Pos:       n.PartitionPos,
	}, nil
}

// topNOnly reports whether n is a Top-N: ROW_NUMBER its only function
// and a Limit set by the topN rule.
func topNOnly(n *LogicalOver) bool {
	return n.Limit > 0 && len(n.Calls) == 1 && n.Calls[0].Func == OverRowNumber
}

// lowerSortedOver lowers a window whose ORDER BY is not one ascending
// event-time column of its input: a Top-N, or an error.
func lowerSortedOver(n *LogicalOver, in Physical) (Physical, error) {
	if !topNOnly(n) {
		what := "ROW_NUMBER"
		if len(n.Calls) > 0 && n.Calls[0].Func != OverRowNumber || len(n.Calls) > 1 {
			what = "this window"
		}
		return nil, &planError{pos: n.OrderPos, msg: what + " OVER needs ORDER BY one event-time column, ascending, " +
			"unless it is a Top-N: ROW_NUMBER() alone in its window, filtered by rn <= N in the enclosing query " +
			"(SELECT ... FROM (SELECT ..., ROW_NUMBER() OVER (PARTITION BY k ORDER BY v DESC) AS rn FROM t) r WHERE rn <= 3)"}
	}
	sort := n.Sort
	if sort == nil {
		sort = []SortKey{{Col: n.Order}}
	}
	return lowerTopN(n, in, sort)
}
