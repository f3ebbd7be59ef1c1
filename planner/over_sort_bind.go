package planner

import (
	"slices"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/sqlstream/sqlstream/planner/scalar"
)

// ROW_NUMBER windows ordered by anything but one ascending column —
// several ORDER BY items, DESC, an expression — bind their ORDER BY into
// overSpec.sort (each item a pre column). Such a window runs only as a
// Top-N (a filter rn <= N above it, see the topN rule): LogicalOver.lower
// lowers it to a TopNNode (topn.go) and rejects it otherwise.

// isRowNumber reports whether wf is ROW_NUMBER().
func isRowNumber(wf *ast.WindowFuncExpr) bool { return strings.EqualFold(wf.Name, "row_number") }

// sortedOrder reports whether wf's ORDER BY is not one ascending input
// column. An item that does not bind is left to spec's errors.
func (o *overQuery) sortedOrder(wf *ast.WindowFuncExpr) bool {
	items := wf.Spec.OrderBy.Items
	if len(items) != 1 || items[0].Desc {
		return true
	}
	e, err := o.scope.bind(items[0].Expr)
	if err != nil {
		return false
	}
	ref, ok := e.(*scalar.ColRef)
	return !ok || ref.Index >= o.width
}

// sortedSpec binds the window of a ROW_NUMBER with a sorted ORDER BY.
func (o *overQuery) sortedSpec(wf *ast.WindowFuncExpr, pos int) (*overSpec, error) {
	var sort []SortKey
	ipos := pos
	for i, item := range wf.Spec.OrderBy.Items {
		p := at(o.loc, item.Expr, pos)
		if i == 0 {
			ipos = p
		}
		e, err := o.scope.bind(item.Expr)
		if err != nil {
			return nil, o.p.positioned(err, o.loc, p)
		}
		sort = append(sort, SortKey{Col: o.addPre(e), Desc: item.Desc})
	}
	var part []int
	partPos := ipos
	if pb := wf.Spec.PartitionBy; pb != nil {
		for i, it := range pb.Items {
			if i == 0 {
				partPos = keywordBefore(o.p.file.Text, o.q.Offset, at(o.loc, it.Expr, pos), "PARTITION")
			}
			e, err := o.scope.bind(it.Expr)
			if err != nil {
				return nil, o.p.positioned(err, o.loc, at(o.loc, it.Expr, pos))
			}
			part = append(part, o.addPre(e))
		}
	}
	for _, sp := range o.specs {
		if slices.Equal(sp.sort, sort) && slices.Equal(sp.partition, part) {
			return sp, nil
		}
	}
	sp := &overSpec{partition: part, order: sort[0].Col, orderPos: ipos, partPos: partPos, sort: sort}
	o.specs = append(o.specs, sp)
	return sp, nil
}

// remapSort maps sort columns through a pruning mapping.
func remapSort(sort []SortKey, m []int) []SortKey {
	if sort == nil {
		return nil
	}
	out := make([]SortKey, len(sort))
	for i, k := range sort {
		out[i] = SortKey{Col: m[k.Col], Desc: k.Desc}
	}
	return out
}
