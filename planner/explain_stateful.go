package planner

import (
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
)

// statefulProps are printed on every stateful node: its state, key,
// changelog and state TTL.
func statefulProps(state string, p *Props, ttlMs int64) string {
	s := "  state=" + state + "  key=" + keyText(p) + "  changelog=" + modeText(p)
	if ttlMs > 0 {
		s += "  ttl=" + formatMillis(ttlMs)
	}
	return s
}

// hashAggLine: `hash-agg group=[a] aggs=[count(*) AS n, sum(x)]  state=groups ...`.
func hashAggLine(n *HashAggNode) string {
	in := n.Input.Props().Schema
	out := n.P.Schema
	groups := make([]string, len(n.GroupBy))
	for i, g := range n.GroupBy {
		groups[i] = in.Columns[g].Name
		if out.Columns[i].Name != groups[i] {
			groups[i] += " AS " + quoteName(out.Columns[i].Name)
		}
	}
	var b strings.Builder
	b.WriteString("hash-agg group=[" + strings.Join(groups, ", ") + "]")
	if len(n.Aggs) > 0 {
		names := in.Names()
		aggs := make([]string, len(n.Aggs))
		for i, a := range n.Aggs {
			aggs[i] = aggText(a, names)
			if name := out.Columns[len(n.GroupBy)+i].Name; name != aggs[i] {
				aggs[i] += " AS " + quoteName(name)
			}
		}
		b.WriteString(" aggs=[" + strings.Join(aggs, ", ") + "]")
	}
	b.WriteString(statefulProps("groups", &n.P, n.StateTTLMs))
	return b.String()
}

// joinLine: `join inner on a.id = b.id and residual  state=both-sides ...`.
func joinLine(n *JoinNode) string {
	cols := n.P.Schema.Columns
	nl := n.Left.Props().Schema.Len()
	conds := make([]string, 0, len(n.LeftKeys)+1)
	for i := range n.LeftKeys {
		conds = append(conds, cols[n.LeftKeys[i]].Name+" = "+cols[nl+n.RightKeys[i]].Name)
	}
	if n.Residual != nil {
		conds = append(conds, stripParens(exprString(n.Residual)))
	}
	return "join " + n.Type.String() + " on " + strings.Join(conds, " and ") + statefulProps("both-sides", &n.P, n.StateTTLMs)
}

// lookupJoinLine: `lookup-join left dim on branch_id = dim.branch_id  table=duckdb ...`.
func lookupJoinLine(n *LookupJoinNode) string {
	in := n.Input.Props().Schema
	conds := make([]string, 0, len(n.InputKeys)+1)
	for i := range n.InputKeys {
		conds = append(conds, in.Columns[n.InputKeys[i]].Name+" = "+n.Table.Name+"."+n.Table.Schema.Columns[n.TableKeys[i]].Name)
	}
	if n.Residual != nil {
		conds = append(conds, stripParens(exprString(n.Residual)))
	}
	return "lookup-join " + n.Type.String() + " " + n.Table.Name + " on " + strings.Join(conds, " and ") +
		"  table=" + tableText(n.Table) + "  key=" + keyText(&n.P) + "  changelog=" + modeText(&n.P)
}

// tableText names where a lookup table lives: the pipeline's DuckDB, or
// its connector and options (secrets redacted). File-loaded tables live
// in DuckDB too.
func tableText(t *catalog.Table) string {
	if isStoreTable(t) {
		return "duckdb"
	}
	return "(" + connectorText(t.Connector, t.Options) + ")"
}
