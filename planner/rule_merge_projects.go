package planner

import "github.com/sqlstream/sqlstream/planner/scalar"

// mergeProjects turns Project(e2, Project(e1, x)) into one Project whose
// expressions are e2 with e1 substituted for its column references.
type mergeProjects struct{}

var _ Rule = mergeProjects{}

func (mergeProjects) Name() string { return "merge-projects" }

func (mergeProjects) Rewrite(root Logical) (Logical, bool) {
	return rewriteBottomUp(root, func(n Logical) Logical {
		outer, ok := n.(*LogicalProject)
		if !ok {
			return nil
		}
		inner, ok := outer.Input.(*LogicalProject)
		if !ok {
			return nil
		}
		exprs := make([]scalar.Expr, len(outer.Exprs))
		for i, e := range outer.Exprs {
			exprs[i] = substitute(e, inner.Exprs)
		}
		return &LogicalProject{Input: inner.Input, Exprs: exprs, Names: outer.Names}
	})
}
