package planner

import (
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// splitEquiKeys splits a join condition over left++right (left has nl
// columns) into equi-key pairs — `l = r` where l reads only left columns
// and r only right columns (either order) — and the residual of the other
// conjuncts (nil when none). Right key expressions are rebased onto the
// right input's columns.
func splitEquiKeys(cond scalar.Expr, nl int) (lefts, rights []scalar.Expr, residual scalar.Expr) {
	var rest []scalar.Expr
	for _, c := range conjuncts(cond) {
		l, r, ok := equiPair(c, nl)
		if !ok {
			rest = append(rest, c)
			continue
		}
		lefts, rights = append(lefts, l), append(rights, shift(r, -nl))
	}
	return lefts, rights, conjoin(rest)
}

// equiPair recognizes `l = r` with l over left columns only and r over
// right columns only, or the reverse.
func equiPair(c scalar.Expr, nl int) (l, r scalar.Expr, ok bool) {
	call, isCall := c.(*scalar.Call)
	if !isCall || call.Func != scalar.FuncEq || len(call.Args) != 2 {
		return nil, nil, false
	}
	a, b := call.Args[0], call.Args[1]
	switch {
	case side(a, nl) == sideLeft && side(b, nl) == sideRight:
		return a, b, true
	case side(a, nl) == sideRight && side(b, nl) == sideLeft:
		return b, a, true
	}
	return nil, nil, false
}

// joinSide says which input(s) of a join an expression reads.
type joinSide uint8

const (
	sideNone joinSide = iota // constants
	sideLeft
	sideRight
	sideBoth
)

// side classifies e over left++right with nl left columns.
func side(e scalar.Expr, nl int) joinSide {
	lo, hi, any := colRange(e)
	switch {
	case !any:
		return sideNone
	case hi < nl:
		return sideLeft
	case lo >= nl:
		return sideRight
	}
	return sideBoth
}

// withKeyColumns returns in's columns for the key expressions, appending
// a projection that computes the ones that are not plain columns. It
// returns the (possibly new) input, the key columns and how many columns
// were appended.
func withKeyColumns(in Physical, exprs []scalar.Expr) (Physical, []int, int) {
	ip := in.Props()
	w := ip.Schema.Len()
	var extra []scalar.Expr
	keys := make([]int, len(exprs))
	for i, e := range exprs {
		if r, ok := e.(*scalar.ColRef); ok {
			keys[i] = r.Index
			continue
		}
		keys[i] = w + len(extra)
		for j, x := range extra {
			if exprEqual(x, e) {
				keys[i] = w + j
			}
		}
		if keys[i] == w+len(extra) {
			extra = append(extra, e)
		}
	}
	if len(extra) == 0 {
		return in, keys, 0
	}
	exprsOut := make([]scalar.Expr, 0, w+len(extra))
	cols := append([]catalog.Column(nil), ip.Schema.Columns...)
	for i, c := range ip.Schema.Columns {
		exprsOut = append(exprsOut, &scalar.ColRef{Index: i, Name: c.Name, T: c.Type})
	}
	for _, e := range extra {
		exprsOut = append(exprsOut, e)
		cols = append(cols, catalog.Column{Name: stripParens(exprString(e)), Type: e.Type()})
	}
	p := &ProjectNode{P: Props{Schema: catalog.Schema{Columns: cols}, Mode: ip.Mode, Key: ip.Key, Time: ip.Time}, Input: in, Exprs: exprsOut}
	return p, keys, len(extra)
}

// dropColumns projects away the columns a join appended for computed
// keys: output column i of names is input column cols[i].
func dropColumns(in Physical, cols []int, schema catalog.Schema) Physical {
	ip := in.Props()
	exprs := make([]scalar.Expr, len(cols))
	for i, c := range cols {
		exprs[i] = &scalar.ColRef{Index: c, Name: ip.Schema.Columns[c].Name, T: ip.Schema.Columns[c].Type}
	}
	key := mapKey(ip.Key, func(c int) int { return passthrough(exprs, c) })
	return &ProjectNode{P: Props{Schema: schema, Mode: ip.Mode, Key: key, Time: projectTime(ip.Time, exprs)}, Input: in, Exprs: exprs}
}

// covers reports whether the key columns include every column of key
// (a unique key of that side): then each row of the other side matches
// at most one row of this side.
func covers(keyCols, key []int) bool {
	if key == nil {
		return false
	}
	for _, k := range key {
		if indexOf(keyCols, k) < 0 {
			return false
		}
	}
	return true
}

func schemaOf(cols []catalog.Column) catalog.Schema { return catalog.Schema{Columns: cols} }
