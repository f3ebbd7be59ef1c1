package planner

import (
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/planner/scalar"
)

// Kinds of the stateful physical nodes (issue 3: changelogs end to end).
const (
	PhysHashAgg PhysKind = iota + 32
	PhysJoin
	PhysLookupJoin
	PhysNormalize
)

// AggFunc is an aggregate function.
type AggFunc uint8

const (
	AggCountStar AggFunc = iota + 1 // COUNT(*): rows in the group
	AggCount                        // COUNT(x): non-NULL x (COUNT(DISTINCT x) with Distinct)
	AggSum
	AggAvg
	AggMin
	AggMax
)

var aggNames = [...]string{AggCountStar: "count(*)", AggCount: "count", AggSum: "sum", AggAvg: "avg", AggMin: "min", AggMax: "max"}

func (f AggFunc) String() string {
	if int(f) < len(aggNames) && aggNames[f] != "" {
		return aggNames[f]
	}
	return "agg?"
}

// AggCall is one aggregate of a HashAggNode. Its argument and FILTER
// condition are columns of the node's input (the planner projects the
// expressions below the aggregation).
//
// Result types: COUNT → BIGINT; SUM over INT/BIGINT → DECIMAL(38,0), over
// DECIMAL(p,s) → DECIMAL(38,s), over DOUBLE → DOUBLE; AVG over INT/BIGINT/
// DOUBLE → DOUBLE, over DECIMAL(p,s) → DECIMAL(38, min(s+4, 38)) rounded half
// away from zero; MIN/MAX → the argument's type. T is the authority.
type AggCall struct {
	Func     AggFunc
	Arg      int  // input column; -1 for COUNT(*)
	Distinct bool // COUNT(DISTINCT x), SUM(DISTINCT x), ...
	Filter   int  // input column of a BOOLEAN FILTER (WHERE ...) condition; -1 for none
	T        catalog.Type
	Name     string // output column name, for EXPLAIN
}

// HashAggNode is an incremental GROUP BY: it keeps one accumulator set per
// group and, per input batch, emits one -U/+U pair per changed group (+I
// for a new group, -D for a group whose row count drops to zero). Output
// columns are the GroupBy columns in order, then one per Aggs. With no
// GroupBy it is a global aggregate that always holds exactly one row
// (COUNT 0 and NULL sums when empty), as SQL requires.
type HashAggNode struct {
	P       Props
	Input   Physical
	GroupBy []int
	Aggs    []AggCall
	// StateTTLMs drops groups not updated for this long (SET 'state.ttl');
	// 0 keeps state forever (exact results).
	StateTTLMs int64
	// Pos is the file offset of the GROUP BY (LogicalAgg.Pos).
	Pos int
}

// JoinType is the kind of a join.
type JoinType uint8

const (
	InnerJoin JoinType = iota + 1
	LeftJoin
	RightJoin
	FullJoin
)

var joinNames = [...]string{InnerJoin: "inner", LeftJoin: "left", RightJoin: "right", FullJoin: "full"}

func (t JoinType) String() string {
	if int(t) < len(joinNames) && joinNames[t] != "" {
		return joinNames[t]
	}
	return "join?"
}

// JoinNode is a regular equi-join of two changelog streams. Each side's
// rows are kept in state indexed by the join key; a change on one side
// joins against the other side's state and retracts what it emitted
// before, including the NULL-padded rows of outer joins, which flip when
// the first partner arrives or the last one leaves. Output columns are the
// left columns then the right columns. Rows match when every key pair is
// equal (NULL never matches) and Residual, evaluated over left++right
// columns, is TRUE; Residual is nil when the ON clause is only equalities.
type JoinNode struct {
	P                   Props
	Left, Right         Physical
	Type                JoinType
	LeftKeys, RightKeys []int
	Residual            scalar.Expr
	StateTTLMs          int64
	// Pos is the file offset of the join's right relation (LogicalJoin.Pos).
	Pos int
}

// LookupJoinNode joins each input row with the rows of a dimension table
// found by key at processing time (FOR SYSTEM_TIME AS OF, or any join to a
// table). Later changes to the table do not revise earlier results, as in
// Flink. Type is InnerJoin or LeftJoin. Output columns are the input
// columns then the table columns. Ops pass through: a -D input row looks
// its partners up again.
type LookupJoinNode struct {
	P         Props
	Input     Physical
	Table     *catalog.Table
	Type      JoinType
	InputKeys []int // input columns, equal to TableKeys pairwise
	TableKeys []int // table columns
	Residual  scalar.Expr
}

// NormalizeNode turns an upsert stream (+I/+U without old rows, -D perhaps
// carrying only the key) into a retract stream with full old rows, keeping
// the last row of every key in state. The planner adds it above sources
// whose format is upsert; formats with before-images (debezium, canal,
// maxwell) need none.
type NormalizeNode struct {
	P     Props
	Input Physical
	Key   []int
}

func (n *HashAggNode) Kind() PhysKind    { return PhysHashAgg }
func (n *JoinNode) Kind() PhysKind       { return PhysJoin }
func (n *LookupJoinNode) Kind() PhysKind { return PhysLookupJoin }
func (n *NormalizeNode) Kind() PhysKind  { return PhysNormalize }

func (n *HashAggNode) Props() *Props    { return &n.P }
func (n *JoinNode) Props() *Props       { return &n.P }
func (n *LookupJoinNode) Props() *Props { return &n.P }
func (n *NormalizeNode) Props() *Props  { return &n.P }

func (n *HashAggNode) Inputs() []Physical    { return []Physical{n.Input} }
func (n *JoinNode) Inputs() []Physical       { return []Physical{n.Left, n.Right} }
func (n *LookupJoinNode) Inputs() []Physical { return []Physical{n.Input} }
func (n *NormalizeNode) Inputs() []Physical  { return []Physical{n.Input} }
