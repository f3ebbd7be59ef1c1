package datagen

import (
	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/internal/colbuf"
)

// The retail generator: CDC changelogs of a securities firm's retail
// business (customers, accounts, transactions) and its static branch
// dimension. Each kind is generated on its own from one seeded PRNG, event
// by event; rows that reference another kind draw ids the other stream has
// (almost always) created by the same event number. Every -U/-D row repeats
// exactly the row emitted last for its key.

// retailStepMs is the event time between consecutive events of a stream.
const retailStepMs = 100

// changelogGenerator is a generator whose rows carry ops.
type changelogGenerator interface {
	generator
	// takeOps hands over the ops of the rows of the last fill (nil when
	// they are all inserts).
	takeOps() []exec.Op
}

// retailModel is one kind of the retail generator.
type retailModel[T any] interface {
	// event generates event n, pushing its rows (one, or -U/+U) onto q.
	event(r *rng, n int64, q *retailQueue[T])
	// put writes v as row i of b; cols maps b's columns to field indexes.
	put(b *colbuf.Batch, cols []int, i int, v *T)
}

// retailQueue holds generated rows not yet written to a batch.
type retailQueue[T any] struct {
	ops  []exec.Op
	rows []T
}

// deleteRandom emits -D for a random live row and removes it from live
// (order is not kept).
func deleteRandom[T any](r *rng, live []T, q *retailQueue[T]) []T {
	i := r.intn(int64(len(live)))
	q.push(exec.Delete, live[i])
	last := len(live) - 1
	live[i] = live[last]
	return live[:last]
}

func (q *retailQueue[T]) push(op exec.Op, v T) {
	q.ops = append(q.ops, op)
	q.rows = append(q.rows, v)
}

// retailGen drives a model: rows counts events (an update is one event of
// two rows), limit caps it for static kinds.
type retailGen[T any, M retailModel[T]] struct {
	model      M
	rows       int64 // events to generate; -1 unbounded
	events     int64
	cols       []int
	r          rng
	q          retailQueue[T]
	head       int
	ops        []exec.Op
	appendOnly bool
}

func (g *retailGen[T, M]) exhausted() bool { return g.rows >= 0 && g.events >= g.rows }

// fill implements generator.
func (g *retailGen[T, M]) fill(b *colbuf.Batch, max int) bool {
	n := 0
	for n < max {
		if g.head == len(g.q.rows) {
			if g.exhausted() {
				break
			}
			g.q.ops, g.q.rows, g.head = g.q.ops[:0], g.q.rows[:0], 0
			g.model.event(&g.r, g.events, &g.q)
			g.events++
			continue
		}
		g.model.put(b, g.cols, n, &g.q.rows[g.head])
		g.ops = append(g.ops, g.q.ops[g.head])
		g.head++
		n++
	}
	b.SetLen(n)
	return g.exhausted() && g.head == len(g.q.rows)
}

// takeOps implements changelogGenerator.
func (g *retailGen[T, M]) takeOps() []exec.Op {
	ops := g.ops
	g.ops = nil
	if g.appendOnly {
		return nil
	}
	return ops
}

var retailKinds = "customer, account, transaction or branch"

func newRetail(cfg config, schema catalog.Schema) (func(*colbuf.Batch) generator, error) {
	var mk func(cols []int) generator
	var fields []field
	switch cfg.kind {
	case "customer":
		fields = customerFields
		mk = func(cols []int) generator {
			return &retailGen[customerRow, *customerModel]{model: newCustomerModel(cfg.seed), rows: cfg.rows, cols: cols, r: seeded(cfg.seed, 0x637573)}
		}
	case "account":
		fields = accountFields
		mk = func(cols []int) generator {
			return &retailGen[accountRow, *accountModel]{model: newAccountModel(cfg.seed), rows: cfg.rows, cols: cols, r: seeded(cfg.seed, 0x616363)}
		}
	case "transaction", "txn":
		fields = txnFields
		mk = func(cols []int) generator {
			return &retailGen[txnRow, *txnModel]{model: newTxnModel(cfg.seed), rows: cfg.rows, cols: cols, r: seeded(cfg.seed, 0x74786e)}
		}
	case "branch":
		fields = branchFields
		mk = func(cols []int) generator {
			rows := int64(len(retailBranches))
			if cfg.rows >= 0 {
				rows = min(rows, cfg.rows)
			}
			return &retailGen[branchRow, branchModel]{rows: rows, cols: cols, appendOnly: true}
		}
	default:
		return nil, exec.OptionErrorf("kind", "option 'kind' = '%s': generator retail needs %s", cfg.kind, retailKinds)
	}
	cols, err := bind("retail "+cfg.kind, fields, schema)
	if err != nil {
		return nil, err
	}
	return func(*colbuf.Batch) generator { return mk(cols) }, nil
}

// pick returns a random element of list.
func pick(r *rng, list []string) string { return list[r.intn(int64(len(list)))] }

// retailTime is the event time of event n.
func retailTime(n int64) int64 { return NexmarkBaseTime + n*retailStepMs }

// mix64 is a stateless hash of (seed, k), for values that several kinds
// must agree on (the customer of an account).
func mix64(seed, k uint64) uint64 {
	r := seeded(seed, k^0x6d6978)
	return r.next()
}
