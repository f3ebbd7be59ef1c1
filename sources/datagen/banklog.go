package datagen

import (
	"github.com/sqlstream/sqlstream/exec"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/sources/internal/colbuf"
)

// Bank operation logs: each business action (a step of a customer process)
// produces a request, a response and a tracking record sharing a trace_id.
// Actions are generated in event-time order by one seeded PRNG, identically
// for every kind; a source keeps only its kind's records and emits them in
// arrival order (event time + a random arrival delay) through a min-heap.

type bankKind uint8

const (
	bankRequest bankKind = iota
	bankResponse
	bankTracking
)

var (
	bankSteps    = []string{"apply", "approve", "issue", "make_card", "activate"}
	bankChannels = []string{"app", "web", "branch", "call_center"}
	bankProducts = []string{"credit_card", "debit_card", "loan", "deposit"}
	bankStatus   = []string{"ok", "rejected", "error"}
	bankEvents   = []string{"page_view", "click", "submit"}
)

// Fields: the common ones first, then those of each kind.
const (
	fTrace, fProcess, fStep, fCustomer, fChannel, fBranch, fProduct, fTs = 0, 1, 2, 3, 4, 5, 6, 7
	fBody, fAmount                                                       = 8, 9 // request
	fStatus, fLatency                                                    = 8, 9 // response
	fPage, fEvent                                                        = 8, 9 // tracking
	bankProcesses                                                        = 256  // processes in flight
	bankBaseTime                                                         = NexmarkBaseTime
	fiveSeconds, oneMinute                                               = 5000, 60000
)

var bankCommon = []field{{"trace_id", str}, {"process_id", str}, {"step", str}, {"customer_id", bigint},
	{"channel", str}, {"branch_id", catalog.IntType}, {"product", str}, {"ts", ts}}

var bankFields = [...][]field{
	bankRequest:  append(bankCommon[:8:8], field{"request_body", str}, field{"amount", catalog.DecimalType(18, 2)}),
	bankResponse: append(bankCommon[:8:8], field{"status", str}, field{"latency_ms", catalog.IntType}),
	bankTracking: append(bankCommon[:8:8], field{"page", str}, field{"event", str}),
}

// bankProc is a customer process in flight.
type bankProc struct {
	id, customer           int64
	channel, product, step int8
	branch                 int32
}

// bankRec is one record waiting in the arrival heap.
type bankRec struct {
	arrival, seq, ts int64 // seq: the action number, also the trace id
	proc             bankProc
	step             int8
	amount           int64 // cents
	status, event    int8
	latency          int32
}

type banklog struct {
	kind     bankKind
	seed     uint64
	rows     int64 // actions; -1 unbounded
	maxDelay int64 // ms
	cols     []int
	r        rng
	procs    [bankProcesses]bankProc
	nextProc int64
	actions  int64 // actions generated
	clock    int64 // event time of the last action
	heap     []bankRec
	buf      []byte
}

func newBanklog(cfg config, schema catalog.Schema) (func(*colbuf.Batch) generator, error) {
	kinds := map[string]bankKind{"request": bankRequest, "response": bankResponse, "tracking": bankTracking}
	kind, ok := kinds[cfg.kind]
	if !ok {
		return nil, exec.OptionErrorf("kind", "option 'kind' = '%s': generator banklog needs 'request', 'response' or 'tracking'", cfg.kind)
	}
	cols, err := bind("banklog "+cfg.kind, bankFields[kind], schema)
	if err != nil {
		return nil, err
	}
	if cfg.maxDelay < 0 {
		return nil, exec.OptionErrorf("max_delay", "option 'max_delay' must not be negative")
	}
	return func(*colbuf.Batch) generator {
		return &banklog{kind: kind, seed: cfg.seed, rows: cfg.rows, maxDelay: cfg.maxDelay.Milliseconds(),
			cols: cols, r: seeded(cfg.seed, 0x62616e6b), clock: bankBaseTime}
	}, nil
}

// fill implements generator: it emits records whose arrival time is before
// the event time of the latest action (no later action can arrive earlier).
func (g *banklog) fill(b *colbuf.Batch, max int) bool {
	n := 0
	for n < max {
		exhausted := g.rows >= 0 && g.actions >= g.rows
		if len(g.heap) > 0 && (exhausted || g.heap[0].arrival <= g.clock) {
			g.write(b, n, g.pop())
			n++
			continue
		}
		if exhausted {
			break
		}
		g.action()
	}
	b.SetLen(n)
	return g.rows >= 0 && g.actions >= g.rows && len(g.heap) == 0
}

// delay draws an arrival delay: 80% under 5 s, 19% 5-60 s, 1% up to maxDelay.
func (g *banklog) delay() int64 {
	u := g.r.intn(1000)
	var d int64
	switch {
	case u < 800:
		d = g.r.intn(fiveSeconds)
	case u < 990:
		d = fiveSeconds + g.r.intn(oneMinute-fiveSeconds)
	default:
		d = oneMinute + g.r.int63n(max(g.maxDelay-oneMinute, 1))
	}
	return min(d, g.maxDelay)
}

func (g *banklog) newProc() bankProc {
	g.nextProc++
	return bankProc{
		id: g.nextProc, customer: 100000 + g.r.intn(900000),
		channel: int8(g.r.intn(int64(len(bankChannels)))), product: int8(g.r.intn(int64(len(bankProducts)))),
		branch: int32(1 + g.r.intn(200)),
	}
}

// action generates the next business action and queues the record of the
// source's kind. Every random draw happens whatever the kind.
func (g *banklog) action() {
	slot := g.r.intn(bankProcesses)
	p := &g.procs[slot]
	if p.id == 0 {
		*p = g.newProc()
	}
	g.clock += 1 + g.r.intn(19)
	g.actions++
	rec := bankRec{seq: g.actions, proc: *p, step: p.step}
	reqTs := g.clock
	respTs := reqTs + 5 + g.r.intn(496)
	trackTs := respTs + 1 + g.r.intn(2000)
	rec.amount = g.r.int63n(10_000_000)
	rec.event = int8(g.r.intn(int64(len(bankEvents))))
	rec.latency = int32(respTs - reqTs)
	outcome, missing, back := g.r.intn(1000), g.r.intn(1000), g.r.intn(int64(len(bankSteps)))
	delays := [3]int64{g.delay(), g.delay(), g.delay()}
	switch {
	case outcome < 20: // error: the step is repeated
		rec.status = 2
	case outcome < 50 && p.step > 0 && back < int64(p.step): // rejected, sent back to an earlier step
		rec.status = 1
		p.step = int8(back)
	case outcome < 50: // rejected: the process ends
		rec.status = 1
		*p = bankProc{}
	case outcome < 90 || p.step == int8(len(bankSteps)-1): // abandoned, or done
		*p = bankProc{}
	default:
		p.step++
	}
	switch g.kind {
	case bankRequest:
		rec.ts = reqTs
	case bankResponse:
		if missing < 5 {
			return // ~0.5% of traces miss the response
		}
		rec.ts = respTs
	case bankTracking:
		if missing >= 5 && missing < 15 {
			return // ~1% miss the tracking record
		}
		rec.ts = trackTs
	}
	rec.arrival = rec.ts + delays[g.kind]
	g.push(rec)
}

func (g *banklog) write(b *colbuf.Batch, row int, rec bankRec) {
	for i, f := range g.cols {
		c := b.Cols[i]
		switch f {
		case fTrace:
			g.buf = strconv.AppendUint(append(g.buf[:0], "tr-"...), traceHash(g.seed, rec.seq), 16)
			c.PutString(row, g.buf)
		case fProcess:
			g.buf = strconv.AppendInt(append(g.buf[:0], 'P'), rec.proc.id, 10)
			c.PutString(row, g.buf)
		case fStep:
			c.PutStringString(row, bankSteps[rec.step])
		case fCustomer:
			c.Int64s()[row] = rec.proc.customer
		case fChannel:
			c.PutStringString(row, bankChannels[rec.proc.channel])
		case fBranch:
			c.Int32s()[row] = rec.proc.branch
		case fProduct:
			c.PutStringString(row, bankProducts[rec.proc.product])
		case fTs:
			c.Int64s()[row] = rec.ts
		default:
			g.writeKind(c, f, row, rec)
		}
	}
}

func (g *banklog) writeKind(c *colbuf.Column, f, row int, rec bankRec) {
	switch {
	case g.kind == bankRequest && f == fBody:
		g.buf = append(g.buf[:0], `{"step":"`...)
		g.buf = append(append(g.buf, bankSteps[rec.step]...), `","product":"`...)
		g.buf = append(append(g.buf, bankProducts[rec.proc.product]...), `","amount":`...)
		g.buf = append(append(g.buf, decimal128.FromI64(rec.amount).ToString(2)...), '}')
		c.PutString(row, g.buf)
	case g.kind == bankRequest && f == fAmount:
		c.Decimals()[row] = decimal128.FromI64(rec.amount)
	case g.kind == bankResponse && f == fStatus:
		c.PutStringString(row, bankStatus[rec.status])
	case g.kind == bankResponse && f == fLatency:
		c.Int32s()[row] = rec.latency
	case g.kind == bankTracking && f == fPage:
		g.buf = append(append(append(append(g.buf[:0], '/'), bankProducts[rec.proc.product]...), '/'), bankSteps[rec.step]...)
		c.PutString(row, g.buf)
	case g.kind == bankTracking && f == fEvent:
		c.PutStringString(row, bankEvents[rec.event])
	}
}

// traceHash turns an action number into a stable, unique 64-bit trace id
// (splitmix64's finalizer is a bijection).
func traceHash(seed uint64, seq int64) uint64 {
	z := uint64(seq) ^ seed*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (g *banklog) less(i, j int) bool {
	a, b := &g.heap[i], &g.heap[j]
	return a.arrival < b.arrival || a.arrival == b.arrival && a.seq < b.seq
}

func (g *banklog) push(rec bankRec) {
	g.heap = append(g.heap, rec)
	for i := len(g.heap) - 1; i > 0; {
		p := (i - 1) / 2
		if !g.less(i, p) {
			break
		}
		g.heap[i], g.heap[p] = g.heap[p], g.heap[i]
		i = p
	}
}

func (g *banklog) pop() bankRec {
	top := g.heap[0]
	last := len(g.heap) - 1
	g.heap[0] = g.heap[last]
	g.heap = g.heap[:last]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < last && g.less(l, m) {
			m = l
		}
		if l+1 < last && g.less(l+1, m) {
			m = l + 1
		}
		if m == i {
			break
		}
		g.heap[i], g.heap[m] = g.heap[m], g.heap[i]
		i = m
	}
	return top
}
