package planner

// Rule is a logical rewrite. Rewrite returns the rewritten tree and whether
// it changed anything; it must not mutate its input.
type Rule interface {
	Name() string
	Rewrite(root Logical) (Logical, bool)
}

// localRule rewrites one node given its already-rewritten children; it
// returns nil when it does not apply.
type localRule func(n Logical) Logical

// rewriteBottomUp applies f to every node, children first.
func rewriteBottomUp(n Logical, f localRule) (Logical, bool) {
	changed := false
	kids := n.Children()
	if len(kids) > 0 {
		next := make([]Logical, len(kids))
		for i, k := range kids {
			var c bool
			next[i], c = rewriteBottomUp(k, f)
			changed = changed || c
		}
		if changed {
			n = n.withChildren(next)
		}
	}
	if out := f(n); out != nil {
		return out, true
	}
	return n, changed
}

// DefaultRules are the rules Plan runs, in order, until none applies.
// Column pruning runs once after them (see optimize).
func DefaultRules() []Rule {
	return []Rule{
		pushFilterBelowProject{},
		pushFilterIntoJoin{},
		pushJoinCond{},
		mergeFilters{},
		mergeProjects{},
		removeIdentityProject{},
		topN{},
	}
}

// maxRulePasses bounds the fixpoint loop; rules only shrink or sink
// nodes, so a handful of passes suffices.
const maxRulePasses = 32

// optimize runs the default rules to a fixpoint, prunes columns into the
// scans, then removes the projections pruning made redundant.
func optimize(root Logical) Logical {
	root = fixpoint(root, DefaultRules())
	root, _ = pruneColumns{}.Rewrite(root)
	return fixpoint(root, DefaultRules())
}

func fixpoint(root Logical, rules []Rule) Logical {
	for pass := 0; pass < maxRulePasses; pass++ {
		any := false
		for _, r := range rules {
			var changed bool
			root, changed = r.Rewrite(root)
			any = any || changed
		}
		if !any {
			break
		}
	}
	return root
}
