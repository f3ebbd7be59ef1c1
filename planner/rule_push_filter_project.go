package planner

// pushFilterBelowProject turns Filter(c, Project(e, x)) into
// Project(e, Filter(c[e], x)), where c[e] is c with the projection's
// expressions substituted for its column references. Filtering first means
// projecting fewer rows, and lets adjacent filters and projects merge.
// Every built-in function is deterministic (NOW is constant per run), so
// the substitution never changes results.
type pushFilterBelowProject struct{}

var _ Rule = pushFilterBelowProject{}

func (pushFilterBelowProject) Name() string { return "push-filter-below-project" }

func (pushFilterBelowProject) Rewrite(root Logical) (Logical, bool) {
	return rewriteBottomUp(root, func(n Logical) Logical {
		f, ok := n.(*LogicalFilter)
		if !ok {
			return nil
		}
		p, ok := f.Input.(*LogicalProject)
		if !ok {
			return nil
		}
		pushed := &LogicalFilter{Input: p.Input, Cond: substitute(f.Cond, p.Exprs)}
		return &LogicalProject{Input: pushed, Exprs: p.Exprs, Names: p.Names}
	})
}
