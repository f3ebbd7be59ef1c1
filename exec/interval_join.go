package exec

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/planner"
)

// IntervalJoinConfig describes an interval join (planner.IntervalJoinNode).
type IntervalJoinConfig struct {
	Type        planner.JoinType
	Left, Right *arrow.Schema
	// LeftKeys[i] of the left input equals RightKeys[i] of the right one
	// (key classes as for JoinConfig).
	LeftKeys, RightKeys []int
	// LeftTime and RightTime are the event-time columns (TIMESTAMP) of the
	// inputs; a pair joins only when
	// left.time + Lower <= right.time <= left.time + Upper (ms).
	LeftTime, RightTime int
	Lower, Upper        int64
	// Residual, when not nil, is the rest of the condition over Out's
	// columns (left then right).
	Residual Selector
	// Out is the output schema: Left's columns then Right's.
	Out *arrow.Schema
}

// IntervalJoin joins two append-only streams whose rows match only within
// an event-time interval of each other, fed through its ports Left() and
// Right(). Each side holds its rows by join key (ivSide); a new row joins
// at once with the other side's held rows that satisfy the bounds and the
// residual. Output is append-only: +I rows, never retracted.
//
// Expiry: a left row at t can match right rows up to t + Upper, so it is
// dropped once the right port's watermark passes t + Upper (right rows
// still to come are at or above that watermark); a right row at t is
// dropped once the left port's watermark passes t - Lower. A preserved
// row of an outer join that never joined is emitted NULL-padded when it
// is dropped; a row that can never join (NULL key or time) is padded at
// once. A row arriving already past its interval joins what is held and
// is not kept. MaxWatermark (or a closed port) drops everything the
// other side holds.
//
// Output watermark: the minimum of the ports' watermarks w and the
// earliest event time still held on either side. Every row emitted later
// joins or pads a row that is either held now or still to come (at or
// above w), so its two time columns are at or above that minimum. After
// expiry a held left row is at least w - Upper and a right row at least
// w + Lower, so the output lags w by at most max(Upper, -Lower, 0), and it
// is forwarded only when it rises. MaxWatermark stays MaxWatermark.
// Barriers are forwarded once both ports passed them; Close after both
// ports closed. Inputs must be append-only (planner-checked; a
// retraction is an error).
type IntervalJoin struct {
	typ          planner.JoinType
	lower, upper int64
	left, right  *ivSide
	residual     Selector
	schema       *arrow.Schema
	out          Stream
	mem          memory.Allocator

	ports *Ports
	pw    [2]int64 // each port's watermark
	fwdWM int64
	peak  int64

	inputs [2]ivPort

	// Reused buffers: the batch rows stored and their slots (slots also
	// collects the slots a watermark expires), the slots a batch drops.
	rows, slots, padded []int32
	cl, cr              []int32 // candidate pairs (with a residual), left and right slots
	outL, outR          []int32 // output pairs (-1 pads with NULLs)
	sel                 []int32

	ck ivCk // checkpoint bookkeeping (interval_join_checkpoint.go)
}

var (
	_ StateReporter     = (*IntervalJoin)(nil)
	_ PeakStateReporter = (*IntervalJoin)(nil)
)

// NewIntervalJoin returns an interval join emitting to out.
func NewIntervalJoin(cfg IntervalJoinConfig, out Stream, mem memory.Allocator) (*IntervalJoin, error) {
	if cfg.Type < planner.InnerJoin || cfg.Type > planner.FullJoin {
		return nil, fmt.Errorf("interval join: unknown join type %d", cfg.Type)
	}
	if cfg.Lower > cfg.Upper {
		return nil, fmt.Errorf("interval join: empty bounds [%d, %d] ms", cfg.Lower, cfg.Upper)
	}
	if cfg.Lower == math.MinInt64 {
		return nil, fmt.Errorf("interval join: lower bound out of range")
	}
	if err := checkJoinSchema(JoinConfig{Left: cfg.Left, Right: cfg.Right, Out: cfg.Out}); err != nil {
		return nil, fmt.Errorf("interval %w", err)
	}
	le, re, err := newKeyEncoder(cfg.Left, cfg.Right, cfg.LeftKeys, cfg.RightKeys)
	if err != nil {
		return nil, fmt.Errorf("interval %w", err)
	}
	j := &IntervalJoin{typ: cfg.Type, lower: cfg.Lower, upper: cfg.Upper, residual: cfg.Residual,
		schema: cfg.Out, out: out, mem: mem, ports: NewPorts(2),
		pw: [2]int64{MinWatermark, MinWatermark}, fwdWM: MinWatermark}
	if j.left, err = newIVSide("left", cfg.Left, le, cfg.LeftTime); err != nil {
		return nil, err
	}
	if j.right, err = newIVSide("right", cfg.Right, re, cfg.RightTime); err != nil {
		return nil, err
	}
	j.inputs = [2]ivPort{{j: j, side: 0}, {j: j, side: 1}}
	return j, nil
}

// Name is the operator's EXPLAIN name.
func (j *IntervalJoin) Name() string { return "interval-" + j.typ.String() + "-join" }

// Left is the port of the left input.
func (j *IntervalJoin) Left() Stream { return &j.inputs[0] }

// Right is the port of the right input.
func (j *IntervalJoin) Right() Stream { return &j.inputs[1] }

// StateSize implements StateReporter: rows held on both sides and an
// estimate of their bytes.
func (j *IntervalJoin) StateSize() (rows, bytes int64) {
	return int64(j.left.live + j.right.live), j.left.stateBytes() + j.right.stateBytes()
}

// PeakStateRows implements PeakStateReporter: the most rows held at once
// (after a batch or a watermark).
func (j *IntervalJoin) PeakStateRows() int64 { return j.peak }

func (j *IntervalJoin) notePeak() {
	j.peak = max(j.peak, int64(j.left.live+j.right.live))
}

// preserved reports whether side (0 left, 1 right) is NULL-padded when
// it has no partner.
func (j *IntervalJoin) preserved(side int) bool { return joinPreserves(j.typ, side) }

func (j *IntervalJoin) sides(side int) (own, other *ivSide) {
	if side == 0 {
		return j.left, j.right
	}
	return j.right, j.left
}

// expired reports whether a row of side at event time t can no longer
// join, given the other port's watermark w.
func (j *IntervalJoin) expired(side int, t, w int64) bool {
	if w == MaxWatermark {
		return true
	}
	if side == 0 {
		return addSaturating(t, j.upper) < w // partners up to t + Upper
	}
	return addSaturating(t, -j.lower) < w // partners down to t - Lower
}

// ivPopLimit is the number of rows a watermark expires one heap pop at a
// time (in time order) before it drains the rest in one pass.
const ivPopLimit = 64

// expire drops the rows of side that the other port's watermark w has
// closed, emitting the unmatched ones NULL-padded when side is preserved.
func (j *IntervalJoin) expire(side int, w int64) error {
	sd, _ := j.sides(side)
	dropped := j.slots[:0]
	for len(sd.heap) > 0 && j.expired(side, sd.heap[0].t, w) {
		if len(dropped) == ivPopLimit {
			// Many rows expire: one pass over the heap beats popping
			// each (k log n).
			dropped = sd.heap.drain(dropped, func(t int64) bool { return j.expired(side, t, w) })
			break
		}
		dropped = append(dropped, sd.heap.pop().slot)
	}
	for _, s := range dropped {
		sd.unlink(s)
	}
	j.slots = dropped
	if len(dropped) == 0 {
		return nil
	}
	err := j.padUnmatched(side, dropped)
	sd.release(dropped)
	return err
}

// padUnmatched emits the rows of slots (of side) that never joined,
// NULL-padded, when side is preserved.
func (j *IntervalJoin) padUnmatched(side int, slots []int32) error {
	if !j.preserved(side) {
		return nil
	}
	sd, _ := j.sides(side)
	for _, s := range slots {
		if sd.matched[s] {
			continue
		}
		if side == 0 {
			j.outL, j.outR = append(j.outL, s), append(j.outR, -1)
		} else {
			j.outL, j.outR = append(j.outL, -1), append(j.outR, s)
		}
		if len(j.outL) >= maxJoinOut {
			if err := j.flushOut(); err != nil {
				return err
			}
		}
	}
	return j.flushOut()
}

// flushOut pushes the collected output pairs downstream.
func (j *IntervalJoin) flushOut() error {
	if len(j.outL) == 0 {
		return nil
	}
	rec := gatherPairs(j.schema, j.left.cols, j.right.cols, j.outL, j.outR, j.mem)
	j.outL, j.outR = j.outL[:0], j.outR[:0]
	err := j.out.Push(Batch{Rec: rec})
	rec.Release()
	return err
}

// forwardWatermark forwards the output watermark (see IntervalJoin) when
// it rose.
func (j *IntervalJoin) forwardWatermark() error {
	w := min(j.ports.Current(), j.left.minHeld(), j.right.minHeld())
	if w <= j.fwdWM {
		return nil
	}
	j.fwdWM = w
	return j.out.Watermark(w)
}

// watermark handles port side's watermark t: it closes the other side's
// rows whose interval t passed, then forwards the output watermark.
func (j *IntervalJoin) watermark(side int, t int64) error {
	if t > j.pw[side] {
		j.pw[side] = t
		if err := j.expire(1-side, t); err != nil {
			return err
		}
	}
	j.ports.Watermark(side, t)
	return j.forwardWatermark()
}

// close handles the end of port side: no partner can come for the other
// side's rows any more.
func (j *IntervalJoin) close(side int) error {
	if j.ports.Closed(side) {
		return nil
	}
	j.pw[side] = MaxWatermark
	if err := j.expire(1-side, MaxWatermark); err != nil {
		return err
	}
	last, _, _, bar, barOK := j.ports.Close(side)
	if barOK {
		if err := j.out.Barrier(bar); err != nil {
			return err
		}
	}
	if err := j.forwardWatermark(); err != nil {
		return err
	}
	if last {
		return j.out.Close()
	}
	return nil
}

// ivPort is one input of an IntervalJoin.
type ivPort struct {
	j    *IntervalJoin
	side int
}

var _ Stream = (*ivPort)(nil)

func (p *ivPort) name() string {
	if p.side == 0 {
		return "left"
	}
	return "right"
}

// Push implements Stream. It borrows b.
func (p *ivPort) Push(b Batch) error {
	if p.j.ports.Closed(p.side) {
		return fmt.Errorf("%s: push to closed %s port", p.j.Name(), p.name())
	}
	if err := p.j.push(p.side, b); err != nil {
		return fmt.Errorf("%s %s: %w", p.j.Name(), p.name(), err)
	}
	return nil
}

// Watermark implements Stream.
func (p *ivPort) Watermark(t int64) error {
	if err := p.j.watermark(p.side, t); err != nil {
		return fmt.Errorf("%s %s watermark: %w", p.j.Name(), p.name(), err)
	}
	return nil
}

// Barrier implements Stream.
func (p *ivPort) Barrier(epoch uint64) error {
	if e, ok := p.j.ports.Barrier(p.side, epoch); ok {
		return p.j.out.Barrier(e)
	}
	return nil
}

// Close implements Stream: the join closes its output after both ports.
func (p *ivPort) Close() error {
	if err := p.j.close(p.side); err != nil {
		return fmt.Errorf("%s %s close: %w", p.j.Name(), p.name(), err)
	}
	return nil
}
