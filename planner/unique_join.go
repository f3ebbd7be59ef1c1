package planner

import (
	"strconv"
	"strings"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// UniqueJoinNode is a left-deep chain of time-bounded INNER and LEFT
// joins of append-only inputs that are all unique on one join key (the
// trace join: request ⋈ response ⋈ tracking on trace_id), run as one
// multi-way operator whose state is one partial row per in-flight key.
// A key's row is emitted as soon as every input has delivered, and
// dropped; keys still missing inputs when the watermark passes their
// bounds are resolved as SQL says (LEFT pads NULLs, INNER drops).
//
// Output columns are every input's columns in input order. Keys[i] are
// input i's key columns, pairwise equal across inputs; Times[i] its
// event-time column (in Props.Time of the input). Steps[i-1] joins input
// i to inputs 0..i-1.
type UniqueJoinNode struct {
	P     Props
	Ins   []Physical
	Keys  [][]int
	Times []int
	Steps []UniqueJoinStep
}

// UniqueJoinStep is the i-th join of a UniqueJoinNode's chain: input i
// joins with Type (InnerJoin or LeftJoin) when its key equals the first
// input's, its time is within [Ref.time + Lower, Ref.time + Upper] (ms,
// inclusive; Ref < i is the input whose time the ON clause bounds it by,
// the first input in the trace join) and Residual (nil: TRUE), over the
// node's output columns of inputs 0..i, is TRUE.
type UniqueJoinStep struct {
	Type         JoinType
	Ref          int
	Lower, Upper int64
	Residual     scalar.Expr
}

// Kind implements Physical.
func (n *UniqueJoinNode) Kind() PhysKind { return PhysUniqueJoin }

// Props implements Physical.
func (n *UniqueJoinNode) Props() *Props { return &n.P }

// Inputs implements Physical.
func (n *UniqueJoinNode) Inputs() []Physical { return n.Ins }

// Offset is where input i's columns start in the output.
func (n *UniqueJoinNode) Offset(i int) int {
	off := 0
	for _, in := range n.Ins[:i] {
		off += in.Props().Schema.Len()
	}
	return off
}

// uniqueJoinProps derives the node's props for schema: append-only, the
// first input's unique key, and the event times of the first input and
// of the inputs every output row has (INNER steps; a LEFT step's time
// may be NULL).
func uniqueJoinProps(n *UniqueJoinNode, schema catalog.Schema) Props {
	p := Props{Schema: schema, Mode: catalog.AppendOnly, Stateful: true,
		Key: append([]int{}, n.Ins[0].Props().Key...), Time: []int{n.Times[0]}}
	for i := 1; i < len(n.Ins); i++ {
		if n.Steps[i-1].Type == InnerJoin {
			p.Time = append(p.Time, n.Offset(i)+n.Times[i])
		}
	}
	return p
}

// explainLine: `unique-key join on trace_id  inputs=3 (request, left
// response, left tracking)  bounds=[...]  state=in-flight-keys (...)`.
func (n *UniqueJoinNode) explainLine() string {
	names := make([]string, len(n.Ins))
	for i, in := range n.Ins {
		names[i] = inputName(in, i)
	}
	first := n.Ins[0].Props().Schema
	keys := make([]string, len(n.Keys[0]))
	for i, k := range n.Keys[0] {
		keys[i] = first.Columns[k].Name
	}
	ins := make([]string, len(n.Ins))
	bounds := make([]string, 0, len(n.Steps))
	var residuals []string
	ins[0] = names[0]
	for i := 1; i < len(n.Ins); i++ {
		st := n.Steps[i-1]
		ins[i] = st.Type.String() + " " + names[i]
		ref := names[st.Ref] + "." + n.Ins[st.Ref].Props().Schema.Columns[n.Times[st.Ref]].Name
		bounds = append(bounds, names[i]+"."+n.Ins[i].Props().Schema.Columns[n.Times[i]].Name+
			" in ["+shifted(ref, st.Lower)+", "+shifted(ref, st.Upper)+"]")
		if st.Residual != nil {
			residuals = append(residuals, names[i]+": "+stripParens(exprString(st.Residual)))
		}
	}
	var b strings.Builder
	b.WriteString("unique-key join on " + strings.Join(keys, ", "))
	b.WriteString("  inputs=" + strconv.Itoa(len(n.Ins)) + " (" + strings.Join(ins, ", ") + ")")
	b.WriteString("  bounds=[" + strings.Join(bounds, ", ") + "]")
	if len(residuals) > 0 {
		b.WriteString("  residual=[" + strings.Join(residuals, ", ") + "]")
	}
	b.WriteString("  state=in-flight-keys (every input is unique on [" + strings.Join(keys, ", ") + "]: " + n.why() + ")")
	b.WriteString("  key=" + keyText(&n.P) + "  changelog=" + modeText(&n.P))
	times := make([]string, len(n.P.Time))
	for i, c := range n.P.Time {
		times[i] = n.P.Schema.Columns[c].Name
	}
	b.WriteString("  time=[" + strings.Join(times, ", ") + "]")
	return b.String()
}

// why says where each input's uniqueness comes from: a source's PRIMARY
// KEY, or a key the planner derived.
func (n *UniqueJoinNode) why() string {
	var derived []string
	for i, in := range n.Ins {
		if s := scanOf(in); s == nil || len(s.Source.PrimaryKey) == 0 {
			derived = append(derived, inputName(in, i))
		}
	}
	switch {
	case len(derived) == 0:
		return "primary key"
	case len(derived) == len(n.Ins):
		return "derived key"
	}
	return "primary key; derived for " + strings.Join(derived, ", ")
}

// scanOf finds the source scan under filters and projections.
func scanOf(p Physical) *SourceScan {
	for {
		switch x := p.(type) {
		case *SourceScan:
			return x
		case *FilterNode:
			p = x.Input
		case *ProjectNode:
			p = x.Input
		default:
			return nil
		}
	}
}

// inputName names input i in EXPLAIN: its source, else its position.
func inputName(p Physical, i int) string {
	if s := scanOf(p); s != nil {
		return s.Source.Name
	}
	return "input" + strconv.Itoa(i)
}

// shifted renders `col`, `col + 1h` or `col - 5s`.
func shifted(col string, ms int64) string {
	switch {
	case ms > 0:
		return col + " + " + formatMillis(ms)
	case ms < 0:
		return col + " - " + formatMillis(-ms)
	}
	return col
}
