package planner

import (
	"strings"

	"github.com/sqlstream/sqlstream/planner/scalar"
)

// IntervalJoinNode is a join of two append-only streams bounded in event
// time (an interval join):
//
//	ON l.k = r.k AND r.ts BETWEEN l.ts + Lower AND l.ts + Upper [AND Residual]
//
// Each side keeps its rows indexed by join key until the other side's
// watermark shows that no partner can arrive any more: a left row at t
// waits for right rows up to t + Bound.Upper, a right row at t for left
// rows down to t - Bound.Lower. A new row joins with the other side's
// held rows at once; a preserved row of an outer join that expires
// without a partner is emitted NULL-padded then. Nothing is ever
// retracted: the output is append-only.
//
// Output columns are the left columns then the right ones (as JoinNode).
// Its event-time columns (P.Time) are the two bound time columns; the
// operator's output watermark lags its input's by at most
// max(Upper, -Lower, 0).
//
// The fields are stable: the unique-key join (unique_join.go) reads them.
type IntervalJoinNode struct {
	P           Props
	Left, Right Physical
	// Type is InnerJoin, LeftJoin, RightJoin or FullJoin.
	Type JoinType
	// LeftKeys[i] of the left input equals RightKeys[i] of the right one
	// (NULL never matches); at least one pair.
	LeftKeys, RightKeys []int
	// Bound is the time condition: LeftTime and RightTime are columns of
	// the left and right inputs (TIMESTAMP, in their Props.Time).
	Bound *IntervalBound
	// Residual is the rest of the condition over left++right columns, nil
	// when none: a pair joins when it is TRUE.
	Residual scalar.Expr
}

// Kind implements Physical.
func (n *IntervalJoinNode) Kind() PhysKind { return PhysIntervalJoin }

// Props implements Physical.
func (n *IntervalJoinNode) Props() *Props { return &n.P }

// Inputs implements Physical: left, then right.
func (n *IntervalJoinNode) Inputs() []Physical { return []Physical{n.Left, n.Right} }

// explainLine renders `interval join left on a.k = b.k and b.ts between
// a.ts - 5s and a.ts + 1h and residual  state=both-sides-until-watermark
// key=none  changelog=append-only  time=[a.ts, b.ts]`.
func (n *IntervalJoinNode) explainLine() string {
	cols := n.P.Schema.Columns
	nl := n.Left.Props().Schema.Len()
	conds := make([]string, 0, len(n.LeftKeys)+2)
	for i := range n.LeftKeys {
		conds = append(conds, cols[n.LeftKeys[i]].Name+" = "+cols[nl+n.RightKeys[i]].Name)
	}
	lt, rt := cols[n.Bound.LeftTime].Name, cols[nl+n.Bound.RightTime].Name
	conds = append(conds, rt+" between "+lt+offsetText(n.Bound.Lower)+" and "+lt+offsetText(n.Bound.Upper))
	if n.Residual != nil {
		res := exprString(n.Residual)
		if c, ok := n.Residual.(*scalar.Call); !ok || c.Func != scalar.FuncOr {
			res = stripParens(res) // an OR keeps its parentheses after "and"
		}
		conds = append(conds, res)
	}
	times := make([]string, len(n.P.Time))
	for i, c := range n.P.Time {
		times[i] = cols[c].Name
	}
	return "interval join " + n.Type.String() + " on " + strings.Join(conds, " and ") +
		"  state=both-sides-until-watermark  key=" + keyText(&n.P) + "  changelog=" + modeText(&n.P) +
		"  time=[" + strings.Join(times, ", ") + "]"
}
