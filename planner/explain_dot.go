package planner

import (
	"strconv"
	"strings"
)

// ExplainDot renders the operator graph of a whole plan as a Graphviz
// digraph (`sqlstream explain --format dot`): one node per physical node,
// labelled with the fields of its EXPLAIN line (nodeLine) minus the
// column lists, wrapped and shortened; edges run from input to consumer.
//
// Sharing is drawn as exec builds it: a source read by several roots is
// one node (exec opens it once and fans it out; a scan's pruned columns
// label its edge), a view scan is one node per view with a dashed edge
// from the view's materialize root, and a table is one node with a dashed
// edge to each lookup join reading it. Stateful nodes are filled, roots
// have a double border. The output is deterministic (nodes numbered in
// the order a depth-first walk of the roots in file order meets them).
func ExplainDot(p *Plan) string {
	g := &dotGraph{ids: map[any]string{}, views: map[string]string{}, tables: map[string]string{}}
	for _, t := range p.Tables {
		key := "table\x00" + strings.ToLower(t.Table.Name)
		id, _ := g.add(key, dotLabel(tableLine(t)), `shape=cylinder`)
		g.tables[strings.ToLower(t.Table.Name)] = id
	}
	for _, r := range p.Roots {
		g.walk(r)
	}
	return g.String(p.File)
}

// dotGraph accumulates node and edge statements while walking a plan.
type dotGraph struct {
	nodes, edges []string
	// ids maps a node's identity (dotKey) to its DOT id.
	ids map[any]string
	// views and tables map lower-cased names to the id of the view's
	// materialize root and the table's node.
	views, tables map[string]string
}

// walk adds n and, the first time n is met, its inputs and their edges.
// It returns n's id.
func (g *dotGraph) walk(n Physical) string {
	id, isNew := g.add(dotKey(n), dotLabel(nodeLine(n, nil)), dotAttrs(n))
	if !isNew {
		return id
	}
	ins := n.Inputs()
	for i, in := range ins {
		g.edge(g.walk(in), id, edgeLabel(len(ins), i, in), "")
	}
	switch n := n.(type) {
	case *MaterializeNode:
		g.views[strings.ToLower(n.View.Name)] = id
	case *ViewScan:
		if v, ok := g.views[strings.ToLower(n.View.Name)]; ok {
			g.edge(v, id, []string{"changelog"}, "style=dashed")
		}
	case *LookupJoinNode:
		g.edge(g.tableNode(n), id, []string{"lookup"}, "style=dashed")
	}
	return id
}

// add returns the id of the node with identity key, creating it (isNew)
// with label and attrs the first time.
func (g *dotGraph) add(key any, label []string, attrs string) (id string, isNew bool) {
	if id, ok := g.ids[key]; ok {
		return id, false
	}
	id = "n" + strconv.Itoa(len(g.ids))
	g.ids[key] = id
	stmt := id + " [label=" + dotString(label)
	if attrs != "" {
		stmt += ", " + attrs
	}
	g.nodes = append(g.nodes, stmt+"];")
	return id, true
}

func (g *dotGraph) edge(from, to string, label []string, attrs string) {
	stmt := from + " -> " + to
	var as []string
	if len(label) > 0 {
		as = append(as, "label="+dotString(label))
	}
	if attrs != "" {
		as = append(as, attrs)
	}
	if len(as) > 0 {
		stmt += " [" + strings.Join(as, ", ") + "]"
	}
	g.edges = append(g.edges, stmt+";")
}

// tableNode returns the node of a lookup join's table: the TableInit's
// for a DuckDB table the plan creates, else one made for the external
// table on first use.
func (g *dotGraph) tableNode(n *LookupJoinNode) string {
	name := strings.ToLower(n.Table.Name)
	if id, ok := g.tables[name]; ok {
		return id
	}
	id, _ := g.add("table\x00"+name, dotLabel("table "+n.Table.Name+"  "+tableText(n.Table)), `shape=cylinder`)
	g.tables[name] = id
	return id
}

// String renders the digraph named after the pipeline file.
func (g *dotGraph) String(file string) string {
	var b strings.Builder
	b.WriteString("digraph " + dotString([]string{file}) + " {\n")
	b.WriteString("  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=9];\n")
	for _, s := range g.nodes {
		b.WriteString("  " + s + "\n")
	}
	for _, s := range g.edges {
		b.WriteString("  " + s + "\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// dotKey is a node's identity in the drawing: its source (or view) and
// label for scans, so that every root's scan of one source is one node
// (a scan's own column list goes on its edge), else the node itself, so
// a subplan the planner shares is drawn once.
func dotKey(n Physical) any {
	switch n := n.(type) {
	case *SourceScan:
		return "source\x00" + strings.ToLower(n.Source.Name) + "\x00" + strings.Join(dotLabel(nodeLine(n, nil)), "\n")
	case *ViewScan:
		return "view\x00" + strings.ToLower(n.View.Name)
	}
	return n
}

// dotAttrs styles roots, sources, view scans and stateful nodes apart.
func dotAttrs(n Physical) string {
	switch n.(type) {
	case *MaterializeNode, *SinkWriteNode:
		return "peripheries=2"
	case *SourceScan:
		return "shape=invhouse"
	case *ViewScan:
		return "style=dashed"
	}
	if n.Props().Stateful {
		return `style="rounded,filled", fillcolor="#fde3c8"`
	}
	return ""
}

// edgeLabel names the input port of a multi-input node (left/right, or
// the input's position) and the columns a pruning source scan keeps.
func edgeLabel(nIns, i int, in Physical) []string {
	var l []string
	switch {
	case nIns == 2 && i == 0:
		l = append(l, "left")
	case nIns == 2:
		l = append(l, "right")
	case nIns > 2:
		l = append(l, "input "+strconv.Itoa(i+1))
	}
	if s, ok := in.(*SourceScan); ok && scanPrunes(s) {
		l = append(l, wrapField("["+strings.Join(s.P.Schema.Names(), ", ")+"]")...)
	}
	return l
}

// scanPrunes reports whether a scan outputs other than all its source's
// columns in order.
func scanPrunes(s *SourceScan) bool {
	if s.Columns == nil {
		return false
	}
	if len(s.Columns) != s.Source.Schema.Len() {
		return true
	}
	for i, c := range s.Columns {
		if c != i {
			return true
		}
	}
	return false
}

// Label shape: fields wrap at dotWidth runes, at most dotMaxLines lines
// each, the last one cut with an ellipsis.
const (
	dotWidth    = 48
	dotMaxLines = 3
)

// dotLabel splits an EXPLAIN line into its fields (separated by two
// spaces), drops the column lists, and wraps each field.
func dotLabel(line string) []string {
	var out []string
	for _, f := range strings.Split(line, "  ") {
		if f == "" || strings.HasPrefix(f, "columns=") {
			continue
		}
		out = append(out, wrapField(f)...)
	}
	return out
}

// wrapField breaks a field after a space where it can; continuation
// lines are indented by two spaces.
func wrapField(f string) []string {
	var lines []string
	rest := []rune(f)
	for len(rest) > dotWidth {
		if len(lines) == dotMaxLines-1 {
			return append(lines, strings.TrimRight(string(rest[:dotWidth-1]), " ")+"…")
		}
		cut := breakAt(rest)
		lines = append(lines, strings.TrimRight(string(rest[:cut]), " "))
		rest = append([]rune("  "), rest[cut:]...)
	}
	return append(lines, string(rest))
}

// breakAt is the index just after the last space in the first dotWidth
// runes of r (past its first half), else dotWidth.
func breakAt(r []rune) int {
	for i := dotWidth; i > dotWidth/2; i-- {
		if r[i-1] == ' ' {
			return i
		}
	}
	return dotWidth
}

// dotString quotes label lines as a DOT string, each line left-justified.
func dotString(lines []string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, l := range lines {
		l = strings.ReplaceAll(l, `\`, `\\`)
		b.WriteString(strings.ReplaceAll(l, `"`, `\"`))
		if len(lines) > 1 || i > 0 {
			b.WriteString(`\l`)
		}
	}
	b.WriteByte('"')
	return b.String()
}
