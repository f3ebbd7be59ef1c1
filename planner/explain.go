package planner

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/sqlstream/sqlstream/catalog"
)

// Explain renders a whole plan: one line per DuckDB table it creates, then
// one tree per root in file order, separated by blank lines.
func Explain(p *Plan) string {
	var parts []string
	for _, t := range p.Tables {
		parts = append(parts, tableLine(t)+"\n")
	}
	for _, r := range p.Roots {
		parts = append(parts, ExplainRoot(r))
	}
	return strings.Join(parts, "\n")
}

// ExplainTable renders one table of p.Tables as Explain prints it.
func ExplainTable(t *TableInit) string { return tableLine(t) + "\n" }

// tableLine renders a DuckDB table the plan creates and fills first.
func tableLine(t *TableInit) string {
	load := ""
	if t.Load != nil {
		load = "  load=(" + connectorText(t.Load.Connector, t.Load.Options) + ")"
	}
	return fmt.Sprintf("table %s  duckdb%s  rows=%d  columns=%s", t.Table.Name, load, len(t.Rows), t.Table.Schema)
}

// ExplainRoot renders one physical plan as an indented tree, one node per
// line: the operator and its arguments, then its output columns,
// changelog mode and unique key. Inner nodes print mode and key only where
// they differ from their input's.
func ExplainRoot(root Physical) string {
	var b strings.Builder
	b.WriteString(nodeLine(root, nil))
	b.WriteByte('\n')
	explainChildren(&b, root, "")
	return b.String()
}

func explainChildren(b *strings.Builder, n Physical, prefix string) {
	kids := n.Inputs()
	for i, k := range kids {
		branch, next := "├── ", "│   "
		if i == len(kids)-1 {
			branch, next = "└── ", "    "
		}
		b.WriteString(prefix + branch + nodeLine(k, n))
		b.WriteByte('\n')
		explainChildren(b, k, prefix+next)
	}
}

// nodeLine renders one node; parent is nil for the root.
func nodeLine(n Physical, parent Physical) string {
	p := n.Props()
	switch n := n.(type) {
	case *MaterializeNode:
		return "materialize " + n.View.Name + rootProps(p)
	case *SinkWriteNode:
		if n.Sink != nil {
			return "sink " + n.Sink.Name + "  " + connectorText(n.Sink.Connector, n.Sink.Options) + rootProps(p)
		}
		return "insert into " + n.Table.Name + rootProps(p)
	case *SourceScan:
		return sourceLine(n)
	case *ViewScan:
		return viewScanLine(n)
	case *FilterNode:
		return "filter " + stripParens(exprString(n.Cond)) + changedProps(n)
	case *ProjectNode:
		return "project " + projectList(n) + changedProps(n)
	case *HashAggNode:
		return hashAggLine(n)
	case *JoinNode:
		return joinLine(n)
	case *LookupJoinNode:
		return lookupJoinLine(n)
	case *NormalizeNode:
		return "normalize key=" + keyText(p) + "  state=last-row-per-key  changelog=" + modeText(p)
	case explainer:
		return n.explainLine()
	}
	return fmt.Sprintf("%T", n)
}

// explainer is a physical node that renders its own EXPLAIN line (the
// event-time nodes), so that adding a node kind does not touch nodeLine.
type explainer interface {
	explainLine() string
}

// rootProps are the key, changelog and typed columns of a root.
func rootProps(p *Props) string {
	return fmt.Sprintf("  key=%s  changelog=%s  columns=%s", keyText(p), modeText(p), p.Schema)
}

// changedProps prints key and changelog where they differ from the input.
func changedProps(n Physical) string {
	p, in := n.Props(), n.Inputs()[0].Props()
	var out string
	if keyText(p) != keyText(in) {
		out += "  key=" + keyText(p)
	}
	if p.Mode != in.Mode {
		out += "  changelog=" + modeText(p)
	}
	return out
}

func sourceLine(n *SourceScan) string {
	s := n.Source
	var b strings.Builder
	fmt.Fprintf(&b, "source %s  %s  columns=[%s]", s.Name, connectorText(s.Connector, s.Options),
		strings.Join(n.P.Schema.Names(), ", "))
	if w := s.Watermark; w != nil {
		b.WriteString("  watermark=" + s.Schema.Columns[w.Column].Name)
		if w.DelayMs != 0 {
			b.WriteString(" - " + formatMillis(w.DelayMs))
		}
	}
	if len(n.P.Key) > 0 {
		b.WriteString("  key=" + keyText(&n.P))
	}
	b.WriteString("  changelog=" + modeText(&n.P))
	return b.String()
}

func projectList(n *ProjectNode) string {
	items := make([]string, len(n.Exprs))
	for i, e := range n.Exprs {
		text, name := exprString(e), n.P.Schema.Columns[i].Name
		if text != name {
			text += " AS " + quoteName(name)
		}
		items[i] = text
	}
	return strings.Join(items, ", ")
}

// connectorText is the connector name and its options but 'connector',
// in written order, with secrets redacted.
func connectorText(connector string, opts catalog.Options) string {
	parts := []string{connector}
	for _, o := range opts {
		if strings.EqualFold(o.Key, "connector") {
			continue
		}
		v := o.Value
		if isSecret(o.Key) {
			v = "***"
		} else if v == "" || strings.ContainsAny(v, " =") {
			v = "'" + v + "'"
		}
		parts = append(parts, o.Key+"="+v)
	}
	return strings.Join(parts, " ")
}

func isSecret(key string) bool {
	k := strings.ToLower(key)
	for _, s := range []string{"password", "secret", "token", "dsn", "sasl"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// keyText renders a unique key: `none` when no key is known, `[]` for
// the empty key (at most one row, as a global aggregate), else the key
// columns' names.
func keyText(p *Props) string {
	if p.Key == nil {
		return "none"
	}
	names := make([]string, len(p.Key))
	for i, k := range p.Key {
		names[i] = p.Schema.Columns[k].Name
	}
	return "[" + strings.Join(names, ", ") + "]"
}

// modeText renders the changelog mode; upsert names its key.
func modeText(p *Props) string {
	if p.Mode == catalog.Upsert {
		return "upsert(" + strings.Trim(keyText(p), "[]") + ")"
	}
	return p.Mode.String()
}

// quoteName double-quotes a column name that is not a plain identifier.
func quoteName(name string) string {
	for i, r := range name {
		if r != '_' && !unicode.IsLetter(r) && (i == 0 || !unicode.IsDigit(r)) {
			return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
		}
	}
	return name
}
