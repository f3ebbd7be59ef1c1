package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sqlstream/sqlstream/planner"
)

// UniqueJoinStep says how input i (i >= 1) of a UniqueJoin joins the
// inputs before it, as the i-th join of a left-deep chain.
type UniqueJoinStep struct {
	// Type is planner.InnerJoin or planner.LeftJoin.
	Type planner.JoinType
	// Ref is the earlier input whose event time bounds this input's:
	//   Ref.time + Lower <= time <= Ref.time + Upper   (ms, inclusive)
	// A NULL-padded Ref (an earlier LEFT step without a match) bounds
	// nothing: this input then matches nothing either.
	Ref          int
	Lower, Upper int64
	// Residual, when not nil, is the rest of this step's ON condition over
	// Out's columns; only the columns of inputs 0..i are meaningful
	// (inputs NULL-padded by earlier steps are NULL).
	Residual Selector
}

// UniqueJoinConfig describes a planner.UniqueJoinNode.
type UniqueJoinConfig struct {
	// Inputs are the schemas of the N >= 2 input ports; Names name them in
	// errors (optional).
	Inputs []*arrow.Schema
	Names  []string
	// Keys[i] are input i's join key columns, pairwise equal to the other
	// inputs' (same key classes as a regular join). Every input is unique
	// on its key columns.
	Keys [][]int
	// Times[i] is input i's event-time column (TIMESTAMP or BIGINT ms).
	Times []int
	// Steps[i-1] joins input i.
	Steps []UniqueJoinStep
	// Out is the output schema: every input's columns in input order.
	Out *arrow.Schema
}

// UniqueJoin is the multi-way join of append-only inputs that are all
// unique on the join key (the trace join: request ⋈ response ⋈ tracking
// on trace_id, each a time-bounded INNER or LEFT join against an
// earlier input). State is one partial row per in-flight key: a slot per
// input in columnar stores. A key's row is emitted (+I) the moment every
// input has delivered its row, and its state is dropped at once.
//
// Keys that stay incomplete are resolved by the watermark w (the minimum
// over the ports): a key whose first-input row is at t0 is resolved once
// w > t0 + U_i for every missing input i, where U_i is input i's largest
// possible offset from the first input's time (the sum of the Upper
// bounds along its Ref chain): no row of input i that could still come
// (time >= w) can match. Resolution evaluates the chain as SQL does: LEFT
// steps pad with NULLs, INNER steps drop the key. A partner row that
// arrives before its key's first-input row waits too, and is discarded
// once w > t - L_i (L_i the summed Lower bounds): any first-input row
// still to come is too late for it.
//
// Rows with a NULL key or NULL event time match nothing: a first-input
// row is emitted NULL-padded at once when every step is LEFT (else
// dropped), a partner row is dropped.
//
// Uniqueness is the planner's promise (PRIMARY KEY): a second row for a
// key on the same input while that key is in state is an error naming
// the input and the key (a duplicate that arrives after its key was
// emitted and freed cannot be detected; it then joins like a new key).
//
// Output: append-only (+I). The output watermark is w - D, where D is the
// largest Upper plus the largest -Lower (both at least 0), so that no row
// emitted later carries an event time below a forwarded watermark. Barriers
// are forwarded once every port delivered them; Close once every port
// closed, after resolving everything (a closed port counts as +infinity).
type UniqueJoin struct {
	n       int
	steps   []UniqueJoinStep
	names   []string
	times   []int
	schema  *arrow.Schema
	ins     []*ujInput
	groups  *ujGroups
	due     ujHeap
	lowCum  []int64 // per input: summed Lower bounds to input 0
	upCum   []int64 // per input: summed Upper bounds to input 0
	delay   int64
	allLeft bool

	ports *Ports
	port  []ujPort
	out   Stream
	mem   memory.Allocator
	fwdWM int64
	peak  int64

	emitG   []int32 // groups to emit, scratch
	scratch ujEmit

	ck ujCk // checkpoint bookkeeping (unique_join_checkpoint.go)
}

var (
	_ StateReporter     = (*UniqueJoin)(nil)
	_ PeakStateReporter = (*UniqueJoin)(nil)
)

// NewUniqueJoin returns a unique-key join emitting to out; feed input i
// through Port(i).
func NewUniqueJoin(cfg UniqueJoinConfig, out Stream, mem memory.Allocator) (*UniqueJoin, error) {
	n := len(cfg.Inputs)
	if err := checkUniqueJoin(cfg); err != nil {
		return nil, err
	}
	j := &UniqueJoin{n: n, steps: cfg.Steps, times: cfg.Times, schema: cfg.Out, out: out, mem: mem,
		ports: NewPorts(n), fwdWM: MinWatermark, allLeft: true, names: cfg.Names}
	if len(j.names) != n {
		j.names = make([]string, n)
		for i := range j.names {
			j.names[i] = fmt.Sprintf("input %d", i)
		}
	}
	j.lowCum, j.upCum = make([]int64, n), make([]int64, n)
	var maxUp, maxLow int64
	for i := 1; i < n; i++ {
		s := cfg.Steps[i-1]
		j.lowCum[i] = satAdd(j.lowCum[s.Ref], s.Lower)
		j.upCum[i] = satAdd(j.upCum[s.Ref], s.Upper)
		maxUp, maxLow = max(maxUp, j.upCum[i]), max(maxLow, -j.lowCum[i])
		j.allLeft = j.allLeft && s.Type == planner.LeftJoin
	}
	j.delay = satAdd(maxUp, maxLow)
	var seedEnc keyEncoder
	for i := 0; i < n; i++ {
		e0, ei, err := newKeyEncoder(cfg.Inputs[0], cfg.Inputs[i], cfg.Keys[0], cfg.Keys[i])
		if err != nil {
			return nil, fmt.Errorf("unique-key join %s: %w", j.names[i], err)
		}
		if i == 0 {
			seedEnc = e0
		}
		ei.seed = seedEnc.seed
		in, err := newUJInput(cfg.Inputs[i], ei)
		if err != nil {
			return nil, fmt.Errorf("unique-key join %s: %w", j.names[i], err)
		}
		j.ins = append(j.ins, in)
	}
	j.groups = newUJGroups(n, seedEnc.fixed)
	j.port = make([]ujPort, n)
	for i := range j.port {
		j.port[i] = ujPort{j: j, i: i}
	}
	return j, nil
}

func checkUniqueJoin(cfg UniqueJoinConfig) error {
	n := len(cfg.Inputs)
	if n < 2 || len(cfg.Keys) != n || len(cfg.Times) != n || len(cfg.Steps) != n-1 || cfg.Out == nil {
		return fmt.Errorf("unique-key join: want N >= 2 inputs with keys, times and N-1 steps, and an output schema")
	}
	width := 0
	for i, s := range cfg.Inputs {
		if t := cfg.Times[i]; t < 0 || t >= s.NumFields() {
			return fmt.Errorf("unique-key join: input %d: time column %d out of range", i, t)
		}
		switch s.Field(cfg.Times[i]).Type.ID() {
		case arrow.TIMESTAMP, arrow.INT64:
		default:
			return fmt.Errorf("unique-key join: input %d: time column %s is %s, want timestamp", i, s.Field(cfg.Times[i]).Name, s.Field(cfg.Times[i]).Type)
		}
		for k, f := range s.Fields() {
			if width+k >= cfg.Out.NumFields() || !arrow.TypeEqual(cfg.Out.Field(width+k).Type, f.Type) {
				return fmt.Errorf("unique-key join: output column %d does not match input %d column %s", width+k, i, f.Name)
			}
		}
		width += s.NumFields()
		if i > 0 {
			st := cfg.Steps[i-1]
			if st.Type != planner.InnerJoin && st.Type != planner.LeftJoin {
				return fmt.Errorf("unique-key join: input %d: %s join is not supported (inner or left)", i, st.Type)
			}
			if st.Ref < 0 || st.Ref >= i || st.Lower > st.Upper {
				return fmt.Errorf("unique-key join: input %d: bad bound [%d, %d] against input %d", i, st.Lower, st.Upper, st.Ref)
			}
		}
	}
	if width != cfg.Out.NumFields() {
		return fmt.Errorf("unique-key join: output has %d columns, inputs %d", cfg.Out.NumFields(), width)
	}
	return nil
}

// Name is the operator's EXPLAIN name.
func (j *UniqueJoin) Name() string { return "unique-key-join" }

// Port is the stream of input i.
func (j *UniqueJoin) Port(i int) Stream { return &j.port[i] }

// StateSize implements StateReporter: rows held over all inputs, and an
// estimate of their bytes (column stores, key table, timers).
func (j *UniqueJoin) StateSize() (rows, bytes int64) {
	for _, in := range j.ins {
		rows += int64(in.live)
		bytes += in.bytes()
	}
	return rows, bytes + j.groups.bytesUsed() + int64(len(j.due))*16
}

// StateKeys is the number of keys in state (complete keys never stay).
func (j *UniqueJoin) StateKeys() int64 { return int64(j.groups.live) }

// PeakStateRows implements PeakStateReporter: the most rows held at once
// between calls.
func (j *UniqueJoin) PeakStateRows() int64 { return j.peak }

func (j *UniqueJoin) notePeak() {
	var rows int64
	for _, in := range j.ins {
		rows += int64(in.live)
	}
	j.peak = max(j.peak, rows)
}

// ujPort is input i of a UniqueJoin.
type ujPort struct {
	j *UniqueJoin
	i int
}

var _ Stream = (*ujPort)(nil)

// Push implements Stream. It borrows b.
func (p *ujPort) Push(b Batch) error {
	j := p.j
	if j.ports.Closed(p.i) {
		return fmt.Errorf("%s: push to closed %s port", j.Name(), j.names[p.i])
	}
	if err := j.push(p.i, b); err != nil {
		return fmt.Errorf("%s %s: %w", j.Name(), j.names[p.i], err)
	}
	return nil
}

// Watermark implements Stream: resolves what the operator's new
// watermark closes, then forwards it minus the join's delay.
func (p *ujPort) Watermark(t int64) error {
	if w, ok := p.j.ports.Watermark(p.i, t); ok {
		return p.j.advance(w)
	}
	return nil
}

// Barrier implements Stream.
func (p *ujPort) Barrier(epoch uint64) error {
	if e, ok := p.j.ports.Barrier(p.i, epoch); ok {
		return p.j.out.Barrier(e)
	}
	return nil
}

// Close implements Stream: the join closes its output after every port.
func (p *ujPort) Close() error {
	j := p.j
	last, wm, wmOK, bar, barOK := j.ports.Close(p.i)
	if wmOK {
		if err := j.advance(wm); err != nil {
			return err
		}
	}
	if barOK {
		if err := j.out.Barrier(bar); err != nil {
			return err
		}
	}
	if last {
		return j.out.Close()
	}
	return nil
}

// advance resolves and expires what watermark w closes and forwards the
// output watermark.
func (j *UniqueJoin) advance(w int64) error {
	if err := j.expire(w); err != nil {
		return err
	}
	j.notePeak()
	out := w
	if w != MaxWatermark {
		out = satAdd(w, -j.delay)
	}
	if out > j.fwdWM {
		j.fwdWM = out
		return j.out.Watermark(out)
	}
	return nil
}

// satAdd adds without overflowing past the watermark range.
func satAdd(a, b int64) int64 {
	s := a + b
	switch {
	case b > 0 && s < a:
		return MaxWatermark
	case b < 0 && s > a:
		return MinWatermark
	}
	return s
}
