package planner

// mergeFilters turns Filter(c2, Filter(c1, x)) into Filter(c1 AND c2, x).
type mergeFilters struct{}

var _ Rule = mergeFilters{}

func (mergeFilters) Name() string { return "merge-filters" }

func (mergeFilters) Rewrite(root Logical) (Logical, bool) {
	return rewriteBottomUp(root, func(n Logical) Logical {
		outer, ok := n.(*LogicalFilter)
		if !ok {
			return nil
		}
		inner, ok := outer.Input.(*LogicalFilter)
		if !ok {
			return nil
		}
		return &LogicalFilter{Input: inner.Input, Cond: and(inner.Cond, outer.Cond)}
	})
}
