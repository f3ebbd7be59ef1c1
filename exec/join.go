package exec

import (
	"fmt"
	"math"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/planner"
)

// JoinConfig describes a regular equi-join (planner.JoinNode).
type JoinConfig struct {
	Type        planner.JoinType
	Left, Right *arrow.Schema
	// LeftKeys[i] of the left input equals RightKeys[i] of the right one.
	// Pairs must have the same key class: INT and BIGINT mix, DECIMALs
	// need equal scales, other types must be equal.
	LeftKeys, RightKeys []int
	// Residual, when not nil, is a condition over Out's columns (left
	// then right); a pair joins only when it is TRUE.
	Residual Selector
	// Out is the output schema: Left's columns then Right's (nullable
	// where outer joins pad with NULLs).
	Out *arrow.Schema
	// StateTTL drops rows of either side not changed for this long, by
	// processing time, without emitting anything; 0 keeps state forever.
	StateTTL time.Duration
	// Clock is processing time, for StateTTL; time.Now when nil.
	Clock func() time.Time
}

// Join is a regular equi-join of two changelog streams, fed through its
// two ports Left() and Right(). Each side keeps its distinct rows with a
// multiplicity, grouped by join key (see joinSide).
//
// Output ops: the join emits +I for every joined (or NULL-padded) row it
// adds and -D for every one it takes back, never -U/+U, because one input
// change may change any number of output rows. An input +I/+U adds, -U/-D
// takes back. Outer joins keep per row the number of partners passing the
// residual: a preserved row without partners is emitted NULL-padded; when
// its first partner arrives the padded row is retracted (-D) before the
// joined one is added, and when its last partner leaves the joined row is
// retracted before the padded one comes back (+I).
//
// A retraction of a row that is not in state (for example after its TTL
// expired) is ignored. With StateTTL the results are approximate: an
// expired row's joined rows are never retracted and its partners'
// NULL-padding does not come back.
//
// Watermarks: the output watermark is the minimum of the two ports'
// (a closed port counts as +infinity), forwarded only when it rises.
// Barriers: epoch N is forwarded once both ports delivered it (ports are
// not blocked in between: the single-threaded runner snapshots the state,
// see join_checkpoint.go, once every chain has the barrier). Close is
// forwarded after both ports closed.
type Join struct {
	typ         planner.JoinType
	left, right *joinSide
	residual    Selector
	schema      *arrow.Schema
	out         Stream
	mem         memory.Allocator

	ttl       int64 // ms; 0 = none
	clock     func() time.Time
	lastSweep int64

	ports  [2]joinPort
	wm     [2]int64
	fwdWM  int64
	bar    [2]uint64
	fwdBar uint64
	closed [2]bool

	acts  []joinAct
	cands []joinPair
	pass  []bool
	sel   []int32
	emit  joinEmit

	ck joinCk // checkpoint bookkeeping (join_checkpoint.go)
}

var _ StateReporter = (*Join)(nil)

// NewJoin returns a join emitting to out. Feed it through Left() and Right().
func NewJoin(cfg JoinConfig, out Stream, mem memory.Allocator) (*Join, error) {
	if cfg.Type < planner.InnerJoin || cfg.Type > planner.FullJoin {
		return nil, fmt.Errorf("join: unknown join type %d", cfg.Type)
	}
	if err := checkJoinSchema(cfg); err != nil {
		return nil, err
	}
	le, re, err := newKeyEncoder(cfg.Left, cfg.Right, cfg.LeftKeys, cfg.RightKeys)
	if err != nil {
		return nil, err
	}
	j := &Join{typ: cfg.Type, residual: cfg.Residual, schema: cfg.Out, out: out, mem: mem,
		ttl: cfg.StateTTL.Milliseconds(), clock: cfg.Clock,
		wm: [2]int64{MinWatermark, MinWatermark}, fwdWM: MinWatermark}
	if j.clock == nil {
		j.clock = time.Now
	}
	if j.left, err = newJoinSide("left", cfg.Left, le); err != nil {
		return nil, err
	}
	if j.right, err = newJoinSide("right", cfg.Right, re); err != nil {
		return nil, err
	}
	j.ports = [2]joinPort{{j: j, side: 0}, {j: j, side: 1}}
	j.lastSweep = j.clock().UnixMilli()
	return j, nil
}

func checkJoinSchema(cfg JoinConfig) error {
	if cfg.Left == nil || cfg.Right == nil || cfg.Out == nil {
		return fmt.Errorf("join: need left, right and output schemas")
	}
	nl, nr := cfg.Left.NumFields(), cfg.Right.NumFields()
	if cfg.Out.NumFields() != nl+nr {
		return fmt.Errorf("join: output has %d columns, want %d left + %d right", cfg.Out.NumFields(), nl, nr)
	}
	for i := 0; i < nl+nr; i++ {
		in := cfg.Left
		k := i
		if i >= nl {
			in, k = cfg.Right, i-nl
		}
		if !arrow.TypeEqual(in.Field(k).Type, cfg.Out.Field(i).Type) {
			return fmt.Errorf("join: output column %s is %s, input has %s", cfg.Out.Field(i).Name, cfg.Out.Field(i).Type, in.Field(k).Type)
		}
	}
	return nil
}

// Name is the operator's EXPLAIN name.
func (j *Join) Name() string { return j.typ.String() + "-join" }

// Left is the port of the left input.
func (j *Join) Left() Stream { return &j.ports[0] }

// Right is the port of the right input.
func (j *Join) Right() Stream { return &j.ports[1] }

// StateSize implements StateReporter: distinct stored rows of both sides
// and an estimate of their bytes.
func (j *Join) StateSize() (rows, bytes int64) {
	return int64(j.left.live + j.right.live), j.left.stateBytes() + j.right.stateBytes()
}

// preserved reports whether side (0 left, 1 right) is NULL-padded when
// it has no partner.
func (j *Join) preserved(side int) bool { return joinPreserves(j.typ, side) }

// joinPreserves reports whether a join of type typ NULL-pads side (0
// left, 1 right) when it has no partner.
func joinPreserves(typ planner.JoinType, side int) bool {
	if side == 0 {
		return typ == planner.LeftJoin || typ == planner.FullJoin
	}
	return typ == planner.RightJoin || typ == planner.FullJoin
}

func (j *Join) sides(side int) (own, other *joinSide) {
	if side == 0 {
		return j.left, j.right
	}
	return j.right, j.left
}

// joinPort is one input of a Join.
type joinPort struct {
	j    *Join
	side int
}

var _ Stream = (*joinPort)(nil)

// Push implements Stream. It borrows b.
func (p *joinPort) Push(b Batch) error {
	if p.j.closed[p.side] {
		return fmt.Errorf("%s: push to closed %s port", p.j.Name(), p.name())
	}
	if err := p.j.push(p.side, b); err != nil {
		return fmt.Errorf("%s %s: %w", p.j.Name(), p.name(), err)
	}
	return nil
}

func (p *joinPort) name() string {
	if p.side == 0 {
		return "left"
	}
	return "right"
}

// Watermark implements Stream.
func (p *joinPort) Watermark(t int64) error {
	j := p.j
	j.wm[p.side] = max(j.wm[p.side], t)
	return j.forwardWatermark()
}

func (j *Join) forwardWatermark() error {
	if m := min(j.wm[0], j.wm[1]); m > j.fwdWM {
		j.fwdWM = m
		return j.out.Watermark(m)
	}
	return nil
}

// Barrier implements Stream.
func (p *joinPort) Barrier(epoch uint64) error {
	j := p.j
	j.bar[p.side] = max(j.bar[p.side], epoch)
	return j.forwardBarrier()
}

func (j *Join) forwardBarrier() error {
	if m := min(j.bar[0], j.bar[1]); m > j.fwdBar && m != math.MaxUint64 {
		j.fwdBar = m
		return j.out.Barrier(m)
	}
	return nil
}

// Close implements Stream: the join closes its output after both ports.
func (p *joinPort) Close() error {
	j := p.j
	if j.closed[p.side] {
		return nil
	}
	j.closed[p.side] = true
	j.bar[p.side] = math.MaxUint64
	j.wm[p.side] = MaxWatermark
	if !j.closed[1-p.side] {
		if err := j.forwardBarrier(); err != nil {
			return err
		}
		return j.forwardWatermark()
	}
	return j.out.Close()
}
