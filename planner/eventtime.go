package planner

import "github.com/sqlstream/sqlstream/planner/scalar"

// Kinds of the event-time physical nodes (issue 4: windows, interval and
// unique-key joins, OVER). Each node type lives in its own file and
// renders its own EXPLAIN line (explainer).
const (
	PhysWindowAgg    PhysKind = iota + 48 // window TVF + GROUP BY window: window_agg.go
	PhysIntervalJoin                      // time-bounded join: interval_join.go
	PhysUniqueJoin                        // multi-way join on a unique key: unique_join.go
	PhysOver                              // OVER (PARTITION BY .. ORDER BY time): over.go
	PhysEmitOnClose                       // EMIT ON WINDOW CLOSE of a plain aggregation
)

// IntervalBound is the time condition of an interval join, found among the
// conjuncts of its ON condition:
//
//	left.time + Lower <= right.time <= left.time + Upper
//
// in milliseconds, inclusive (a strict `<` bound is one millisecond
// tighter). `r.ts BETWEEN l.ts - INTERVAL 5 SECOND AND l.ts + INTERVAL 1
// HOUR` is Lower = -5000, Upper = 3600000. LeftTime and RightTime are
// event-time columns (Props.Time) of the join's left and right inputs.
type IntervalBound struct {
	LeftTime, RightTime int
	Lower, Upper        int64
}

// Retention returns how long (event time) a row of each side must wait
// for partners: a left row at t can still match right rows up to
// t + Upper, a right row at t left rows up to t - Lower.
func (b *IntervalBound) Retention() (left, right int64) {
	return max(b.Upper, 0), max(-b.Lower, 0)
}

// timedJoin lowers a join whose condition bounds the two sides' event
// times: the unique-key join when both sides are unique on the join key
// (lower_unique_join.go), else the interval join (lower_interval_join.go).
// lk and rk are the key columns of left and right (after withKeyColumns);
// residual is the rest of the condition without the time bounds.
func timedJoin(n *LogicalJoin, left, right Physical, lk, rk []int, iv *IntervalBound, residual scalar.Expr) (Physical, error) {
	if p, ok, err := lowerUniqueJoin(n, left, right, lk, rk, iv, residual); ok || err != nil {
		return p, err
	}
	return lowerIntervalJoin(n, left, right, lk, rk, iv, residual)
}
