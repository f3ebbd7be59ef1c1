package datagen

import (
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/sqlstream/sqlstream/exec"
	"github.com/sqlstream/sqlstream/sources/internal/colbuf"
)

// Transactions: mostly appended (94% of events), with corrections of a
// recent transaction's amount (4%: update) and reversals (2%: delete).
// Ids are 3000001, ... in order; the account is one the account stream
// has opened by the same event number, with its owner as customer_id.

const (
	retailTxnBase   = 3000001
	retailTxnRecent = 4096 // transactions that may still be corrected
)

var txnFields = []field{{"txn_id", bigint}, {"account_id", bigint}, {"customer_id", bigint},
	{"kind", str}, {"amount", dec182}, {"channel", str}, {"ts", ts}}

var (
	retailTxnKinds = []string{"deposit", "withdrawal", "transfer_in", "transfer_out", "fund_buy", "fund_redeem"}
	retailChannels = []string{"app", "web", "branch", "atm", "call_center"}
)

type txnRow struct {
	id, account, customer int64
	kind, channel         string
	amount                int64 // cents
	ts                    int64
}

type txnModel struct {
	seed   uint64
	recent [retailTxnRecent]txnRow // by id % retailTxnRecent; id 0 = empty
	next   int64
}

func newTxnModel(seed uint64) *txnModel { return &txnModel{seed: seed} }

func (m *txnModel) event(r *rng, n int64, q *retailQueue[txnRow]) {
	x := r.intn(100)
	if x >= 94 && m.next > 0 {
		slot := &m.recent[r.intn(min(m.next, retailTxnRecent))]
		if slot.id != 0 {
			if x < 98 {
				old := *slot
				slot.amount = retailAmount(r)
				q.push(exec.UpdateBefore, old)
				q.push(exec.UpdateAfter, *slot)
				return
			}
			q.push(exec.Delete, *slot)
			*slot = txnRow{}
			return
		}
	}
	k := r.intn(20 + n/4) // accounts opened by event n (≥ 50 early, ~0.3 n later)
	t := txnRow{id: retailTxnBase + m.next, account: retailAccountBase + k,
		customer: retailAccountCustomer(m.seed, k), kind: pick(r, retailTxnKinds),
		channel: pick(r, retailChannels), amount: retailAmount(r), ts: retailTime(n)}
	m.recent[m.next%retailTxnRecent] = t
	m.next++
	q.push(exec.Insert, t)
}

func (m *txnModel) put(b *colbuf.Batch, cols []int, i int, v *txnRow) {
	for c, f := range cols {
		col := b.Cols[c]
		switch f {
		case 0:
			col.Int64s()[i] = v.id
		case 1:
			col.Int64s()[i] = v.account
		case 2:
			col.Int64s()[i] = v.customer
		case 3:
			col.PutStringString(i, v.kind)
		case 4:
			col.Decimals()[i] = decimal128.FromI64(v.amount)
		case 5:
			col.PutStringString(i, v.channel)
		case 6:
			col.Int64s()[i] = v.ts
		}
	}
}
