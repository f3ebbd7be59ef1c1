package planner

import "github.com/sqlstream/sqlstream/planner/scalar"

// pushJoinCond moves the conjuncts of a join condition that read one side
// only into a filter on that side, when that side is the one the join
// may pad with NULLs or the join is inner: the right of an inner or left
// join, the left of an inner or right join, the input of an inner lookup
// join. (ON a.flag AND ... on the preserved side of an outer join decides
// padding, not membership, so it stays.)
type pushJoinCond struct{}

var _ Rule = pushJoinCond{}

func (pushJoinCond) Name() string { return "push-join-condition" }

func (pushJoinCond) Rewrite(root Logical) (Logical, bool) {
	return rewriteBottomUp(root, func(n Logical) Logical {
		switch j := n.(type) {
		case *LogicalJoin:
			return pushJoinSides(j)
		case *LogicalLookupJoin:
			return pushLookupCond(j)
		}
		return nil
	})
}

func pushJoinSides(j *LogicalJoin) Logical {
	nl := j.Left.Schema().Len()
	var lefts, rights, keep []scalar.Expr
	for _, c := range conjuncts(j.Cond) {
		switch s := side(c, nl); {
		case s == sideLeft && (j.Type == InnerJoin || j.Type == RightJoin):
			lefts = append(lefts, c)
		case s == sideRight && (j.Type == InnerJoin || j.Type == LeftJoin):
			rights = append(rights, shift(c, -nl))
		default:
			keep = append(keep, c)
		}
	}
	if len(lefts)+len(rights) == 0 {
		return nil
	}
	out := *j
	out.Left, out.Right, out.Cond = filterOver(j.Left, lefts), filterOver(j.Right, rights), conjoin(keep)
	return &out
}

func pushLookupCond(j *LogicalLookupJoin) Logical {
	if j.Type != InnerJoin {
		return nil
	}
	ni := j.Input.Schema().Len()
	var ins, keep []scalar.Expr
	for _, c := range conjuncts(j.Cond) {
		if side(c, ni) == sideLeft {
			ins = append(ins, c)
		} else {
			keep = append(keep, c)
		}
	}
	if len(ins) == 0 || len(keep) == 0 {
		return nil
	}
	out := *j
	out.Input, out.Cond = filterOver(j.Input, ins), conjoin(keep)
	return &out
}
