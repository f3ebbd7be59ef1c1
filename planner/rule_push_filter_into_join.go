package planner

import "github.com/sqlstream/sqlstream/planner/scalar"

// pushFilterIntoJoin moves the conjuncts of a filter above a join to where
// they filter earliest without changing results:
//   - a conjunct reading one side only filters that input, when that side
//     is not NULL-padded by the join (either side of an inner join, the
//     left of a left join, the right of a right join, the input of a
//     lookup join);
//   - a conjunct reading both sides of an inner join joins its condition
//     (this is how `FROM a, b WHERE a.id = b.id` becomes an equi-join).
//
// Other conjuncts stay in a filter above the join.
type pushFilterIntoJoin struct{}

var _ Rule = pushFilterIntoJoin{}

func (pushFilterIntoJoin) Name() string { return "push-filter-into-join" }

func (pushFilterIntoJoin) Rewrite(root Logical) (Logical, bool) {
	return rewriteBottomUp(root, func(n Logical) Logical {
		f, ok := n.(*LogicalFilter)
		if !ok {
			return nil
		}
		switch j := f.Input.(type) {
		case *LogicalJoin:
			return pushIntoJoin(f.Cond, j)
		case *LogicalLookupJoin:
			return pushIntoLookupJoin(f.Cond, j)
		}
		return nil
	})
}

func pushIntoJoin(cond scalar.Expr, j *LogicalJoin) Logical {
	nl := j.Left.Schema().Len()
	var lefts, rights, ons, keep []scalar.Expr
	for _, c := range conjuncts(cond) {
		switch s := side(c, nl); {
		case s == sideLeft && (j.Type == InnerJoin || j.Type == LeftJoin):
			lefts = append(lefts, c)
		case s == sideRight && (j.Type == InnerJoin || j.Type == RightJoin):
			rights = append(rights, shift(c, -nl))
		case s == sideBoth && j.Type == InnerJoin:
			ons = append(ons, c)
		default:
			keep = append(keep, c)
		}
	}
	if len(lefts)+len(rights)+len(ons) == 0 {
		return nil
	}
	out := *j
	out.Left, out.Right = filterOver(j.Left, lefts), filterOver(j.Right, rights)
	out.Cond = conjoin(append(conjuncts(j.Cond), ons...))
	return filterOver(&out, keep)
}

func pushIntoLookupJoin(cond scalar.Expr, j *LogicalLookupJoin) Logical {
	ni := j.Input.Schema().Len()
	var ins, keep []scalar.Expr
	for _, c := range conjuncts(cond) {
		if side(c, ni) == sideLeft {
			ins = append(ins, c)
		} else {
			keep = append(keep, c)
		}
	}
	if len(ins) == 0 {
		return nil
	}
	out := *j
	out.Input = filterOver(j.Input, ins)
	return filterOver(&out, keep)
}

// filterOver is Filter(AND of conds, in), or in when conds is empty.
func filterOver(in Logical, conds []scalar.Expr) Logical {
	if len(conds) == 0 {
		return in
	}
	return &LogicalFilter{Input: in, Cond: conjoin(conds)}
}
