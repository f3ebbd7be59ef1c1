package exec

import (
	"fmt"
	"strings"

	"github.com/sqlstream/sqlstream/planner"
)

func init() { RegisterNodeBuilder(planner.PhysViewScan, buildViewScan) }

// buildViewScan attaches out as a reader of a materialized view: a new
// branch of the fanout at the view's root, which the view's input chain
// emits into. Roots are built in file order, so the view is built first.
// Rows, watermarks, barriers and Close reach out through that fanout, once
// each, as they reach the view's store writer.
func buildViewScan(b *Builder, node planner.Physical, out Stream) error {
	n, ok := node.(*planner.ViewScan)
	if !ok {
		return fmt.Errorf("build view-scan: got %T", node)
	}
	f, ok := b.views[strings.ToLower(n.View.Name)]
	if !ok {
		return fmt.Errorf("view-scan %s: the materialized view is not built before its reader", n.View.Name)
	}
	f.add(out)
	return nil
}

// viewHead returns the stream a materialized view's input chain emits
// into: head (the store writer) itself when no later root reads the view,
// else a fanout to head that view scans add their readers to.
func (b *Builder) viewHead(n *planner.MaterializeNode, head Stream) Stream {
	k := strings.ToLower(n.View.Name)
	if !b.viewsRead[k] {
		return head
	}
	f := NewFanout(head)
	b.views[k] = f
	return f
}

// viewsRead returns the lower-cased names of the views some root of p
// reads with a view scan.
func viewsRead(p *planner.Plan) map[string]bool {
	read := map[string]bool{}
	var walk func(n planner.Physical)
	walk = func(n planner.Physical) {
		if v, ok := n.(*planner.ViewScan); ok {
			read[strings.ToLower(v.View.Name)] = true
		}
		for _, in := range n.Inputs() {
			walk(in)
		}
	}
	for _, r := range p.Roots {
		walk(r)
	}
	return read
}
