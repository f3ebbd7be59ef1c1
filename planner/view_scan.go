package planner

import (
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
)

// PhysViewScan is the kind of a ViewScan. (Kinds 1..5 are the skeleton's,
// 32.. the stateful operators'.)
const PhysViewScan PhysKind = 16

// ViewScan reads the changelog a materialized view emits: a leaf whose
// rows are the changes the view's root writes to its store table, so a
// query over the view consumes them instead of recomputing the view. Its
// Props are the view's: schema, changelog mode, key and event-time columns
// (the view's watermarks reach its readers with its rows).
type ViewScan struct {
	P    Props
	View *catalog.View
}

var _ Physical = (*ViewScan)(nil)

func (n *ViewScan) Kind() PhysKind     { return PhysViewScan }
func (n *ViewScan) Props() *Props      { return &n.P }
func (n *ViewScan) Inputs() []Physical { return nil }

// lowerViewScan derives a view scan's props from the view. An upsert view
// is normalized into a retract stream right above the scan, as an upsert
// source is.
func lowerViewScan(n *LogicalViewScan) Physical {
	v := n.View
	scan := &ViewScan{P: Props{Schema: v.Schema, Mode: v.Changelog, Key: v.Key, Time: v.Time}, View: v}
	if scan.P.Mode != catalog.Upsert || scan.P.Key == nil {
		return scan
	}
	return &NormalizeNode{
		P:     Props{Schema: scan.P.Schema, Mode: catalog.Retract, Key: scan.P.Key, Stateful: true, Time: scan.P.Time},
		Input: scan,
		Key:   scan.P.Key,
	}
}

// viewScanLine: `view-scan dws_x  key=[k]  changelog=retract`, with
// `time=[c]` when the view has event-time columns.
func viewScanLine(n *ViewScan) string {
	s := "view-scan " + n.View.Name + "  key=" + keyText(&n.P) + "  changelog=" + modeText(&n.P)
	if len(n.P.Time) > 0 {
		names := make([]string, len(n.P.Time))
		for i, c := range n.P.Time {
			names[i] = n.P.Schema.Columns[c].Name
		}
		s += "  time=[" + strings.Join(names, ", ") + "]"
	}
	return s
}
