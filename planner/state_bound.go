package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
)

// StateBound says what keeps a stateful operator's state from growing
// forever. The analysis (StateBounds) is what `sqlstream check` reports;
// EXPLAIN does not print it.
type StateBound uint8

const (
	// BoundInput: every source under the operator is bounded (files,
	// datagen with rows, kafka with 'scan.bounded'), so its state is too.
	BoundInput StateBound = iota + 1
	// BoundKey: the state is the live rows of changelog inputs (tables
	// keyed by their PRIMARY KEY), or a global aggregate's single group.
	BoundKey
	// BoundWatermark: the watermark frees the state (windows, interval
	// and unique-key joins, EMIT ON WINDOW CLOSE, OVER's waiting rows).
	BoundWatermark
	// BoundTTL: SET 'state.ttl' drops idle entries.
	BoundTTL
	// BoundData: only the data bounds it: one entry per distinct value of
	// some columns (groups, partitions) of an unbounded input.
	BoundData
	// BoundNone: the state provably grows without bound.
	BoundNone
)

var boundNames = [...]string{BoundInput: "bounded-input", BoundKey: "keys", BoundWatermark: "watermark",
	BoundTTL: "ttl", BoundData: "data", BoundNone: "unbounded"}

func (b StateBound) String() string {
	if int(b) < len(boundNames) && boundNames[b] != "" {
		return boundNames[b]
	}
	return "bound?"
}

// Severity grades a state finding.
type Severity uint8

const (
	SeverityNone    Severity = iota
	SeverityWarning          // the state may grow without bound (data-dependent)
	SeverityError            // the state provably grows without bound
)

func (s Severity) String() string {
	switch s {
	case SeverityWarning:
		return "warning"
	case SeverityError:
		return "error"
	}
	return "none"
}

// NodeState classifies one stateful physical node of a plan. Pos (a file
// offset) and Msg (what grows, why, and how to fix it) are set when
// Severity is not SeverityNone.
type NodeState struct {
	Node     Physical
	Bound    StateBound
	Severity Severity
	Pos      int
	Msg      string
}

// StateBounds classifies the state of every stateful node under every
// root of p, roots in file order and each tree bottom-up. The rule:
//
//   - over bounded input, no finding;
//   - a regular join keeping every row of an unbounded append-only (or
//     otherwise ever-growing) input, without SET 'state.ttl', is an
//     error, and so is an OVER whose partitions are keyed by an
//     ever-growing column (the event time, a unique key): such a
//     pipeline runs out of memory;
//   - an aggregation over an unbounded append-only input whose groups
//     include an ever-growing column, or whose groups (or DISTINCT
//     values) are bounded only by how many distinct values arrive, and an
//     OVER partitioned by other columns, are warnings;
//   - changelog inputs (state = their live rows), the watermark, a TTL
//     or a global aggregate bound the state: no finding.
//
// An operator over a stream that only the data bounds (the output of an
// aggregation already warned about) is not reported again; one over an
// ever-growing stream is, since its own state grows too.
func StateBounds(p *Plan) []NodeState {
	a := &stateAnalyzer{views: map[*catalog.View]stream{}}
	for _, r := range p.Roots {
		a.walk(r)
	}
	return a.out
}

// StateFindings returns the warnings and errors of StateBounds, once per
// position and message (a plain view inlined twice is reported once).
func StateFindings(p *Plan) []NodeState {
	var out []NodeState
	seen := map[string]bool{}
	for _, s := range StateBounds(p) {
		k := fmt.Sprintf("%d\x00%s", s.Pos, s.Msg)
		if s.Severity == SeverityNone || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, s)
	}
	return out
}

// BoundedSource reports whether a source ends: a file source unless
// 'bounded' = 'false', a datagen source with 'rows', a kafka source with
// 'scan.bounded' = 'latest'. Every other source is unbounded.
func BoundedSource(s *catalog.Source) bool {
	switch strings.ToLower(s.Connector) {
	case "file":
		return !strings.EqualFold(strings.TrimSpace(s.Options.String("bounded", "true")), "false")
	case "datagen":
		rows, err := s.Options.Int("rows", -1)
		return err == nil && rows >= 0
	case "kafka":
		return strings.EqualFold(strings.TrimSpace(s.Options.String("scan.bounded", "")), "latest")
	}
	return false
}

// growth is how the live rows of a stream (the table its changelog
// describes) can grow. Ordered: the worse growth wins.
type growth uint8

const (
	growFinite    growth = iota // bounded input
	growBounded                 // changelog tables' live rows, single rows
	growData                    // bounded only by distinct values in the data
	growUnbounded               // every row stays live, or provably ever more
)

// stream is a node's growth and, unless finite, why, for messages.
type stream struct {
	g   growth
	why string
}

// worse returns the worse of two streams.
func worse(a, b stream) stream {
	if b.g > a.g {
		return b
	}
	return a
}

// stateAnalyzer walks physical plans bottom-up.
type stateAnalyzer struct {
	views map[*catalog.View]stream // materialized views planned so far
	out   []NodeState
}

// walk returns the growth of n's output, recording its stateful nodes.
func (a *stateAnalyzer) walk(n Physical) stream {
	ins := make([]stream, len(n.Inputs()))
	for i, in := range n.Inputs() {
		ins[i] = a.walk(in)
	}
	switch n := n.(type) {
	case *SourceScan:
		return sourceStream(n.Source)
	case *ViewScan:
		if s, ok := a.views[n.View]; ok {
			return s
		}
		return stream{growUnbounded, "view " + n.View.Name + ", not known to be bounded"}
	case *MaterializeNode:
		v := ins[0]
		if v.g != growFinite {
			v.why = "view " + n.View.Name + " (" + v.why + ")"
		}
		a.views[n.View] = v
		return ins[0]
	case *HashAggNode:
		return a.hashAgg(n, ins[0])
	case *JoinNode:
		return a.join(n, ins[0], ins[1])
	case *OverNode:
		return a.over(n, ins[0])
	case *TopNNode:
		return a.topN(n, ins[0])
	case *NormalizeNode:
		a.record(n, ins, BoundKey)
		return ins[0]
	case *IntervalJoinNode, *UniqueJoinNode, *WindowAggNode, *EmitOnCloseNode:
		return a.watermarked(n, ins)
	}
	out := stream{g: growFinite}
	for _, s := range ins {
		out = worse(out, s)
	}
	return out
}

// record adds a finding-free classification of a stateful node: bound,
// or BoundInput when every input is finite.
func (a *stateAnalyzer) record(n Physical, ins []stream, bound StateBound) {
	if allFinite(ins) {
		bound = BoundInput
	}
	a.out = append(a.out, NodeState{Node: n, Bound: bound, Pos: -1})
}

// report adds a classification with a finding.
func (a *stateAnalyzer) report(n Physical, bound StateBound, sev Severity, pos int, msg string) {
	a.out = append(a.out, NodeState{Node: n, Bound: bound, Severity: sev, Pos: pos, Msg: msg})
}

func allFinite(ins []stream) bool {
	for _, s := range ins {
		if s.g != growFinite {
			return false
		}
	}
	return true
}

// watermarked records an operator the watermark frees. Its append-only
// output keeps every row it emits live, so it grows unless its input is
// finite.
func (a *stateAnalyzer) watermarked(n Physical, ins []stream) stream {
	a.record(n, ins, BoundWatermark)
	if allFinite(ins) {
		return stream{g: growFinite}
	}
	return stream{growUnbounded, "the unbounded append-only output of a " + operatorName(n)}
}

// sourceStream is a source's growth: finite when bounded, a table when it
// is a changelog, else every row stays live.
func sourceStream(s *catalog.Source) stream {
	switch {
	case BoundedSource(s):
		return stream{g: growFinite}
	case s.Changelog != catalog.AppendOnly:
		return stream{growBounded, "source " + s.Name + ", a changelog"}
	}
	return stream{growUnbounded, "source " + s.Name + ", an unbounded append-only stream" + unboundedHint(s)}
}

// unboundedHint says which option would bound a source.
func unboundedHint(s *catalog.Source) string {
	switch strings.ToLower(s.Connector) {
	case "kafka":
		return " (kafka without 'scan.bounded' = 'latest')"
	case "datagen":
		return " (datagen without 'rows')"
	case "file":
		return " ('bounded' = 'false')"
	}
	return ""
}

// operatorName names an event-time operator in messages.
func operatorName(n Physical) string {
	switch n.(type) {
	case *IntervalJoinNode:
		return "interval join"
	case *UniqueJoinNode:
		return "unique-key join"
	case *WindowAggNode:
		return "window aggregation"
	case *EmitOnCloseNode:
		return "EMIT ON WINDOW CLOSE aggregation"
	case *OverNode:
		return "OVER"
	}
	return "operator"
}

// growingColumns returns the names of cols (columns of in) that take
// ever-new values on an ever-growing stream, and why: the event-time
// columns ("the event time"), else the columns of a unique key when cols
// cover it ("a unique key", every row then has its own group or
// partition). nil when there are none.
func growingColumns(in *Props, cols []int) (names []string, why string) {
	for _, c := range cols {
		if slices.Contains(in.Time, c) {
			names = append(names, in.Schema.Columns[c].Name)
		}
	}
	if len(names) > 0 {
		return names, "the event time"
	}
	if len(in.Key) > 0 && covers(cols, in.Key) {
		for _, k := range in.Key {
			names = append(names, in.Schema.Columns[k].Name)
		}
		return names, "a unique key"
	}
	return nil, ""
}

// columnNames names columns of a schema.
func columnNames(s catalog.Schema, cols []int) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = s.Columns[c].Name
	}
	return strings.Join(names, ", ")
}

// hashAgg classifies a GROUP BY: over an ever-growing input its groups
// grow with an ever-growing key column (a warning: results stay right,
// memory does not), and are otherwise bounded only by the data (a
// warning too). The output has a row per group.
func (a *stateAnalyzer) hashAgg(n *HashAggNode, in stream) stream {
	ins := []stream{in}
	ip := n.Input.Props()
	if in.g == growFinite {
		a.record(n, ins, BoundInput)
		return in
	}
	distinct := distinctArgs(n.Aggs, ip.Schema)
	if in.g == growBounded || (len(n.GroupBy) == 0 && distinct == "") {
		a.record(n, ins, BoundKey)
		return stream{growBounded, "the groups of " + in.why}
	}
	grow, growWhy := growingColumns(ip, n.GroupBy)
	out := stream{growData, "the groups of GROUP BY " + columnNames(ip.Schema, n.GroupBy) + ", one per distinct value"}
	if grow != nil {
		out = stream{growUnbounded, "the groups of GROUP BY " + columnNames(ip.Schema, n.GroupBy) + ", ever more"}
	}
	if len(n.GroupBy) == 0 {
		out = stream{growBounded, "a global aggregate has one row"}
	}
	switch {
	case n.StateTTLMs > 0:
		a.record(n, ins, BoundTTL)
	case in.g != growUnbounded:
		a.record(n, ins, BoundData) // reported where the growth starts
	case grow != nil:
		a.report(n, BoundNone, SeverityWarning, n.Pos, growingGroupsMsg(n, grow, growWhy, in))
	default:
		a.report(n, BoundData, SeverityWarning, n.Pos, dataGroupsMsg(n, in, ip.Schema, distinct))
	}
	return out
}

// distinctArgs names the arguments of DISTINCT aggregates ("" for none).
func distinctArgs(aggs []AggCall, in catalog.Schema) string {
	var names []string
	for _, c := range aggs {
		if c.Distinct && c.Arg >= 0 {
			names = append(names, in.Columns[c.Arg].Name)
		}
	}
	return strings.Join(names, ", ")
}

func growingGroupsMsg(n *HashAggNode, grow []string, why string, in stream) string {
	cols := strings.Join(grow, ", ")
	fix := "group by fewer columns, use a window, or SET 'state.ttl'"
	if why == "the event time" {
		src := "src"
		if sc := scanOf(n.Input); sc != nil {
			src = sc.Source.Name
		}
		fix = fmt.Sprintf("group by a window (FROM TUMBLE(%s, %s, INTERVAL 1 MINUTE) ... GROUP BY window_start, window_end), "+
			"add EMIT ON WINDOW CLOSE, or SET 'state.ttl'", src, grow[0])
	}
	return fmt.Sprintf("unbounded state: this GROUP BY keeps a group for every %s forever, and %s is %s of %s, "+
		"so groups keep coming; fix: %s", cols, cols, why, in.why, fix)
}

func dataGroupsMsg(n *HashAggNode, in stream, s catalog.Schema, distinct string) string {
	what := "this GROUP BY keeps a group for every distinct " + columnNames(s, n.GroupBy)
	if len(n.GroupBy) == 0 {
		what = "this aggregation keeps every distinct " + distinct
	} else if distinct != "" {
		what += ", each with every distinct " + distinct
	}
	return fmt.Sprintf("state may grow without bound: %s forever, bounded only by how many values arrive from %s; "+
		"if they keep coming, group by a window or SET 'state.ttl'", what, in.why)
}

// join classifies a regular join: it keeps every live row of both
// inputs, so an ever-growing input makes its state grow (an error)
// unless a TTL drops idle rows.
func (a *stateAnalyzer) join(n *JoinNode, l, r stream) stream {
	ins := []stream{l, r}
	out := worse(l, r)
	switch {
	case allFinite(ins):
		a.record(n, ins, BoundInput)
	case n.StateTTLMs > 0:
		a.record(n, ins, BoundTTL)
	case out.g <= growBounded:
		a.record(n, ins, BoundKey)
	case l.g == growUnbounded || r.g == growUnbounded:
		a.report(n, BoundNone, SeverityError, n.Pos, joinMsg(l, r))
	default:
		a.record(n, ins, BoundData) // reported where the growth starts
	}
	return out
}

func joinMsg(l, r stream) string {
	side, why := "its left input", l.why
	switch {
	case l.g == growUnbounded && r.g == growUnbounded:
		side, why = "both its inputs", l.why+" and "+r.why
	case r.g == growUnbounded:
		side, why = "its right input", r.why
	}
	return fmt.Sprintf("unbounded state: this join keeps every row of %s forever, for partners that may still come: %s; "+
		"fix: bound the join in event time in its ON clause (AND b.ts BETWEEN a.ts - INTERVAL 1 HOUR AND a.ts + INTERVAL 1 HOUR), "+
		"read an input as a changelog with a PRIMARY KEY (only its live rows are kept), or SET 'state.ttl'", side, why)
}

// over classifies an OVER: its waiting rows are freed by the watermark,
// but every partition keeps its counters, running aggregates and LAG rows
// forever (state.ttl does not apply to OVER).
func (a *stateAnalyzer) over(n *OverNode, in stream) stream {
	ins := []stream{in}
	ip := n.Input.Props()
	switch {
	case in.g == growFinite:
		a.record(n, ins, BoundInput)
		return in
	case len(n.Partition) == 0:
		a.record(n, ins, BoundWatermark)
	case in.g != growUnbounded:
		a.record(n, ins, BoundData)
	default:
		a.overPartitions(n, in, ip)
	}
	return stream{growUnbounded, "the unbounded append-only output of an OVER"}
}

// topN classifies a Top-N: it keeps at most Limit rows per partition,
// so its state grows with the partitions, judged as OVER's are. Its
// output holds Limit rows per partition.
func (a *stateAnalyzer) topN(n *TopNNode, in stream) stream {
	ins := []stream{in}
	ip := n.Input.Props()
	switch {
	case in.g == growFinite:
		a.record(n, ins, BoundInput)
		return in
	case len(n.Partition) == 0:
		a.record(n, ins, BoundKey)
		return stream{growBounded, fmt.Sprintf("the top %d rows of %s", n.Limit, in.why)}
	case in.g != growUnbounded:
		a.record(n, ins, BoundData)
	default:
		cols := columnNames(ip.Schema, n.Partition)
		what := fmt.Sprintf("Top-N (PARTITION BY %s) keeps the top %d rows for every %s", cols, n.Limit, cols)
		grow, why := growingColumns(ip, n.Partition)
		if grow == nil {
			a.report(n, BoundData, SeverityWarning, n.Pos, fmt.Sprintf("state may grow without bound: %s forever, bounded only by "+
				"how many values arrive from %s; if they keep coming, partition by columns with few values", what, in.why))
		} else {
			a.report(n, BoundNone, SeverityError, n.Pos, fmt.Sprintf("unbounded state: %s forever, and %s is %s of %s, "+
				"so partitions keep coming: partition by columns with few values, or rank within a window", what, strings.Join(grow, ", "), why, in.why))
		}
	}
	return stream{growData, "the top rows of Top-N (PARTITION BY " + columnNames(ip.Schema, n.Partition) + ")"}
}

// overPartitions reports the partitions of an OVER over an ever-growing
// input: an error when an ever-growing column keys them, else a warning.
func (a *stateAnalyzer) overPartitions(n *OverNode, in stream, ip *Props) {
	cols := columnNames(ip.Schema, n.Partition)
	what := fmt.Sprintf("OVER (PARTITION BY %s) keeps a partition (row count, running aggregates, LAG rows) for every %s", cols, cols)
	grow, why := growingColumns(ip, n.Partition)
	if grow == nil {
		a.report(n, BoundData, SeverityWarning, n.Pos, fmt.Sprintf("state may grow without bound: %s forever, bounded only by "+
			"how many values arrive from %s; state.ttl does not apply to OVER: if they keep coming, partition by columns with few values",
			what, in.why))
		return
	}
	g := strings.Join(grow, ", ")
	a.report(n, BoundNone, SeverityError, n.Pos, fmt.Sprintf("unbounded state: %s forever, and %s is %s of %s, "+
		"so partitions keep coming; state.ttl does not apply to OVER: partition by columns with few values, or use a window aggregation",
		what, g, why, in.why))
}
