package planner

// removeIdentityProject drops a projection that outputs exactly its
// input's columns, in order and under the same names (SELECT * and the
// projections column pruning made redundant).
type removeIdentityProject struct{}

var _ Rule = removeIdentityProject{}

func (removeIdentityProject) Name() string { return "remove-identity-project" }

func (removeIdentityProject) Rewrite(root Logical) (Logical, bool) {
	return rewriteBottomUp(root, func(n Logical) Logical {
		if p, ok := n.(*LogicalProject); ok && p.isIdentity() {
			return p.Input
		}
		return nil
	})
}
