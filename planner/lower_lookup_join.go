package planner

import (
	"fmt"

	"github.com/sqlstream/sqlstream/catalog"

	"github.com/sqlstream/sqlstream/planner/scalar"
)

// lowerLookupJoin lowers a join to a table to a LookupJoinNode. The ON
// equalities between a table column and an expression over the input are
// the lookup keys (computed input keys are projected below the join and
// away above it); the other conjuncts are the residual. The output keeps
// the input's changelog mode, and its key when the lookup keys cover the
// table's primary key (at most one match per input row).
func lowerLookupJoin(n *LogicalLookupJoin) (Physical, error) {
	in, err := lower(n.Input)
	if err != nil {
		return nil, err
	}
	ni := in.Props().Schema.Len()
	nt := n.Table.Schema.Len()
	inExprs, tkeys, residual := splitLookupKeys(n.Cond, ni)
	if len(tkeys) == 0 {
		t := n.Table.Name
		return nil, &planError{pos: n.Pos, msg: fmt.Sprintf("lookup join to table %s needs an ON equality between a column of %s and the input (ON %s.col = expr)", t, t, t)}
	}
	in, ikeys, ia := withKeyColumns(in, inExprs)
	if residual != nil && ia > 0 {
		residual = remap(residual, joinMapping(ni, nt, ia))
	}
	ip := in.Props()
	out := n.Schema()
	cols := append([]catalog.Column(nil), out.Columns[:ni]...)
	cols = append(cols, ip.Schema.Columns[ni:]...)
	cols = append(cols, out.Columns[ni:]...)
	var key []int
	if covers(tkeys, declaredKey(n.Table.PrimaryKey)) {
		key = ip.Key
	}
	j := &LookupJoinNode{
		P:         Props{Schema: schemaOf(cols), Mode: ip.Mode, Key: key, Time: ip.Time},
		Input:     in,
		Table:     n.Table,
		Type:      n.Type,
		InputKeys: ikeys,
		TableKeys: tkeys,
		Residual:  residual,
	}
	if ia == 0 {
		return j, nil
	}
	return dropColumns(j, joinMapping(ni, nt, ia), out), nil
}

// splitLookupKeys splits a lookup join's condition over input++table (ni
// input columns) into key pairs (input expression, table column) and the
// residual. A cast the binder put on the table column to compare types
// moves to the input side, so the table is looked up by its own values.
func splitLookupKeys(cond scalar.Expr, ni int) (inExprs []scalar.Expr, tkeys []int, residual scalar.Expr) {
	var rest []scalar.Expr
	for _, c := range conjuncts(cond) {
		l, r, ok := equiPair(c, ni)
		if ok {
			if col, isCast := r.(*scalar.Cast); isCast {
				r = col.Arg
			}
		}
		ref, isRef := r.(*scalar.ColRef)
		if !ok || !isRef {
			rest = append(rest, c)
			continue
		}
		if !l.Type().Equal(ref.T) {
			l = &scalar.Cast{Arg: l, T: ref.T}
		}
		inExprs, tkeys = append(inExprs, l), append(tkeys, ref.Index-ni)
	}
	return inExprs, tkeys, conjoin(rest)
}
